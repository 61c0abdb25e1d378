/**
 * Where the CPU of a study at 1 lane and at c lanes goes, thread by thread (Linux: the on-CPU time of
 * each thread of this process from /proc/self/task/<tid>/schedstat). `bench parallel` measures walls
 * and the process's CPU; this script splits that CPU into the lanes' worker threads (start-up, JIT
 * warm-up and lifetimes), V8's own threads (garbage-collection helpers, concurrent JIT and wasm
 * compilation) and the main thread, figures that hold up under other jobs' load where walls do not.
 *
 *   npm run build && node src/bench/scripts/parallel-threads.mjs [--workload cpu|agent|quickstart|quickstart-study] [--lifetimes 8]
 *     [--episodes 3000] [--concurrency 2] [--repeats 2] [--root <a checkout with dist/, to compare builds>]
 *
 * Notation (per study; ms of CPU)
 *   W_i        worker thread i's CPU: spawning and loading the objective, then its lifetimes
 *   V8         the threads that existed before the study other than the main thread (shared by the
 *              workers' isolates: GC helpers, concurrent compilers)
 *   main       the main thread (decisions, journal writes, report replies)
 *   per lifetime (1 lane)   the worker's CPU between consecutive lifetime ends (the first includes
 *              the worker's start-up and the JIT's warm-up)
 *   bound      W_1 / max(max_i W_i, total_c / c), W_1 the worker's CPU at 1 lane, W_i and total_c at c
 *              lanes: on c free cores a study takes at least its busiest worker's CPU and at least all
 *              its CPU / c of wall; at 1 lane the other threads' work runs beside the worker on the
 *              free core, at c lanes it competes with the lanes. So the speedup on free cores is at
 *              most this bound (less the lanes' idle gaps); 2 W / total for c = 2 and equal CPU
 * Worker threads are sampled at each lifetime's start and end (a worker's thread is gone once the pool
 * closes, after the last end), so the sampling adds no timer to the main thread.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
	options: {
		workload: { type: 'string', default: 'agent' },
		lifetimes: { type: 'string', default: '8' },
		episodes: { type: 'string', default: '3000' },
		concurrency: { type: 'string', default: '2' },
		repeats: { type: 'string', default: '2' },
		root: { type: 'string', default: resolve(import.meta.dirname, '../../..') },
	},
});
const lifetimes = Number(values.lifetimes);
const lanes = Number(values.concurrency);
const dist = (path) => pathToFileURL(join(values.root, 'dist', 'src', path)).href;
const { runStudy } = await import(dist('study/run/runner.js'));
const { Study } = await import(dist('study/study.js'));
const { openStudyFile } = await import(dist('study/open.js'));

/** On-CPU ms of every live thread of this process, by tid (src/bench/thread-cpu.ts, from this checkout's build). */
const { threadCpuMs } = await import(pathToFileURL(resolve(import.meta.dirname, '../../../dist/src/bench/thread-cpu.js')).href);
const threads = () => threadCpuMs() ?? new Map();

function studyDocument(name, workload, lifetimes) {
	const common = { name, searcher: { kind: 'grid', points: lifetimes }, budget: lifetimes, repeats: 1 };
	if (workload === 'cpu') return { ...common, objective: { module: './cpu-objective.mjs' }, space: { x: { type: 'float', low: 0, high: 1 } } };
	if (workload === 'quickstart') {
		// bench parallel's quickstart workload: the quick start's lifetime at one gamma, lifetime k on slot k's seed
		const bandit = { task: 'eleven-armed', train_episodes: 30000, eval_episodes: 500, backend: 'auto' };
		return { ...common, searcher: { kind: 'grid' }, repeats: lifetimes, objective: { bandit }, metric: 'lifetime_return', space: { gamma: { type: 'categorical', choices: [0.9] } } };
	}
	const bandit = { task: 'eleven-armed', train_episodes: Number(values.episodes), eval_episodes: 100, backend: 'wasm' };
	return { ...common, objective: { bandit }, metric: 'lifetime_return', space: { gamma: { type: 'float', low: 0.5, high: 0.95 } } };
}

