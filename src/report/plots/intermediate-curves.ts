/**
 * Intermediate curves: every search lifetime's reports (context.report) per arm, one panel per arm,
 * lifetimes the pruner stopped drawn dashed in another colour (Okabe-Ito blue and vermillion, apart
 * for every common colour vision deficiency) and ending in a cross, and the rungs of an asha or
 * hyperband pruner as dashed grey vertical rules (hyperband: the rungs of every bracket). One figure
 * per study whose lifetimes reported. Layers with no rows (no pruned lifetime, no pruner) are left
 * out of the spec: Vega warns about the empty extent of a layer drawn from no data.
 *
 * Notation
 *   curve     the (step, value) reports of one lifetime, in order; a lifetime that ran to its end gets
 *             one more point, its final value at its `train_episodes` field when it logged one
 *   rung k    resource min_resource * reduction_factor^k below max_resource (run/pruner.ts)
 */
import { armPruner, rungResources, type StoredStudy } from '../../study/view.js';
import { methodLabel, metricTitle, numField, studyLifetimes, type ReportInput } from './data.js';
import { baseConfig, figure, plotWidth, type FigureOutcome, type VlSpec } from './spec.js';

interface CurveRow {
	readonly method: string;
	readonly trial: number;
	readonly step: number;
	readonly value: number;
	readonly fate: 'ran to the end' | 'pruned';
	readonly type: 'point' | 'stop' | 'rung';
}

export function curveRows(input: ReportInput, stored: StoredStudy): CurveRow[] {
	const rows: CurveRow[] = [];
	let maxStep = 0;
	for (const l of studyLifetimes(input, stored)) {
		if (l.purpose !== 'search' || l.reports === undefined || l.reports.length === 0) continue;
		const fate = l.pruned_at === undefined ? 'ran to the end' : 'pruned';
		for (const r of l.reports) {
			rows.push({ method: l.method, trial: l.trial, step: r.step, value: r.value, fate, type: 'point' });
			maxStep = Math.max(maxStep, r.step);
		}
		const last = l.reports.at(-1);
		const end = numField(l.fields, 'train_episodes');
		if (l.pruned_at !== undefined && last !== undefined) rows.push({ method: l.method, trial: l.trial, step: last.step, value: last.value, fate, type: 'stop' });
		else if (end !== undefined && last !== undefined && end > last.step) {
			rows.push({ method: l.method, trial: l.trial, step: end, value: l.value, fate, type: 'point' });
			maxStep = Math.max(maxStep, end);
		}
	}
	for (const arm of stored.spec.arms) {
		const method = methodLabel(input, stored.spec.name, arm.name);
		if (!rows.some((r) => r.method === method)) continue;
		const pruner = armPruner(stored.spec, arm);
		for (const step of pruner === undefined ? [] : rungResources(pruner, maxStep)) rows.push({ method, trial: -1, step, value: 0, fate: 'ran to the end', type: 'rung' });
	}
	return rows;
}

export function intermediateCurvesFigures(input: ReportInput): FigureOutcome[] {
	const several = input.studies.length > 1;
	return input.studies.flatMap((stored) => {
		const id = several ? `intermediate-curves-${stored.spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : 'intermediate-curves';
		const title = `Intermediate reports of every lifetime${several ? `: ${stored.spec.name}` : ''}`;
		const rows = curveRows(input, stored);
		if (!rows.some((r) => r.type === 'point')) return []; // studies whose lifetimes never reported (made before reports existed, or objectives that do not report)
		const pruned = new Set(rows.filter((r) => r.type === 'stop').map((r) => `${r.method}/${r.trial}`)).size;
		const hasRungs = rows.some((r) => r.type === 'rung');
		return [
			figure({
				id,
				title,
				caption:
					`Each line is one search lifetime's intermediate reports (${metricTitle(stored)} so far against the resource it had used), one panel per method; ` +
					(pruned === 0 ? 'the pruner stopped none.' : `dashed lines ending in a cross are the ${pruned} lifetimes the pruner stopped there.`) +
					(hasRungs ? ' Dashed rules: the pruner’s rungs (asha: a lifetime goes on past a rung only when it ranks in the best 1/reduction_factor of the earlier lifetimes there).' : ''),
				spec: curvesSpec(rows, metricTitle(stored), title),
			}),
		];
	});
}

function curvesSpec(rows: readonly CurveRow[], yTitle: string, title: string): VlSpec {
	const x = { field: 'step', type: 'quantitative' as const, title: 'Resource (steps reported)' };
	const fate = { type: 'nominal' as const, title: 'Lifetime', field: 'fate' };
	const color = { ...fate, scale: { domain: ['ran to the end', 'pruned'], range: ['#0072b2', '#d55e00'] } };
	const strokeDash = {
		...fate,
		scale: {
			domain: ['ran to the end', 'pruned'],
			range: [
				[1, 0],
				[5, 3],
			],
		},
	};
	const has = (type: CurveRow['type']) => rows.some((r) => r.type === type);
	return {
		$schema: 'https://vega.github.io/schema/vega-lite/v6.json',
		title: { text: title, subtitle: 'one panel per method' },
		config: baseConfig,
		data: { values: rows },
		facet: { field: 'method', type: 'nominal', title: null },
		columns: 1,
		spec: {
			width: plotWidth,
			height: 150,
			layer: [
				{
					transform: [{ filter: "datum.type === 'point' || datum.type === 'stop'" }],
					mark: { type: 'line', strokeWidth: 1, opacity: 0.8 },
					encoding: { x, y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } }, detail: { field: 'trial' }, color, strokeDash, order: { field: 'step' } },
				},
				...(has('stop')
					? [
							{
								transform: [{ filter: "datum.type === 'stop'" }],
								mark: { type: 'point', shape: 'cross', size: 40, filled: true },
								encoding: { x, y: { field: 'value', type: 'quantitative' }, color },
							},
						]
					: []),
				...(has('rung')
					? [
							{
								transform: [{ filter: "datum.type === 'rung'" }],
								mark: { type: 'rule', color: '#666', strokeDash: [2, 2] },
								encoding: { x },
							},
						]
					: []),
			],
		},
	} as VlSpec;
}
