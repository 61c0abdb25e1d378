/**
 * Best-so-far reward against compute, one line per method (Optuna's "optimization history").
 *
 * Notation
 *   n           complete search lifetimes of the method so far, in completion order (data.ts)
 *   best_n      max (maximize) or min (minimize) of their values: the best reward the method had seen
 *               after spending n lifetimes
 *   steps_n     cumulative `env_steps` of those n lifetimes: the same curve against environment
 *               steps (second panel), drawn only when every lifetime logged env_steps
 * Re-evaluation lifetimes are not search and are left out. A pruned lifetime counts in n and steps_n
 * (it was paid for) but its partial value is never a best.
 *
 * Reference levels: when every study of the report runs the bandit objective on one task (and
 * horizon) with a per-episode return as its metric, the task's optimal and uniform-random returns
 * are drawn as dashed lines (task-levels.ts), so that a best-so-far line at chance reads as chance.
 */
import { lossSign } from '../../../searchers/common.js';
import { allLifetimes, methods, metricTitle, numField, type ReportInput } from './data.js';
import { studyTask, taskLevels, type Level } from './task-levels.js';
import { baseConfig, figure, methodColor, plotHeight, plotWidth, skipped, type FigureOutcome, type VlSpec } from './spec.js';

export interface BestPoint {
	readonly method: string;
	readonly lifetimes: number;
	readonly env_steps: number | null;
	readonly best: number;
	readonly value: number;
}

export function bestSoFarPoints(input: ReportInput): BestPoint[] {
	const out: BestPoint[] = [];
	const direction = input.studies[0]?.spec.direction ?? 'maximize';
	const sign = lossSign(direction);
	const state = new Map<string, { n: number; steps: number | null; best: number | undefined }>();
	for (const l of allLifetimes(input)) {
		if (l.purpose !== 'search') continue;
		const prev = state.get(l.method);
		const steps = numField(l.fields, 'env_steps');
		// a pruned lifetime spends compute but its partial value is never a best
		const candidate = l.pruned_at === undefined ? l.value : undefined;
		const best = candidate !== undefined && (prev?.best === undefined || sign * candidate < sign * prev.best) ? candidate : prev?.best;
		const next = {
			n: (prev?.n ?? 0) + 1,
			steps: steps === undefined || (prev !== undefined && prev.steps === null) ? null : (prev?.steps ?? 0) + steps,
			best,
		};
		state.set(l.method, next);
		if (best !== undefined) out.push({ method: l.method, lifetimes: next.n, env_steps: next.steps, best, value: l.value });
	}
	return out;
}

/** Lifetimes are counted whole: ticks at integers only, labelled without decimals. */
const wholeTicks = { tickMinStep: 1, format: 'd' };

const perEpisodeMetrics = ['lifetime_return', 'final_return'];

/** The task's optimal and random levels when every study shares one bandit task and a per-episode metric. */
function referenceLevels(input: ReportInput): { levels: Level[]; task: string } | undefined {
	const tasks = input.studies.map((s) => (perEpisodeMetrics.includes(s.spec.metric) ? studyTask(s.spec) : undefined));
	const first = tasks[0];
	if (first === undefined || tasks.some((t) => t === undefined || t.task !== first.task || t.horizon !== first.horizon)) return undefined;
	return { levels: taskLevels(first.task, first.horizon), task: `${first.task} (horizon ${first.horizon})` };
}

export function bestSoFarFigure(input: ReportInput): FigureOutcome {
	const id = 'best-so-far';
	const title = 'Best reward so far';
	const points = bestSoFarPoints(input);
	if (points.length === 0) return skipped(id, title, 'no complete search lifetimes yet');
	const first = input.studies[0];
	const yTitle = `Best so far: ${first === undefined ? 'value' : metricTitle(first)}`;
	const withSteps = points.every((p) => p.env_steps !== null);
	const color = methodColor(
		methods(input),
		points.map((p) => p.method),
	);
	const reference = referenceLevels(input);
	const levelLayer =
		reference === undefined
			? []
			: [
					{
						data: { values: reference.levels },
						mark: { type: 'rule' as const, color: '#666', strokeWidth: 1.5 },
						encoding: {
							y: { field: 'value', type: 'quantitative' as const },
							strokeDash: {
								field: 'label',
								type: 'nominal' as const,
								title: 'Task reference',
								scale: {
									domain: reference.levels.map((l) => l.label),
									range: [
										[8, 4],
										[2, 3],
									],
								},
							},
						},
					},
				];
	const panel = (x: 'lifetimes' | 'env_steps', xTitle: string) => ({
		width: withSteps ? Math.round(plotWidth * 0.75) : plotWidth,
		height: plotHeight,
		data: { values: points },
		layer: [
			{
				mark: { type: 'line' as const, interpolate: 'step-after' as const, strokeWidth: 2 },
				encoding: {
					x: { field: x, type: 'quantitative' as const, title: xTitle, ...(x === 'lifetimes' ? { axis: wholeTicks } : {}) },
					y: { field: 'best', type: 'quantitative' as const, title: yTitle, scale: { zero: false } },
					color,
				},
			},
			{
				mark: { type: 'point' as const, filled: true, size: 30 },
				encoding: {
					x: { field: x, type: 'quantitative' as const },
					y: { field: 'best', type: 'quantitative' as const },
					color,
					tooltip: [{ field: 'method' }, { field: 'lifetimes' }, { field: 'best', format: '.4g' }, { field: 'value', format: '.4g' }],
				},
			},
			...levelLayer,
		],
	});
	const sub = withSteps ? 'left: against lifetimes used; right: against environment steps used' : 'against lifetimes used (no env_steps logged)';
	return figure({
		id,
		title,
		caption: `Best value of ${first?.spec.metric ?? 'the metric'} seen by each method after each complete search lifetime, in completion order (${first?.spec.direction ?? 'maximize'}); ${sub}. Re-evaluation lifetimes are not counted.${reference === undefined ? '' : ` Dashed lines: expected return of the optimal and the uniform random policy on ${reference.task}.`}`,
		spec: {
			$schema: 'https://vega.github.io/schema/vega-lite/v6.json',
			title: { text: title, subtitle: sub },
			config: baseConfig,
			...(withSteps ? { hconcat: [panel('lifetimes', 'Lifetimes used (search)'), panel('env_steps', 'Environment steps used')] } : panel('lifetimes', 'Lifetimes used (search)')),
		} as VlSpec,
	});
}
