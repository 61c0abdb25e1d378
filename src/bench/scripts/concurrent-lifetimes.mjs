/**
 * Do two lifetimes at once slow each other down? K worker threads each run N quick-start lifetimes
 * (the bandit objective of studies/quickstart.yaml at gamma 0.9, lifetime i on seed 1000 + i) with no
 * runner around them; each prints its thread's CPU for its start-up (loading and building the
 * objective) and for each lifetime, and the process prints the CPU of its helper threads (V8's
 * concurrent compilers and GC helpers: thread-cpu.ts). Per-thread CPU holds up under other jobs' load
 * where walls do not: equal lifetime CPU at K = 1 and K = 2 means the lanes' own threads do not
 * contend (caches, memory, locks); what K = 2 adds is then the second isolate's start-up and JIT.
 *
 *   npm run build && node src/bench/scripts/concurrent-lifetimes.mjs [--threads 1] [--lifetimes 3]
 *     [--root <a checkout with dist/, to compare builds>] [--young-mb <the workers' young generation, MB>]
 * Alternate K = 1 and K = 2 (and builds) in one shell loop to compare them.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** On-CPU ms of this thread (Linux). */
const threadMs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;

/** On-CPU ms of every live thread of this process, by tid (src/bench/thread-cpu.ts, from this checkout's build). */
const { threadCpuMs } = await import(pathToFileURL(resolve(import.meta.dirname, '../../../dist/src/bench/thread-cpu.js')).href);
const threads = () => threadCpuMs() ?? new Map();

if (isMainThread) {
	const { values } = parseArgs({
		options: {
			threads: { type: 'string', default: '1' },
			lifetimes: { type: 'string', default: '3' },
			root: { type: 'string', default: resolve(import.meta.dirname, '../../..') },
			'young-mb': { type: 'string', default: '0' },
		},
	});
	const before = threads();
	const t0 = performance.now();
	const results = await Promise.all(
		Array.from(
			{ length: Number(values.threads) },
			() =>
				new Promise((done, fail) => {
					const young = Number(values['young-mb']); // a worker's young generation (0: V8's default)
					const limits = young > 0 ? { resourceLimits: { maxYoungGenerationSizeMb: young } } : {};
					const worker = new Worker(new URL(import.meta.url), { workerData: { root: values.root, lifetimes: Number(values.lifetimes) }, ...limits });
					worker.on('message', done);
					worker.on('error', fail);
				}),
		),
	);
	const after = threads();
	const main = String(process.pid);
	const helpers = [...before.keys()].filter((tid) => tid !== main).reduce((sum, tid) => sum + (after.get(tid) ?? before.get(tid)) - before.get(tid), 0);
	console.log(
		`${values.root}: ${values.threads} thread(s), wall ${Math.round(performance.now() - t0)} ms, helper threads ${Math.round(helpers)} ms; per thread: start-up, then each lifetime (CPU ms): ${results.map((r) => r.join(', ')).join(' | ')}`,
	);
} else {
	const t = threadMs();
	const { objectiveFor } = await import(pathToFileURL(resolve(workerData.root, 'dist/src/objectives/registry.js')).href);
	const settings = { task: 'eleven-armed', train_episodes: 30000, eval_episodes: 500, backend: 'auto' };
	const objective = await objectiveFor({ objective: { kind: 'bandit', settings }, dir: workerData.root, file: 'studies/quickstart.yaml' });
	const out = [Math.round(threadMs() - t)];
	for (let i = 0; i < workerData.lifetimes; i++) {
		const c = threadMs();
		await objective({ gamma: 0.9 }, { seed: 1000 + i, trial: i });
		out.push(Math.round(threadMs() - c));
	}
	parentPort?.postMessage(out);
}
