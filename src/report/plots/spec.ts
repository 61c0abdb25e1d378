/**
 * The figures' definitions without their renderer: what a figure is (a Vega-Lite spec with its id,
 * title and caption, or the reason it is not drawn) and the shared look every builder uses. The
 * builders (best-so-far.ts, slices.ts, ...) import only this module, so `report` (which renders them
 * to SVG in Node: render.ts) and `serve` (which sends the specs to the page, where Vega draws them)
 * share one set of definitions, and building a spec never loads Vega.
 *
 * Notation
 *   Figure      {id, title, caption, spec}: one SVG file `<id>.svg` and one <figure> of report.html
 *   methods     the legend labels of the arms (`arm`, or `study/arm` when several studies are shown);
 *               every figure colours them with the same scale (methodColor), so a method keeps its
 *               colour from figure to figure
 */
import type * as vl from 'vega-lite';

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
