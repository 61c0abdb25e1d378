/**
 * Suggestion latency of the GP searcher against history size: one sequential GP run on a test
 * function up to the largest N asked for, timing the asks around each N (warm: the fit cache holds
 * the study's earlier fits, as in a running study), then at each N the ask once more after emptying
 * the fit cache (cold: the first ask of a resumed study in a fresh process; the JIT is already warm,
 * so a real fresh process adds module load and JIT warm-up on top). As in a study, every ask is
 * handed the fits recorded with the earlier proposals (`AskRequest.fits`: the journal's).
 *
 * Notation
 *   N          observations (completed trials) in the history when the timed ask is made
 *   warm asks  asks at N - warmAsks .. N observations during the run (warmAsks + 1 of them)
 *   cold       the ask at N with an empty fit cache and the recorded fits (a resumed study); it must
 *              return the warm ask's proposal, fits to record included
 *   unrecorded the ask at N with an empty fit cache and no recorded fits: it recomputes the chain of
 *              fits below N's refit point (what every cold ask did before fits were recorded); it
 *              must propose the same point
 *   run s      wall time of the run from the start up to N (cold asks excluded)
 */
import { performance } from 'node:perf_hooks';
import { clearFitCache } from '../../searchers/gp/model.js';
import { GpSearcher } from '../../searchers/gp/searcher.js';
import type { AskRequest, AskResult, SearcherTrial } from '../../searchers/searcher.js';
import type { TestFunction } from './functions.js';

/** History sizes timed by a bare `--latency`. */
export const defaultLatencySizes: readonly number[] = [50, 100, 200, 400, 800];

export interface LatencyOptions {
	readonly fn: TestFunction;
	/** History sizes N to time, any order (duplicates ignored). */
	readonly observations: readonly number[];
	readonly seed: number;
	/** Asks timed warm before the one at N (default 10). */
	readonly warmAsks?: number;
	/** Called with each row as soon as its size is reached (progress for long runs). */
	readonly onRow?: (row: LatencyResult) => void;
}

export interface LatencyResult {
	readonly fn: string;
	readonly dims: number;
	readonly observations: number;
	readonly seed: number;
	readonly coldMs: number;
	/** the cold ask without recorded fits (the chain of fits recomputed) */
	readonly unrecordedMs: number;
	readonly warm: { readonly asks: number; readonly meanMs: number; readonly maxMs: number; readonly atNMs: number };
	/** Whether the cold ask returned exactly the warm ask's proposal, and the unrecorded one its params (they must). */
	readonly sameProposal: boolean;
	/** Wall time of the GP run up to N. */
	readonly runMs: number;
}

function timed(searcher: GpSearcher, request: AskRequest): { ms: number; result: AskResult } {
	const t0 = performance.now();
	const result = searcher.ask(request);
	return { ms: performance.now() - t0, result };
}

/** One row per N (ascending); a run that exhausts its space before some N reports the sizes reached. */
export function benchLatency(options: LatencyOptions): LatencyResult[] {
	const { fn, seed } = options;
	const sizes = [...new Set(options.observations)].sort((a, b) => a - b);
	const last = sizes[sizes.length - 1] ?? 0;
	const searcher = new GpSearcher({ kind: 'gp', seed, acquisition: 'log_ei', ucb_beta: 2 });
	const trials: SearcherTrial[] = [];
	const dims = Object.values(fn.space).filter((p) => p.type !== 'fixed').length;
	const rows: LatencyResult[] = [];
	const windows = new Map<number, number[]>();
	const recorded = new Map<string, readonly number[]>();
	let runMs = 0;
	for (;;) {
		const n = trials.length;
		const request: AskRequest = { space: fn.space, direction: 'minimize', trials, n: 1, fits: new Map(recorded) };
		const { ms, result } = timed(searcher, request);
		runMs += ms;
		for (const size of sizes) {
			if (n >= size - Math.min(options.warmAsks ?? 10, size) && n <= size) windows.set(size, [...(windows.get(size) ?? []), ms]);
		}
		if (sizes.includes(n)) {
			const warm = windows.get(n) ?? [ms];
			clearFitCache();
			const cold = timed(searcher, request);
			clearFitCache();
			const unrecorded = timed(searcher, { ...request, fits: new Map() });
			const paramsOf = (r: AskResult) => JSON.stringify(r.kind === 'proposals' ? r.proposals.map((p) => p.params) : r.kind);
			const row: LatencyResult = {
				fn: fn.name,
				dims,
				observations: n,
				seed,
				coldMs: cold.ms,
				unrecordedMs: unrecorded.ms,
				warm: { asks: warm.length, meanMs: warm.reduce((a, b) => a + b, 0) / warm.length, maxMs: Math.max(...warm), atNMs: ms },
				sameProposal: JSON.stringify(cold.result) === JSON.stringify(result) && paramsOf(unrecorded.result) === paramsOf(result),
				runMs,
			};
			rows.push(row);
			options.onRow?.(row);
		}
		if (n >= last || result.kind === 'exhausted') break;
		for (const p of result.proposals) {
			for (const fit of p.fits ?? []) recorded.set(fit.key, fit.theta);
			const value = fn.evaluate(p.params);
			trials.push(Number.isFinite(value) ? { number: trials.length, params: p.params, status: 'complete', value } : { number: trials.length, params: p.params, status: 'failed' });
		}
	}
	return rows;
}

export function formatLatency(rows: readonly LatencyResult[]): string {
	const head = ['function', 'dims', 'N', 'seed', 'cold ms', 'unrecorded ms', 'warm ms at N', `warm mean`, 'warm max', 'warm asks', 'same', 'run s'];
	const body = rows.map((r) => [
		r.fn,
		String(r.dims),
		String(r.observations),
		String(r.seed),
		r.coldMs.toFixed(1),
		r.unrecordedMs.toFixed(1),
		r.warm.atNMs.toFixed(1),
		r.warm.meanMs.toFixed(1),
		r.warm.maxMs.toFixed(1),
		String(r.warm.asks),
		r.sameProposal ? 'yes' : 'NO',
		(r.runMs / 1000).toFixed(1),
	]);
	const widths = head.map((h, j) => Math.max(h.length, ...body.map((row) => row[j]!.length)));
	const line = (cells: readonly string[]) => cells.map((c, j) => (j < 1 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ');
	return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
