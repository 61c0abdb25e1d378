/**
 * Learning curves: mean return per update of the chosen configuration of each method, with the
 * task's optimal and uniform-random levels as reference lines. The same spec draws the single run of
 * `metatune agent train --plot`.
 *
 * Notation
 *   curve        logged per lifetime: mean episode return of each update, downsampled to p <= 100
 *                points by averaging consecutive chunks over U updates (core/stats.ts `downsample`)
 *   U            `updates` when logged, else ceil(train_episodes / batch), else p (not downsampled)
 *   x_i          centre update of chunk i: chunk i covers updates floor(iU/p)+1 .. floor((i+1)U/p)
 *   chosen       the arm's configuration in the comparison table; its lifetimes are the arm's
 *                re-evaluations when there are any, else its search lifetimes at that configuration;
 *                for a tuner arm, all its lifetimes (one start configuration, tuned online)
 *   band         mean +- 1.96 standard errors over the k lifetimes of the same curve length (k > 1)
 */
import { parseAgentConfig } from '../../objectives/bandit/learner/agent-config.js';
import type { Params } from '../../core/space.js';
import type { ComparisonRow } from '../compare.js';
import type { StoredStudy } from '../../study/view.js';
import { allLifetimes, methods, numArrayField, numField, type Lifetime, type ReportInput } from './data.js';
import { baseConfig, figure, methodColor, plotHeight, plotWidth, skipped, type FigureOutcome, type VlSpec } from './spec.js';
import { studyTask, taskLevels, type Level } from './task-levels.js';

export interface CurvePoint {
	readonly method: string;
	readonly update: number;
	readonly mean: number;
	readonly low: number | null;
	readonly high: number | null;
	readonly lifetimes: number;
}

/** Centre update (1-based) of each of `points` chunks over `updates` updates. */
function curveUpdates(points: number, updates: number): number[] {
	if (updates <= points) return Array.from({ length: points }, (_, i) => i + 1);
	return Array.from({ length: points }, (_, i) => {
		const from = Math.floor((i * updates) / points);
		const to = Math.floor(((i + 1) * updates) / points);
		return (from + to - 1) / 2 + 1;
	});
}

/** Mean and 95% band per curve point over lifetimes whose curves have the most common length. */
export function aggregateCurves(method: string, curves: readonly number[][], updates: number | undefined): CurvePoint[] {
	const counts = new Map<number, number>();
	for (const c of curves) counts.set(c.length, (counts.get(c.length) ?? 0) + 1);
	const length = [...counts.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0];
	if (length === undefined || length === 0) return [];
	const same = curves.filter((c) => c.length === length);
	const k = same.length;
	const xs = curveUpdates(length, updates ?? length);
	return xs.map((update, i) => {
		const vs = same.map((c) => c[i] as number);
		const mean = vs.reduce((a, b) => a + b, 0) / k;
		if (k < 2) return { method, update, mean, low: null, high: null, lifetimes: k };
		const se = Math.sqrt(vs.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1) / k);
		return { method, update, mean, low: mean - 1.96 * se, high: mean + 1.96 * se, lifetimes: k };
	});
}

const sameParams = (a: Params, b: Params) => Object.keys(b).every((key) => a[key] === b[key]);

function updatesOf(l: Lifetime, settings: Readonly<Record<string, unknown>>): number | undefined {
	const logged = numField(l.fields, 'updates');
	if (logged !== undefined) return logged;
	const episodes = numField(l.fields, 'train_episodes');
	if (episodes === undefined) return undefined;
	const batch = l.params.batch ?? settings.batch ?? parseAgentConfig({}).batch;
	return typeof batch === 'number' && batch > 0 ? Math.ceil(episodes / batch) : undefined;
}

/** The chosen configuration's curves, aggregated, for every method that logged curves (of `studies`, default all the report's). */
export function chosenCurves(input: ReportInput, rows: readonly ComparisonRow[], studies: readonly StoredStudy[] = input.studies): CurvePoint[] {
	const lifetimes = allLifetimes(input);
	const out: CurvePoint[] = [];
	for (const stored of studies) {
		const settings = stored.spec.objective.kind === 'bandit' ? stored.spec.objective.settings : {};
		for (const arm of stored.spec.arms) {
			const row = rows.find((r) => r.study === stored.spec.name && r.arm === arm.name);
			const own = lifetimes.filter((l) => l.study === stored.spec.name && l.arm === arm.name && numArrayField(l.fields, 'curve') !== undefined);
			const reevals = own.filter((l) => l.purpose === 'reevaluate');
			const chosen = row?.chosen;
			// a tuner arm runs one start configuration (its tuned params move inside each lifetime): all its lifetimes
			const picked =
				row?.role === 'tune'
					? own.filter((l) => l.purpose === 'search')
					: reevals.length > 0
						? reevals
						: chosen === undefined
							? []
							: own.filter((l) => l.purpose === 'search' && sameParams(l.params, chosen));
			if (picked.length === 0) continue;
			const method = picked[0]?.method as string;
			out.push(
				...aggregateCurves(
					method,
					picked.map((l) => numArrayField(l.fields, 'curve') as number[]),
					updatesOf(picked[0] as Lifetime, settings),
				),
			);
		}
	}
	return out;
}

export interface CurveSpecOptions {
	readonly title: string;
	readonly subtitle: string;
	readonly methods: readonly string[];
	readonly xTitle?: string;
	readonly yTitle?: string;
}

