/**
 * The searcher benchmark: each searcher minimises each test function for `budget` evaluations from
 * `seeds` seeds (firstSeed .. firstSeed + seeds - 1; default 0: the seeds the gp's defaults were chosen
 * on, so `firstSeed: 100` gives held-out figures); we report the simple regret (best value found - known minimum) and the time per
 * suggestion (ask) in milliseconds.
 *
 * Notation
 *   regret_s     min over the run's evaluations of f - f*, for seed s
 *   q1, med, q3  quartiles of regret_s over seeds (simple-statistics quantile)
 *   reached      fraction of seeds with regret_s <= threshold (default 1e-2): on a function with
 *                two basins the median says little (half the runs in each moves it by decades),
 *                the fraction says how many runs found the better one
 *   msPerAsk     total ask time / number of asks, averaged over seeds
 *
 * Every searcher runs on a conditional space (grid on its valid combinations, random and gp as in
 * docs/searchers.md, tpe group by group).
 */
import { performance } from 'node:perf_hooks';
import { median, quantile } from 'simple-statistics';
import { createSearcher } from '../../searchers/index.js';
import type { SearcherConfig } from '../../searchers/config.js';
import type { SearcherTrial } from '../../searchers/searcher.js';
import type { TestFunction } from './functions.js';
import type { BenchSearcherKind } from './searcher-kinds.js';

export interface RunResult {
	readonly regret: number;
	readonly msPerAsk: number;
	readonly evaluations: number;
}

/** The median and quartiles of a sample over seeds (simple-statistics quantile). */
export interface Quartiles {
	readonly q1: number;
	readonly median: number;
	readonly q3: number;
}

export function quartiles(xs: readonly number[]): Quartiles {
	return { q1: quantile([...xs], 0.25), median: median([...xs]), q3: quantile([...xs], 0.75) };
}

export interface BenchRow {
	readonly fn: string;
	readonly searcher: BenchSearcherKind;
	readonly budget: number;
	readonly seeds: number;
	readonly firstSeed: number;
	readonly regret: Quartiles;
	readonly threshold: number;
	/** Fraction of runs with regret <= threshold. */
	readonly reached: number;
	readonly msPerAsk: number;
}

export function searcherConfig(kind: BenchSearcherKind, seed: number, budget: number, d: number): SearcherConfig {
	switch (kind) {
		case 'grid':
			// Points per dim so that the grid roughly fits the budget; shuffled so a partial grid covers.
			return { kind: 'grid', points: Math.max(2, Math.floor(budget ** (1 / Math.max(1, d)))), seed, shuffle: true };
		case 'random':
			return { kind: 'random', seed };
		case 'gp':
			return { kind: 'gp', seed, acquisition: 'log_ei', ucb_beta: 2 };
		case 'tpe':
			return { kind: 'tpe', seed, n_startup: 10, multivariate: true, constant_liar: true, n_ei_candidates: 24, prior_weight: 1 };
	}
}

/** One run: `budget` sequential asks of one proposal each. */
export function runOnce(fn: TestFunction, kind: BenchSearcherKind, seed: number, budget: number): RunResult {
	const d = Object.values(fn.space).filter((p) => p.type !== 'fixed').length;
	const searcher = createSearcher(searcherConfig(kind, seed, budget, d));
	const trials: SearcherTrial[] = [];
	let best = Number.POSITIVE_INFINITY;
	let askMs = 0;
	let asks = 0;
	while (trials.length < budget) {
		const t0 = performance.now();
		const result = searcher.ask({ space: fn.space, direction: 'minimize', trials, n: 1 });
		askMs += performance.now() - t0;
		asks++;
		if (result.kind === 'exhausted') break;
		for (const p of result.proposals) {
			const value = fn.evaluate(p.params);
			if (!Number.isFinite(value)) trials.push({ number: trials.length, params: p.params, status: 'failed' });
			else {
				trials.push({ number: trials.length, params: p.params, status: 'complete', value });
				best = Math.min(best, value);
			}
		}
	}
	return { regret: Math.max(0, best - fn.minimum), msPerAsk: askMs / Math.max(1, asks), evaluations: trials.length };
}

export interface BenchOptions {
	readonly functions: readonly TestFunction[];
	readonly searchers: readonly BenchSearcherKind[];
	readonly budget: number;
	readonly seeds: number;
	/** The first seed (default 0); runs use firstSeed .. firstSeed + seeds - 1. */
	readonly firstSeed?: number;
	/** Regret threshold for `reached` (default 1e-2). */
	readonly threshold?: number;
	readonly onRow?: (row: BenchRow) => void;
}

export function benchSearchers(options: BenchOptions): BenchRow[] {
	const rows: BenchRow[] = [];
	const threshold = options.threshold ?? 1e-2;
	const firstSeed = options.firstSeed ?? 0;
	for (const fn of options.functions) {
		for (const searcher of options.searchers) {
			const runs = Array.from({ length: options.seeds }, (_, s) => runOnce(fn, searcher, firstSeed + s, options.budget));
			const regrets = runs.map((r) => r.regret);
			const row: BenchRow = {
				fn: fn.name,
				searcher,
				budget: options.budget,
				seeds: options.seeds,
				firstSeed,
				regret: quartiles(regrets),
				threshold,
				reached: regrets.filter((r) => r <= threshold).length / regrets.length,
				msPerAsk: runs.reduce((a, r) => a + r.msPerAsk, 0) / runs.length,
			};
			rows.push(row);
			options.onRow?.(row);
		}
	}
	return rows;
}

export function formatTable(rows: readonly BenchRow[]): string {
	const head = ['function', 'searcher', 'budget', 'seeds', 'regret q1', 'regret median', 'regret q3', `<= ${thresholdLabel(rows)}`, 'ms/suggestion'];
	const body = rows.map((r) => [
		r.fn,
		r.searcher,
		String(r.budget),
		r.firstSeed === 0 ? String(r.seeds) : `${r.firstSeed}-${r.firstSeed + r.seeds - 1}`,
		r.regret.q1.toExponential(2),
		r.regret.median.toExponential(2),
		r.regret.q3.toExponential(2),
		`${Math.round(100 * r.reached)}%`,
		r.msPerAsk.toFixed(2),
	]);
	const widths = head.map((h, j) => Math.max(h.length, ...body.map((row) => row[j]!.length)));
	const line = (cells: readonly string[]) => cells.map((c, j) => (j < 2 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
	return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The threshold for the header: one value when all rows share it (the CLI's case). */
function thresholdLabel(rows: readonly BenchRow[]): string {
	const values = [...new Set(rows.map((r) => r.threshold))];
	return values.length === 1 ? values[0]!.toExponential(0) : 'threshold';
}
