/**
 * The study page's figures: the report's own figure definitions (src/report/plots/figures.ts, the
 * same Vega-Lite specs `report` renders to SVG), sent as specs for Vega to draw in the page.
 *
 * Size. A spec carries its data inline; a figure holding more than `maxPoints` data rows (a slice
 * of 100k lifetimes) is sent with an evenly spaced sample of them, in their order (the first and
 * last rows kept), and the figure says so in its subtitle: "sampled: 2,000 of 100,000 points".
 * The importance chart fits its GP to at most 100 lifetimes itself (plots/importance.ts).
 *
 * Rate. Building the figures walks the whole study (O(N): seconds at 100k lifetimes), so it runs
 * in a worker thread (figure-worker.ts) holding its own copy of each study, off the thread that
 * reads the journals and pushes events; a set is built once per version of the study and not more
 * often than every max(1 s, 3 x the last build's time) (figure-pool.ts); `next_ms` tells the page
 * when a newer set can be asked for.
 */
import { comparisonRows } from '../report/compare.js';
import { reportFigures } from '../report/plots/figures.js';
import type { VlSpec } from '../report/plots/spec.js';
import type { StoredStudy } from '../study/stored.js';

const maxPoints = 2000;

type FigureItem =
	| { readonly kind: 'figure'; readonly id: string; readonly title: string; readonly caption: string; readonly spec: VlSpec; readonly sampled: string | null }
	| { readonly kind: 'skipped'; readonly id: string; readonly title: string; readonly reason: string };

export interface FigureSet {
	readonly version: number;
	readonly figures: readonly FigureItem[];
	readonly ms: number;
	/** ms after which a set for a newer version can be built (0: now) */
	readonly next_ms: number;
}

/** Evenly spaced `k` of `rows` in their order, the first and last included. */
function spaced<T>(rows: readonly T[], k: number): T[] {
	const out: T[] = [];
	for (let i = 0; i < k; i++) out.push(rows[Math.round((i * (rows.length - 1)) / (k - 1))] as T);
	return out;
}

/** Sample every inline data set of `spec` larger than `maxPoints` (in place on a copy); the largest original size, or 0. */
function sampleData(node: unknown, seen: { largest: number; kept: number }): void {
	if (Array.isArray(node)) {
		for (const n of node) sampleData(n, seen);
		return;
	}
	if (node === null || typeof node !== 'object') return;
	const o = node as Record<string, unknown>;
	const data = o.data as { values?: unknown } | undefined;
	if (data !== undefined && Array.isArray(data.values) && data.values.length > maxPoints) {
		if (data.values.length > seen.largest) seen.largest = data.values.length;
		seen.kept = maxPoints;
		o.data = { ...data, values: spaced(data.values, maxPoints) };
	}
	for (const [k, v] of Object.entries(o)) if (k !== 'data' && typeof v === 'object') sampleData(v, seen);
}

/** The spec to send, sampled, with the sampling named in its subtitle; and that note. */
function sendable(spec: VlSpec): { spec: VlSpec; sampled: string | null } {
	const copy = { ...spec } as Record<string, unknown>;
	const seen = { largest: 0, kept: 0 };
	for (const key of ['layer', 'vconcat', 'hconcat', 'concat']) if (Array.isArray(copy[key])) copy[key] = (copy[key] as unknown[]).map((s) => structuredClone(s));
	if (copy.spec !== undefined) copy.spec = structuredClone(copy.spec);
	sampleData(copy, seen);
	if (seen.largest === 0) return { spec, sampled: null };
	const note = `sampled: ${seen.kept.toLocaleString('en-US')} of ${seen.largest.toLocaleString('en-US')} points (evenly spaced, in order)`;
	const title = copy.title;
	if (typeof title === 'string') copy.title = { text: title, subtitle: note };
	else if (title !== null && typeof title === 'object') {
		const t = title as { subtitle?: unknown };
		const subtitle = t.subtitle === undefined ? [] : Array.isArray(t.subtitle) ? t.subtitle : [t.subtitle];
		copy.title = { ...t, subtitle: [...subtitle, note] };
	} else copy.title = { text: '', subtitle: note };
	return { spec: copy as unknown as VlSpec, sampled: note };
}

/** Build the figure set of a study (in the figure worker: figure-worker.ts). */
export function buildFigureSet(stored: StoredStudy, version: number): FigureSet {
	const t0 = performance.now();
	const outcomes = reportFigures({ studies: [stored] }, comparisonRows(stored));
	const figures = outcomes.map((o): FigureItem => {
		if (o.kind === 'skipped') return { kind: 'skipped', ...o.skipped };
		const { id, title, caption } = o.figure;
		return { kind: 'figure', id, title, caption, ...sendable(o.figure.spec) };
	});
	return { version, figures, ms: Math.round(performance.now() - t0), next_ms: 0 };
}
