/**
 * Rendering figures: a Vega-Lite spec is compiled by vega-lite to a Vega spec, run by a headless
 * Vega View (`renderer: 'none'`) in Node and serialised with `toSVG()`. No SVG is written by hand.
 *
 * Notation
 *   Figure      {id, title, caption, spec}: one SVG file `<id>.svg` and one <figure> of report.html
 *   methods     the legend labels of the arms (`arm`, or `study/arm` when several studies are shown);
 *               every figure colours them with the same scale (methodColor), so a method keeps its
 *               colour from figure to figure
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';

export type VlSpec = vl.TopLevelSpec;

export interface Figure {
	/** file stem and HTML anchor: lower-case letters, digits and dashes */
	readonly id: string;
	readonly title: string;
	/** what is drawn and how it was computed; one or two sentences */
	readonly caption: string;
	readonly spec: VlSpec;
}

/** A figure that could not be drawn for this study, and why (shown on the page instead). */
export interface Skipped {
	readonly id: string;
	readonly title: string;
	readonly reason: string;
}

export type FigureOutcome = { readonly kind: 'figure'; readonly figure: Figure } | { readonly kind: 'skipped'; readonly skipped: Skipped };

export const figure = (f: Figure): FigureOutcome => ({ kind: 'figure', figure: f });
export const skipped = (id: string, title: string, reason: string): FigureOutcome => ({ kind: 'skipped', skipped: { id, title, reason } });

/**
 * Shared look: sizes, fonts, axis and legend styling. Label limits are generous because Vega in Node
 * has no canvas to measure text and over-estimates widths (0.8 x font size per character).
 */
export const baseConfig = {
	font: 'Helvetica, Arial, sans-serif',
	view: { stroke: '#ccc' },
	axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
	legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 420, titleLimit: 420, symbolOpacity: 1 },
	title: { fontSize: 14, anchor: 'start' as const, subtitleFontSize: 11, subtitleColor: '#555' },
};

export const plotWidth = 560;
export const plotHeight = 320;

const palette = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#b279a2', '#eeca3b', '#9d755d', '#ff9da6', '#bab0ac'];

/**
 * The colour channel for methods: method i of the report always gets palette colour i, and the
 * legend lists only the methods drawn in this figure (`present`). `symbol`: legend swatch, a dot
 * for point figures, a stroke for line-only figures.
 */
export function methodColor(methods: readonly string[], present: Iterable<string> = methods, symbol: 'circle' | 'stroke' = 'circle') {
	const shown = new Set(present);
	const domain = methods.filter((m) => shown.has(m));
	return {
		field: 'method',
		type: 'nominal' as const,
		title: 'Method',
		scale: { domain, range: domain.map((m) => palette[methods.indexOf(m) % palette.length] as string) },
		legend: { orient: 'right' as const, symbolType: symbol, symbolOpacity: 1, ...(symbol === 'stroke' ? { symbolStrokeWidth: 2.5 } : {}) },
	};
}

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
