/**
 * The searcher benchmark on functions with several objectives (`bench searchers --functions
 * zdt1,c2dtlz2`): each searcher runs `budget` sequential evaluations from each seed and is scored by
 * the hypervolume of the feasible points it found, instead of the regret.
 *
 * Notation
 *   HV_s         hypervolume (src/core/pareto.ts) of the feasible evaluated points of the run with
 *                seed s against the function's reference point (functions-multi.ts); infeasible points
 *                count for nothing
 *   q1, med, q3  quartiles of HV_s over seeds (simple-statistics quantile)
 *   of optimum   med / the hypervolume of the true front
 *   feasible     the share of evaluations that were feasible, averaged over seeds
 *   msPerAsk     total ask time / asks, averaged over seeds
 *
 * The searchers see each trial's values (one per objective) and its violation (searcher.ts), and the
 * study's directions: grid and random ignore them, tpe and gp model them.
 */
import { performance } from 'node:perf_hooks';
import { createSearcher } from '../../searchers/index.js';
import type { SearcherConfig } from '../../searchers/config.js';
import type { SearcherTrial } from '../../searchers/searcher.js';
import { hypervolume } from '../core/pareto.js';
import { type Quartiles, quartiles, searcherConfig } from './bench.js';
import type { BenchSearcherKind } from './searcher-kinds.js';
import type { MultiObjectiveFunction } from './test-function.js';

export interface FrontRun {
	readonly hypervolume: number;
	readonly feasible: number;
	readonly msPerAsk: number;
	readonly evaluations: number;
	/** every evaluation's values and violation, in order */
	readonly points: readonly { readonly values: readonly number[]; readonly violation: number }[];
}

export interface FrontRow {
	readonly fn: string;
	readonly searcher: BenchSearcherKind;
	readonly budget: number;
	readonly seeds: number;
	readonly firstSeed: number;
	readonly reference: readonly number[];
	readonly hypervolume: Quartiles;
	readonly optimum: number;
	readonly feasible: number;
	readonly msPerAsk: number;
}

/** The hypervolume of the feasible points against the function's reference point. */
export function frontHypervolume(fn: MultiObjectiveFunction, points: FrontRun['points']): number {
	return hypervolume(
		points.filter((p) => p.violation <= 0).map((p) => p.values),
		fn.reference,
		fn.directions,
	);
}

/** One run: `budget` sequential asks of one proposal each, by the bench's searcher of that kind or by `config`. */
export function runFront(fn: MultiObjectiveFunction, kind: BenchSearcherKind, seed: number, budget: number, config?: SearcherConfig): FrontRun {
	const d = Object.values(fn.space).filter((p) => p.type !== 'fixed').length;
	const searcher = createSearcher(config ?? searcherConfig(kind, seed, budget, d));
	const trials: SearcherTrial[] = [];
	const points: { values: readonly number[]; violation: number }[] = [];
	let askMs = 0;
	let asks = 0;
	while (trials.length < budget) {
		const t0 = performance.now();
		const result = searcher.ask({ space: fn.space, direction: fn.directions[0]!, directions: fn.directions, trials, n: 1 });
		askMs += performance.now() - t0;
		asks++;
		if (result.kind === 'exhausted') break;
		for (const p of result.proposals) {
			const { values, violation } = fn.evaluate(p.params);
			points.push({ values, violation });
			trials.push({ number: trials.length, params: p.params, status: 'complete', value: values[0]!, values, ...(violation > 0 ? { violation } : {}) });
		}
	}
	return {
		hypervolume: frontHypervolume(fn, points),
		feasible: points.filter((p) => p.violation <= 0).length / Math.max(1, points.length),
		msPerAsk: askMs / Math.max(1, asks),
		evaluations: trials.length,
		points,
	};
}

export interface FrontBenchOptions {
	readonly functions: readonly MultiObjectiveFunction[];
	readonly searchers: readonly BenchSearcherKind[];
	readonly budget: number;
	readonly seeds: number;
	readonly firstSeed?: number;
	readonly onRow?: (row: FrontRow) => void;
}

export function benchFronts(options: FrontBenchOptions): FrontRow[] {
	const rows: FrontRow[] = [];
	const firstSeed = options.firstSeed ?? 0;
	for (const fn of options.functions) {
		for (const searcher of options.searchers) {
			const runs = Array.from({ length: options.seeds }, (_, s) => runFront(fn, searcher, firstSeed + s, options.budget));
			const hvs = runs.map((r) => r.hypervolume);
			const row: FrontRow = {
				fn: fn.name,
				searcher,
				budget: options.budget,
				seeds: options.seeds,
				firstSeed,
				reference: fn.reference,
				hypervolume: quartiles(hvs),
				optimum: fn.optimum,
				feasible: runs.reduce((a, r) => a + r.feasible, 0) / runs.length,
				msPerAsk: runs.reduce((a, r) => a + r.msPerAsk, 0) / runs.length,
			};
			rows.push(row);
			options.onRow?.(row);
		}
	}
	return rows;
}

export function formatFrontTable(rows: readonly FrontRow[]): string {
	const head = ['function', 'searcher', 'budget', 'seeds', 'reference', 'HV q1', 'HV median', 'HV q3', 'of optimum', 'feasible', 'ms/suggestion'];
	const body = rows.map((r) => [
		r.fn,
		r.searcher,
		String(r.budget),
		r.firstSeed === 0 ? String(r.seeds) : `${r.firstSeed}-${r.firstSeed + r.seeds - 1}`,
		`[${r.reference.join(', ')}]`,
		r.hypervolume.q1.toFixed(4),
		r.hypervolume.median.toFixed(4),
		r.hypervolume.q3.toFixed(4),
		`${(100 * (r.hypervolume.median / r.optimum)).toFixed(1)}%`,
		`${Math.round(100 * r.feasible)}%`,
		r.msPerAsk.toFixed(2),
	]);
	const widths = head.map((h, j) => Math.max(h.length, ...body.map((row) => row[j]!.length)));
	const line = (cells: readonly string[]) => cells.map((c, j) => (j < 2 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
	return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
