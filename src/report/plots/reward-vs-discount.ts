/**
 * Reward against the axis param (the discount for the bandit agent): every complete lifetime as a
 * point, coloured by method, and for gp arms the GP posterior mean of the reward with its 95%
 * credible band (gp-posterior.ts).
 *
 * Notation
 *   point kinds  search lifetime | re-evaluation (fresh seed at the chosen configuration) |
 *                tuner lifetime, placed at the value its tuner ended with | pruned search lifetime
 *                (a cross: its value is the partial one it had when the pruner stopped it)
 *   gp curve     the arm's searcher view (one observation per configuration: mean over its
 *                `repeats` lifetimes, as the searcher saw it), refitted; other searched params held
 *                at the arm's chosen configuration
 */
import { paramLabel } from '../../objectives/describe.js';
import { armSearch, type StoredStudy } from '../../study/view.js';
import type { ComparisonRow } from '../compare.js';
import { axisDim, axisValue, methodLabel, methods, metricTitle, paramTitle, studyLifetimes, type ReportInput } from './data.js';
import { fitGp, posteriorSlice } from './gp-posterior.js';
import { baseConfig, figure, methodColor, plotHeight, plotWidth, skipped, type FigureOutcome, type VlSpec } from './spec.js';

const pointKinds = ['search lifetime', 're-evaluation', 'online-tuned lifetime (final value)', 'pruned search lifetime (partial value)'] as const;

export interface DiscountPoint {
	readonly method: string;
	readonly kind: (typeof pointKinds)[number];
	readonly x: number;
	readonly value: number;
	readonly trial: number;
}

export interface BandPoint {
	readonly method: string;
	readonly series: string;
	readonly x: number;
	readonly mean: number;
	readonly low: number;
	readonly high: number;
}

const shapes = ['circle', 'diamond', 'triangle-up', 'cross'];

const gpSeries = 'GP posterior mean (band: 95%)';

export function discountPoints(input: ReportInput, stored: StoredStudy, dim: string): DiscountPoint[] {
	const out: DiscountPoint[] = [];
	for (const l of studyLifetimes(input, stored)) {
		const x = axisValue(l, dim);
		if (x === undefined) continue;
		const kind = l.role === 'tune' ? pointKinds[2] : l.purpose !== 'search' ? pointKinds[1] : l.pruned_at === undefined ? pointKinds[0] : pointKinds[3];
		out.push({ method: l.method, kind, x, value: l.value, trial: l.trial });
	}
	return out;
}

/** GP posterior bands of the gp arms of a study along `dim`. */
export function gpBands(input: ReportInput, stored: StoredStudy, dim: string, rows: readonly ComparisonRow[]): BandPoint[] {
	const out: BandPoint[] = [];
	for (const arm of stored.spec.arms) {
		if (arm.config.kind !== 'gp') continue;
		const data = armSearch(stored, arm.name).trials.flatMap((t) => (t.status === 'complete' && t.value !== undefined ? [{ params: t.params, value: t.value }] : []));
		const gp = fitGp(stored.spec.space, stored.spec.direction, data, 3, stored.state.fits(arm.name));
		const anchor = rows.find((r) => r.study === stored.spec.name && r.arm === arm.name)?.chosen ?? data[0]?.params;
		if (gp === undefined || anchor === undefined) continue;
		const method = methodLabel(input, stored.spec.name, arm.name);
		for (const p of posteriorSlice(gp, dim, anchor)) if (typeof p.x === 'number') out.push({ method, series: gpSeries, x: p.x, mean: p.mean, low: p.low, high: p.high });
	}
	return out;
}

export function rewardVsDiscountFigure(input: ReportInput, rows: readonly ComparisonRow[]): FigureOutcome {
	const id = 'reward-vs-discount';
	const withDim = input.studies.flatMap((s) => {
		const d = axisDim(s);
		return d === undefined ? [] : [{ stored: s, dim: d }];
	});
	const first = withDim[0];
	if (first === undefined)
		return skipped(
			id,
			'Reward against a parameter',
			'no study searches a single numeric parameter or one its objective names as the axis (with several parameters, the slices below show the value against each)',
		);
	const name = first.dim.name;
	const axis = paramTitle(first.stored, name);
	const title = `Reward against ${paramLabel(first.stored.spec.objective, name) === undefined ? axis : axis.charAt(0).toLowerCase() + axis.slice(1)}`;
	const same = withDim.filter((w) => w.dim.name === name);
	const points = same.flatMap((w) => discountPoints(input, w.stored, name));
	if (points.length === 0) return skipped(id, title, 'no complete lifetimes yet');
	const bands = same.flatMap((w) => gpBands(input, w.stored, name, rows));
	const kinds = [0, 1, 2, 3].filter((k) => points.some((p) => p.kind === pointKinds[k]));
	const color = methodColor(
		methods(input),
		points.map((p) => p.method),
	);
	const log = first.dim.param.type !== 'categorical' && first.dim.param.log === true;
	const x = { field: 'x', type: 'quantitative' as const, title: axis, scale: log ? { type: 'log' as const } : { zero: false } };
	const yTitle = metricTitle(first.stored);
	const layers: object[] = [];
	if (bands.length > 0) {
		layers.push(
			{ data: { values: bands }, mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: 'low', type: 'quantitative', title: yTitle }, y2: { field: 'high' }, color } },
			{
				data: { values: bands },
				mark: { type: 'line', strokeWidth: 2 },
				encoding: { x, y: { field: 'mean', type: 'quantitative' }, color, strokeDash: { field: 'series', type: 'nominal', title: 'Model', scale: { domain: [gpSeries], range: [[6, 3]] } } },
			},
		);
	}
	layers.push({
		data: { values: points },
		mark: { type: 'point', filled: true, size: 45, opacity: 0.85 },
		encoding: {
			x,
			y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } },
			color,
			shape: { field: 'kind', type: 'nominal', title: 'Lifetime', scale: { domain: kinds.map((k) => pointKinds[k]), range: kinds.map((k) => shapes[k]) } },
			tooltip: [{ field: 'method' }, { field: 'kind' }, { field: 'trial' }, { field: 'x', format: '.4g' }, { field: 'value', format: '.4g' }],
		},
	});
	const stopped = points.filter((p) => p.kind === pointKinds[3]).length;
	const gpNote =
		bands.length > 0
			? " Lines: GP posterior mean of the reward refitted to each gp arm's trials (other searched parameters at its chosen configuration), bands: 95% credible interval of that mean."
			: '';
	return figure({
		id,
		title,
		caption: `Every complete lifetime at its ${axis} (online-tuned lifetimes at the value they ended with), coloured by method.${stopped === 0 ? '' : ` Crosses: the ${stopped} lifetimes the pruner stopped, at the partial value they had reached.`}${gpNote}`,
		spec: {
			$schema: 'https://vega.github.io/schema/vega-lite/v6.json',
			title: { text: title, subtitle: bands.length > 0 ? 'points: lifetimes; line and band: GP posterior mean and 95% interval' : 'points: lifetimes' },
			config: baseConfig,
			width: plotWidth,
			height: plotHeight,
			layer: layers,
			resolve: { scale: { y: 'shared' } },
		} as VlSpec,
	});
}
