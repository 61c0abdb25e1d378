#!/usr/bin/env node
/**
 * Benchmark: the GP's first ask in a fresh process (cold) against an ask with its fit in memory
 * (warm), at N observations, without the GP run up to N that `bench searchers --latency` makes (at
 * N = 800 that run takes many minutes). The history is N seeded uniform points of hartmann6 (not GP
 * proposals, so absolute times differ a little from the latency bench's); each repeat times
 *
 *   unrecorded  empty fit cache, no recorded fits: the chain of fits below N's refit point is
 *               recomputed (the only cold ask there was before fits were recorded)
 *   warm        the same ask again: its fits are in memory (a running study)
 *   cold        empty fit cache, the fits the unrecorded ask returned handed back as recorded (a
 *               resumed study: the journal holds them); must propose the warm ask's point
 *
 *   node --import tsx src/bench/scripts/gp-cold-ask.mjs [N=800] [repeats=3] [--root DIR]
 *
 * `--root` runs the sources of another checkout (e.g. an older commit in a git worktree: one whose
 * searcher records no fits prints no cold column), so before and after can alternate in one script.
 * One JSON line per repeat: ms of each ask and whether the proposals agree.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? resolve(args[rootAt + 1]) : resolve(import.meta.dirname, '../../..');
const numbers = args.filter((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--root').map(Number);
const n = numbers[0] ?? 800;
const repeats = numbers[1] ?? 3;
const load = (path) => import(pathToFileURL(resolve(root, path)).href);

const { GpSearcher } = await load('searchers/gp/searcher.ts');
const { clearFitCache } = await load('searchers/gp/model.ts');
const { hartmann6 } = await load('src/bench/functions.ts');
const { Rng } = await load('src/core/rng.ts');

const rng = new Rng(0).split('gp-cold-ask');
const names = Object.keys(hartmann6.space);
const trials = Array.from({ length: n }, (_, i) => {
	const params = Object.fromEntries(names.map((k) => [k, hartmann6.space[k].low + (hartmann6.space[k].high - hartmann6.space[k].low) * rng.next()]));
	return { number: i, params, status: 'complete', value: hartmann6.evaluate(params) };
});
const searcher = new GpSearcher({ kind: 'gp', seed: 0, acquisition: 'log_ei', ucb_beta: 2 });
const ask = (fits) => {
	const t0 = performance.now();
	const result = searcher.ask({ space: hartmann6.space, direction: 'minimize', trials, n: 1, fits });
	return { ms: performance.now() - t0, result };
};
const params = (r) => JSON.stringify(r.kind === 'proposals' ? r.proposals.map((p) => p.params) : r.kind);

for (let r = 0; r < repeats; r++) {
	clearFitCache();
	const unrecorded = ask(new Map());
	const warm = ask(new Map());
	const recorded = new Map((unrecorded.result.proposals?.[0]?.fits ?? []).map((f) => [f.key, f.theta]));
	const line = { n, repeat: r, unrecordedMs: Math.round(unrecorded.ms), warmMs: Math.round(warm.ms), same: params(warm.result) === params(unrecorded.result) };
	if (recorded.size > 0) {
		clearFitCache();
		const cold = ask(recorded);
		Object.assign(line, { coldMs: Math.round(cold.ms), recordedFits: recorded.size, coldSame: params(cold.result) === params(warm.result) });
	}
	console.log(JSON.stringify(line));
}
