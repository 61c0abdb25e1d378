/**
 * Pareto fronts (issue 26): for a study with several metrics, every searched configuration of every
 * searcher arm at its search means, coloured by method. Two metrics: a scatter of the first against
 * the second, the arm's front members solid and its dominated configurations faded, infeasible ones
 * (a constraint missed) as crosses. Three or more: parallel coordinates, one line per configuration
 * over the metrics, each axis scaled from its lowest to its highest value (0 to 1), faded the same way.
 * The front is the one the table counts (objectives.ts `frontOf`: feasible configurations that ran to
 * their end, none dominating them).
 */
import type { StoredStudy } from '../../study/view.js';
import { armRole, armSearch, frontOf } from '../../study/view.js';
import { methodLabel, methods, type ReportInput } from './data.js';
import { baseConfig, figure, methodColor, skipped, type FigureOutcome, type VlSpec } from './spec.js';

const kinds = ['on the front', 'dominated', 'infeasible'] as const;

interface FrontPoint {
	readonly method: string;
	readonly kind: (typeof kinds)[number];
	readonly config: string;
	readonly values: readonly number[];
}

const slug = (s: string) =>
	s
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

function frontPoints(input: ReportInput, stored: StoredStudy): FrontPoint[] {
	const { spec } = stored;
	return spec.arms
		.filter((arm) => armRole(arm).role === 'search')
		.flatMap((arm) => {
			const { trials } = armSearch(stored, arm.name);
			const front = new Set(frontOf(spec, trials).map((t) => t.number));
			const method = methodLabel(input, spec.name, arm.name);
			return trials.flatMap((t): FrontPoint[] => {
				if (t.status !== 'complete' || t.pruned === true || t.values === undefined) return [];
				const kind = (t.violation ?? 0) > 0 ? kinds[2] : front.has(t.number) ? kinds[0] : kinds[1];
				return [{ method, kind, config: `${arm.name} #${t.number}`, values: t.values }];
			});
		});
}

/** The front figure of every study with several metrics. */
export function paretoFrontFigures(input: ReportInput): FigureOutcome[] {
	return input.studies.flatMap((stored): FigureOutcome[] => {
		const metrics = stored.spec.metrics;
		if (metrics === undefined || metrics.length < 2) return [];
		const id = `pareto-front${input.studies.length > 1 ? `-${slug(stored.spec.name)}` : ''}`;
		const title = `Pareto fronts${input.studies.length > 1 ? ` (${stored.spec.name})` : ''}`;
		const points = frontPoints(input, stored);
		if (points.length === 0) return [skipped(id, title, 'no complete search configurations yet')];
		const color = methodColor(
			methods(input),
			points.map((p) => p.method),
		);
		const opacity = { field: 'kind', type: 'ordinal' as const, sort: [...kinds], title: 'Configuration', scale: { domain: [...kinds], range: [1, 0.25, 0.6] } };
		const shape = { field: 'kind', type: 'nominal' as const, title: 'Configuration', scale: { domain: [...kinds], range: ['circle', 'circle', 'cross'] } };
		const names = metrics.map((m) => `${m.name} (${m.direction})`);
		const counted = `${points.length} configurations at their search means, ${points.filter((p) => p.kind === kinds[0]).length} on a front`;
		if (metrics.length === 2) {
			return [
				figure({
					id,
					title,
					caption: `Each searched configuration at the mean of its lifetimes: ${names[0]} against ${names[1]}, coloured by method. Solid: on its arm's Pareto front; faded: dominated; crosses: infeasible (a constraint missed). The table re-evaluates the front on fresh seeds.`,
					spec: {
						$schema: 'https://vega.github.io/schema/vega-lite/v6.json',
						title: { text: title, subtitle: counted },
						config: baseConfig,
						width: 420,
						height: 300,
						data: { values: points.map((p) => ({ method: p.method, kind: p.kind, config: p.config, x: p.values[0], y: p.values[1] })) },
						mark: { type: 'point', filled: true, size: 60 },
						encoding: {
							x: { field: 'x', type: 'quantitative', title: names[0], scale: { zero: false } },
							y: { field: 'y', type: 'quantitative', title: names[1], scale: { zero: false } },
							color,
							opacity,
							shape,
							tooltip: [{ field: 'method' }, { field: 'config' }, { field: 'kind' }, { field: 'x', title: metrics[0]?.name, format: '.4g' }, { field: 'y', title: metrics[1]?.name, format: '.4g' }],
						},
					} as VlSpec,
				}),
			];
		}
		// parallel coordinates: each metric scaled to [0, 1] over the configurations drawn
		const lo = metrics.map((_, k) => Math.min(...points.map((p) => p.values[k] as number)));
		const hi = metrics.map((_, k) => Math.max(...points.map((p) => p.values[k] as number)));
		const rows = points.flatMap((p) =>
			metrics.map((_, k) => {
				const span = (hi[k] as number) - (lo[k] as number);
				return { method: p.method, kind: p.kind, config: p.config, metric: names[k], value: p.values[k], scaled: span > 0 ? ((p.values[k] as number) - (lo[k] as number)) / span : 0.5 };
			}),
		);
		return [
			figure({
				id,
				title,
				caption: `Parallel coordinates: each searched configuration is a line over the ${metrics.length} metrics (each axis from its lowest to its highest value), coloured by method. Solid: on its arm's Pareto front; faded: dominated or infeasible.`,
				spec: {
					$schema: 'https://vega.github.io/schema/vega-lite/v6.json',
					title: { text: title, subtitle: counted },
					config: baseConfig,
					width: 120 * metrics.length,
					height: 300,
					data: { values: rows },
					mark: { type: 'line', point: true },
					encoding: {
						x: { field: 'metric', type: 'nominal', title: null, sort: names },
						y: { field: 'scaled', type: 'quantitative', title: 'scaled value (0: lowest, 1: highest)' },
						detail: { field: 'config', type: 'nominal' },
						color,
						opacity,
						tooltip: [{ field: 'method' }, { field: 'config' }, { field: 'kind' }, { field: 'metric' }, { field: 'value', format: '.4g' }],
					},
				} as VlSpec,
			}),
		];
	});
}