async function measure(dir, concurrency, name) {
	const main = String(process.pid);
	const before = threads();
	const last = new Map(before);
	const ends = []; // the new threads' CPU at each lifetime's end
	const sample = () => {
		const now = threads();
		for (const [tid, ms] of now) last.set(tid, ms);
		return now;
	};
	const t0 = performance.now();
	const study =
		values.workload !== 'quickstart-study'
			? await Study.open(studyDocument(name, values.workload, lifetimes), { resultsDir: join(dir, 'results'), dir })
			: name === 'warmup' // the quick start's own file, its 18 lifetimes; warmed up on two of its lifetimes
				? await Study.open(studyDocument(name, 'quickstart', lanes), { resultsDir: join(dir, 'results'), dir })
				: await openStudyFile(join(values.root, 'studies', 'quickstart.yaml'), { resultsDir: join(dir, name), warn: () => undefined });
	await runStudy(study, {
		concurrency,
		commit: 'bench',
		onEvent: (event) => {
			if (event.type === 'started') sample();
			else if (event.type === 'finished') ends.push(sample());
		},
	});
	study.close();
	const wall = performance.now() - t0;
	sample();
	const delta = (tid) => (last.get(tid) ?? 0) - (before.get(tid) ?? 0);
	const workers = [...last.keys()].filter((tid) => !before.has(tid) && delta(tid) > 20);
	const w = workers.map(delta);
	const v8 = [...before.keys()].filter((tid) => tid !== main).reduce((sum, tid) => sum + delta(tid), 0);
	const mainMs = delta(main);
	const total = w.reduce((a, b) => a + b, 0) + v8 + mainMs;
	let perLifetime = [];
	let v8PerLifetime = [];
	if (concurrency === 1 && workers.length === 1) {
		const at = ends.map((snapshot) => snapshot.get(workers[0]) ?? 0);
		perLifetime = at.map((ms, i) => Math.round(ms - (i === 0 ? 0 : (at[i - 1] ?? 0))));
		const v8At = ends.map((snapshot) => [...before.keys()].filter((tid) => tid !== main).reduce((sum, tid) => sum + (snapshot.get(tid) ?? before.get(tid)) - before.get(tid), 0));
		v8PerLifetime = v8At.map((ms, i) => Math.round(ms - (i === 0 ? 0 : (v8At[i - 1] ?? 0))));
	}
	return { concurrency, wall, w, v8, mainMs, total, perLifetime, v8PerLifetime };
}

const dir = mkdtempSync(join(tmpdir(), 'metatune-parallel-threads-'));
try {
	writeFileSync(
		join(dir, 'cpu-objective.mjs'),
		'export default async function (params, context) {\n\tlet x = Number(params.x) + 1;\n\tfor (let step = 1; step <= 20; step++) {\n\t\tfor (let i = 0; i < 1e6; i++) x = Math.sqrt(x * x + 1e-9 * i) * 0.999999 + 1e-6;\n\t\tawait context.report(step, x);\n\t}\n\treturn x;\n}\n',
	);
	await measure(dir, lanes, 'warmup'); // the main thread loads the study's modules once
	console.log(`${values.workload}, ${lifetimes} lifetimes, root ${values.root}; CPU ms per study by thread; load ${loadavg()[0]?.toFixed(1)}`);
	console.log('| lanes | wall ms | worker threads | V8 threads | main | total | bound on the speedup | worker CPU per lifetime (1 lane) | V8 threads per lifetime (1 lane) |');
	console.log('|---|---|---|---|---|---|---|---|---|');
	for (let r = 0; r < Number(values.repeats); r++) {
		const one = await measure(dir, 1, `one-${r}`);
		const many = await measure(dir, lanes, `many-${r}`);
		const bound = (one.w[0] ?? 0) / Math.max(...many.w, many.total / lanes);
		for (const m of [one, many])
			console.log(
				`| ${m.concurrency} | ${Math.round(m.wall)} | ${m.w.map(Math.round).join(' + ')} | ${Math.round(m.v8)} | ${Math.round(m.mainMs)} | ${Math.round(m.total)} | ${m === many ? `${bound.toFixed(2)}x` : ''} | ${m.perLifetime.join(', ')} | ${m.v8PerLifetime.join(', ')} |`,
			);
	}
} finally {
	rmSync(dir, { recursive: true, force: true });
}
