/**
 * Rendering figures (spec.ts) in Node: a Vega-Lite spec is compiled by vega-lite to a Vega spec, run
 * by a headless Vega View (`renderer: 'none'`) and serialised with `toSVG()`. No SVG is written by
 * hand. Only `report` loads this module (and Vega with it); `serve` sends the specs to the browser.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { VlSpec } from './spec.js';

export type { Figure, FigureOutcome, VlSpec } from './spec.js';

/** Compile a Vega-Lite spec and render it to an SVG string with a headless Vega view. */
export async function renderSvg(spec: VlSpec): Promise<string> {
	const compiled = vl.compile(spec).spec;
	const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn });
	try {
		return await view.toSVG();
	} finally {
		view.finalize();
	}
}

/**
 * Make the ids inside one SVG unique on a page holding several (Vega numbers its clip paths and
 * gradients per process run, so two figures can both define `clip1`): every `id="x"` becomes
 * `id="<prefix>-x"`, and the references `url(#x)` and `href="#x"` follow.
 */
export function scopeSvgIds(svg: string, prefix: string): string {
	const ids = new Set<string>();
	for (const m of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1] as string);
	if (ids.size === 0) return svg;
	const scoped = (id: string) => (ids.has(id) ? `${prefix}-${id}` : id);
	return svg
		.replace(/(\sid=")([^"]+)"/g, (_, head: string, id: string) => `${head}${scoped(id)}"`)
		.replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${scoped(id)})`)
		.replace(/(href=")#([^"]+)"/g, (_, head: string, id: string) => `${head}#${scoped(id)}"`);
}
