/**
 * Best-so-far reward against compute, one line per method (Optuna's "optimization history").
 *
 * Notation
 *   n           complete search lifetimes of the method so far, in completion order (data.ts)
 *   best_n      max (maximize) or min (minimize) of their values: the best reward the method had seen
 *               after spending n lifetimes
 *   steps_n     cumulative `env_steps` of those n lifetimes: the same curve against environment
 *               steps (second panel), drawn only when every lifetime logged env_steps
 * Re-evaluation lifetimes are not search and are left out.
 */
import { lossSign } from '../../../searchers/common.js';
import { allLifetimes, methods, metricTitle, numField, type ReportInput } from './data.js';
import { baseConfig, figure, methodColor, plotHeight, plotWidth, skipped, type FigureOutcome, type VlSpec } from './render.js';

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
	const state = new Map<string, { n: number; steps: number | null; best: number }>();
	for (const l of allLifetimes(input)) {
		if (l.purpose !== 'search') continue;
		const prev = state.get(l.method);
		const steps = numField(l.fields, 'env_steps');
		const next = {
			n: (prev?.n ?? 0) + 1,
			steps: steps === undefined || (prev !== undefined && prev.steps === null) ? null : (prev?.steps ?? 0) + steps,
			best: prev === undefined || sign * l.value < sign * prev.best ? l.value : prev.best,
		};
		state.set(l.method, next);
		out.push({ method: l.method, lifetimes: next.n, env_steps: next.steps, best: next.best, value: l.value });
	}
	return out;
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
	const panel = (x: 'lifetimes' | 'env_steps', xTitle: string) => ({
		width: withSteps ? Math.round(plotWidth * 0.75) : plotWidth,
		height: plotHeight,
		data: { values: points },
		layer: [
			{
				mark: { type: 'line' as const, interpolate: 'step-after' as const, strokeWidth: 2 },
				encoding: { x: { field: x, type: 'quantitative' as const, title: xTitle }, y: { field: 'best', type: 'quantitative' as const, title: yTitle, scale: { zero: false } }, color },
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
		],
	});
	const sub = withSteps ? 'left: against lifetimes used; right: against environment steps used' : 'against lifetimes used (no env_steps logged)';
	return figure({
		id,
		title,
		caption: `Best value of ${first?.spec.metric ?? 'the metric'} seen by each method after each complete search lifetime, in completion order (${first?.spec.direction ?? 'maximize'}); ${sub}. Re-evaluation lifetimes are not counted.`,
		spec: {
			$schema: 'https://vega.github.io/schema/vega-lite/v6.json',
			title: { text: title, subtitle: sub },
			config: baseConfig,
			...(withSteps ? { hconcat: [panel('lifetimes', 'Lifetimes used (search)'), panel('env_steps', 'Environment steps used')] } : panel('lifetimes', 'Lifetimes used (search)')),
		} as VlSpec,
	});
}
