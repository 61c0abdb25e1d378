/**
 * Suggestion latency of the GP searcher at a given history size: one sequential GP run on a test
 * function up to `observations` evaluations, timing the last asks (warm: the fit cache holds the
 * study's earlier fits, as in a running study), then the ask at `observations` once more after
 * emptying the fit cache (cold: the first ask of a resumed study in a fresh process; the JIT is
 * already warm, so a real fresh process adds module load and JIT warm-up on top).
 *
 * Notation
 *   N          observations (completed trials) in the history when the timed ask is made
 *   warm asks  asks at N - warmAsks .. N observations during the run (warmAsks + 1 of them)
 *   cold       the ask at N with an empty fit cache; it must return the warm ask's proposal
 */
import { performance } from 'node:perf_hooks';
import { clearFitCache } from '../../searchers/gp/model.js';
import { GpSearcher } from '../../searchers/gp/searcher.js';
import type { AskRequest, AskResult, SearcherTrial } from '../../searchers/searcher.js';
import type { TestFunction } from './functions.js';

export interface LatencyOptions {
	readonly fn: TestFunction;
	readonly observations: number;
	readonly seed: number;
	/** Asks timed warm before the one at N (default 10). */
	readonly warmAsks?: number;
}

export interface LatencyResult {
	readonly fn: string;
	readonly dims: number;
	readonly observations: number;
	readonly seed: number;
	readonly coldMs: number;
	readonly warm: { readonly asks: number; readonly meanMs: number; readonly maxMs: number; readonly atNMs: number };
	/** Whether the cold ask returned exactly the warm ask's proposal (it must). */
	readonly sameProposal: boolean;
	/** Wall time of the whole GP run that built the history. */
	readonly runMs: number;
}

function timed(searcher: GpSearcher, request: AskRequest): { ms: number; result: AskResult } {
	const t0 = performance.now();
	const result = searcher.ask(request);
	return { ms: performance.now() - t0, result };
}

export function benchLatency(options: LatencyOptions): LatencyResult {
	const { fn, observations: n, seed } = options;
	const warmAsks = Math.min(options.warmAsks ?? 10, n);
	const searcher = new GpSearcher({ kind: 'gp', seed, acquisition: 'log_ei', ucb_beta: 2 });
	const trials: SearcherTrial[] = [];
	const warmMs: number[] = [];
	let atN: AskResult | undefined;
	const t0 = performance.now();
	for (;;) {
		const { ms, result } = timed(searcher, { space: fn.space, direction: 'minimize', trials, n: 1 });
		if (trials.length >= n - warmAsks) warmMs.push(ms);
		if (trials.length === n) {
			atN = result;
			break;
		}
		if (result.kind === 'exhausted') break;
		for (const p of result.proposals) {
			const value = fn.evaluate(p.params);
			trials.push(Number.isFinite(value) ? { number: trials.length, params: p.params, status: 'complete', value } : { number: trials.length, params: p.params, status: 'failed' });
		}
	}
	const runMs = performance.now() - t0;
	clearFitCache();
	const cold = timed(searcher, { space: fn.space, direction: 'minimize', trials, n: 1 });
	return {
		fn: fn.name,
		dims: Object.values(fn.space).filter((p) => p.type !== 'fixed').length,
		observations: trials.length,
		seed,
		coldMs: cold.ms,
		warm: { asks: warmMs.length, meanMs: warmMs.reduce((a, b) => a + b, 0) / Math.max(1, warmMs.length), maxMs: Math.max(...warmMs), atNMs: warmMs[warmMs.length - 1] ?? Number.NaN },
		sameProposal: JSON.stringify(cold.result) === JSON.stringify(atN),
		runMs,
	};
}

export function formatLatency(rows: readonly LatencyResult[]): string {
	const head = ['function', 'dims', 'N', 'seed', 'cold ms', 'warm ms at N', `warm mean`, 'warm max', 'warm asks', 'same', 'run s'];
	const body = rows.map((r) => [
		r.fn,
		String(r.dims),
		String(r.observations),
		String(r.seed),
		r.coldMs.toFixed(1),
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