/** Lines (and 95% bands) of mean return per update, plus dashed reference levels. */
export function learningCurveSpec(points: readonly CurvePoint[], levels: readonly Level[], options: CurveSpecOptions): VlSpec {
	const color = methodColor(
		options.methods,
		points.map((p) => p.method),
		'stroke',
	);
	const x = { field: 'update', type: 'quantitative' as const, title: options.xTitle ?? 'Training update' };
	const yTitle = options.yTitle ?? 'Mean return per episode';
	const bands = points.filter((p) => p.low !== null);
	const layers: object[] = [];
	if (bands.length > 0)
		layers.push({ data: { values: bands }, mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: 'low', type: 'quantitative', title: yTitle }, y2: { field: 'high' }, color } });
	layers.push({
		data: { values: points },
		mark: { type: 'line', strokeWidth: 2 },
		encoding: {
			x,
			y: { field: 'mean', type: 'quantitative', title: yTitle, scale: { zero: false } },
			color,
			tooltip: [{ field: 'method' }, { field: 'update', format: '.0f' }, { field: 'mean', format: '.4g' }, { field: 'lifetimes' }],
		},
	});
	if (levels.length > 0) {
		layers.push({
			data: { values: levels },
			mark: { type: 'rule', color: '#666', strokeWidth: 1.5 },
			encoding: {
				y: { field: 'value', type: 'quantitative' },
				strokeDash: {
					field: 'label',
					type: 'nominal',
					title: 'Task reference',
					scale: {
						domain: levels.map((l) => l.label),
						range: [
							[8, 4],
							[2, 3],
							[1, 0],
						].slice(0, levels.length),
					},
				},
			},
		});
	}
	return {
		$schema: 'https://vega.github.io/schema/vega-lite/v6.json',
		title: { text: options.title, subtitle: options.subtitle },
		config: baseConfig,
		width: plotWidth,
		height: plotHeight,
		layer: layers,
	} as VlSpec;
}

/**
 * One learning-curve figure per task (and horizon): studies of different tasks have different
 * optimal and random levels, so each figure draws only the studies of its own task, with that
 * task's reference lines. A report whose studies share one task (or none is known) gets one figure,
 * `learning-curves`; several tasks give `learning-curves-<task>` figures (and `-other` for studies
 * whose task is not known: module objectives, a searched task). Studies that logged no curve are
 * left out of the grouping.
 */
export function learningCurvesFigures(input: ReportInput, rows: readonly ComparisonRow[]): FigureOutcome[] {
	const groups = new Map<string, { task: ReturnType<typeof studyTask>; studies: StoredStudy[] }>();
	for (const stored of input.studies) {
		const task = studyTask(stored.spec);
		const key = task === undefined ? '' : `${task.task}/${task.horizon}`;
		const group = groups.get(key) ?? { task, studies: [] };
		group.studies.push(stored);
		groups.set(key, group);
	}
	// groups without any learning curve (e.g. module objectives) draw nothing and split nothing
	const drawn = [...groups.values()].filter((g) => chosenCurves(input, rows, g.studies).length > 0);
	if (drawn.length <= 1) {
		const only = drawn[0];
		return [learningCurvesFigure(input, rows, only?.studies ?? input.studies, 'learning-curves', only?.task, false)];
	}
	const horizons = new Map<string, number>();
	for (const { task } of drawn) if (task !== undefined) horizons.set(task.task, (horizons.get(task.task) ?? 0) + 1);
	return drawn.map(({ task, studies }) => {
		const suffix = task === undefined ? 'other' : (horizons.get(task.task) ?? 0) > 1 ? `${task.task}-h${task.horizon}` : task.task;
		return learningCurvesFigure(input, rows, studies, `learning-curves-${suffix}`, task, true);
	});
}

function learningCurvesFigure(input: ReportInput, rows: readonly ComparisonRow[], studies: readonly StoredStudy[], id: string, task: ReturnType<typeof studyTask>, several: boolean): FigureOutcome {
	const title = `Learning curves of the chosen configurations${several ? (task === undefined ? ' (studies without a known task)' : `: ${task.task}`) : ''}`;
	const points = chosenCurves(input, rows, studies);
	if (points.length === 0) {
		const reported = allLifetimes(input).some((l) => (l.reports?.length ?? 0) > 0);
		const where = reported ? '; their intermediate reports are drawn in "Intermediate reports of every lifetime"' : '';
		return skipped(id, title, `no lifetime returned a \`curve\` field (an array of the metric during training, for the chosen configurations)${where}`);
	}
	const levels = task === undefined ? [] : taskLevels(task.task, task.horizon);
	const k = new Set(points.map((p) => p.lifetimes));
	return figure({
		id,
		title,
		caption:
			`Mean episode return per training update of each method's chosen configuration (its re-evaluation lifetimes when there are any), averaged over ${[...k].join('/')} lifetime(s); bands: mean +- 1.96 standard errors across lifetimes.` +
			(task === undefined ? '' : ` Dashed lines: expected return of the optimal and the uniform random policy on ${task.task} (horizon ${task.horizon}).`),
		spec: learningCurveSpec(points, levels, { title, subtitle: task === undefined ? 'mean return per update' : `${task.task}, ${task.horizon} pulls per episode`, methods: methods(input) }),
	});
}
