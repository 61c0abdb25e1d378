/**
 * The parallel-lifetimes benchmark: how much faster a study runs with two lifetimes at once than
 * with one, the way `metatune run` runs them (worker threads, the durable journal, the scheduler).
 *
 * Notation
 *   L           lifetimes per study (one searcher arm, grid over a dummy float, repeats 1)
 *   c           lanes (lifetimes at once); the benchmark runs c = 1 and c = `concurrency`
 *   wall_c      wall time of the whole study at c lanes, from Study.open to the last record
 *   speedup     wall_1 / wall_c of one alternated pair (c = 1 first, then c, then the next pair),
 *               summarised as the median [min, max] over the pairs; the ideal is c on c free cores
 *   cores used  CPU time of the process (every thread: process.cpuUsage) / wall: what the study
 *               kept busy; below c with c lanes means something serialises the lanes
 *   CPU per lifetime   that CPU time / L at each c: equal at 1 and c lanes means the lanes do not
 *               slow one another down (no shared lock, cache or memory-bandwidth contention, no
 *               extra garbage collection), so on c free cores the speedup is c less start-up and
 *               the last lifetimes' imbalance; this figure holds up better than the wall under
 *               other jobs' load
 *   main busy   the main thread's event-loop utilisation over the run (performance
 *               .eventLoopUtilization): the share of the wall the runner's own thread was working
 *               (decisions, journal writes, messages from the workers); near 1 it is the bottleneck
 *   worker start-up   per lane, from its first lifetime's start (the `started` event: the worker is
 *               spawned then) to that lifetime running in the worker (its `finished` time less its
 *               wall_ms): spawning the thread, loading the objective's code; the median over lanes
 *   warm lifetime   the mean wall_ms (as the worker measured it) of the lifetimes after each lane's
 *               first (the first also pays the JIT's warm-up of the objective in a fresh worker)
 *   steady speedup   c warm_1 / warm_c: the throughput ratio, lifetimes per second once the workers
 *               are warm, that a long study approaches; the end-to-end speedup is below it by the
 *               fixed costs (process, worker start-up and warm-up) and the last lifetimes' imbalance
 *   workloads   cpu: a module objective that spins a fixed floating-point loop (identical work per
 *               lifetime, `cpuIterations`) and reports 20 times; agent: the built-in bandit agent
 *               (eleven-armed task, `agentEpisodes` training episodes, wasm backend), whose
 *               lifetimes differ a little in length; quickstart: the quick start's lifetime
 *               (studies/quickstart.yaml: 30000 training and 500 evaluation episodes, backend auto),
 *               long enough that a worker's start-up no longer matters, at one gamma repeated on
 *               the slots' seeds, so that 1 and c lanes run the same lifetimes; quickstart-study:
 *               studies/quickstart.yaml itself, as `metatune run` runs it (its 18 lifetimes: two
 *               arms of 6 and 3 re-evaluations each; --lifetimes does not apply), so 1 and c lanes
 *               run the same study with its own shape: arms, re-evaluations and the last lifetimes
 *   helper threads   CPU of the process's threads other than the main one and the workers over the
 *               study (thread-cpu.ts; Linux): V8's concurrent compilers and GC helpers for every
 *               worker's isolate. At 1 lane they run on a core the lane leaves free, at c lanes on
 *               c cores they delay the lanes; each worker compiles the objective's code once
 *
 * The load average before and after is printed: with other jobs on the machine the speedup
 * measures the share of cores the study could get, not metatune. So is where the code runs from:
 * TypeScript sources through tsx (each worker thread then registers tsx and compiles the modules it
 * loads) or the compiled dist/ that an installed package runs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { type RunEvent, runStudy } from '../study/run/runner.js';
import { openStudyFile } from '../study/open.js';
import { Study } from '../study/study.js';
import { helperThreadsMs, threadCpuMs } from './thread-cpu.js';

const parallelWorkloads = ['cpu', 'agent', 'quickstart', 'quickstart-study'] as const;
export type ParallelWorkload = (typeof parallelWorkloads)[number];

export function isParallelWorkload(name: string): name is ParallelWorkload {
	return (parallelWorkloads as readonly string[]).includes(name);
}

export interface ParallelBenchOptions {
	readonly workloads: readonly ParallelWorkload[];
	readonly lifetimes: number;
	readonly concurrency: number;
	/** alternated (c = 1, c = concurrency) pairs per workload */
	readonly repeats: number;
	/** iterations of the cpu workload's loop per lifetime */
	readonly cpuIterations: number;
	/** training episodes of an agent lifetime */
	readonly agentEpisodes: number;
	/** called after each timed study, for progress on long runs */
	readonly onRun?: (line: string) => void;
}

export interface ParallelRun {
	readonly concurrency: number;
	/** lifetimes the study ran (the options' count, or the quick start's own for quickstart-study) */
	readonly lifetimes: number;
	readonly wallMs: number;
	/** CPU time of the process (every thread) per lifetime */
	readonly cpuMsPerLifetime: number;
	readonly coresUsed: number;
	readonly mainBusy: number;
	/** per lane: its first lifetime's start to that lifetime running in the worker (spawn to ready) */
	readonly workerStartMs: readonly number[];
	/** each lifetime's wall_ms as the worker measured it, in the order they started */
	readonly lifetimeMs: readonly number[];
	/** mean lifetimeMs after each lane's first lifetime (undefined when every lifetime was a first) */
	readonly warmLifetimeMs: number | undefined;
	/** CPU ms of the process's helper threads (V8's compilers and GC helpers; thread-cpu.ts) over the study; undefined without /proc */
	readonly helperMs: number | undefined;
}

interface ParallelWorkloadResult {
	readonly workload: ParallelWorkload;
	readonly runs: readonly ParallelRun[];
	/** wall_1 / wall_c of each alternated pair */
	readonly speedups: readonly number[];
	/** c warm_1 / warm_c of each pair (lifetimes per second once warm); empty with lifetimes <= c */
	readonly steadySpeedups: readonly number[];
}

export interface ParallelBenchResult {
	readonly lifetimes: number;
	readonly concurrency: number;
	readonly loadBefore: number;
	readonly loadAfter: number;
	readonly cores: number;
	/** where the code ran from: the compiled dist/ or the TypeScript sources through tsx */
	readonly code: 'dist' | 'sources';
	readonly workloads: readonly ParallelWorkloadResult[];
}

/** The cpu workload's objective: a fixed loop, reported 20 times, so the report path is exercised as a real objective's would be. */
function cpuObjectiveSource(iterations: number): string {
	return `export default async function (params, context) {
	const chunk = Math.ceil(${iterations} / 20);
	let x = Number(params.x) + 1;
	for (let step = 1; step <= 20; step++) {
		for (let i = 0; i < chunk; i++) x = Math.sqrt(x * x + 1e-9 * i) * 0.999999 + 1e-6;
		await context.report(step, x);
	}
	return x;
}
`;
}

/** The discount of every lifetime of the quickstart workload (inside the quick start's range, 0.05 to 0.99). */
const quickstartGamma = 0.9;

function studyDocument(workload: ParallelWorkload, name: string, lifetimes: number, options: ParallelBenchOptions): unknown {
	const common = { name, searcher: { kind: 'grid', points: lifetimes }, budget: lifetimes, repeats: 1 };
	switch (workload) {
		case 'cpu':
			return { ...common, objective: { module: './cpu-objective.mjs' }, space: { x: { type: 'float', low: 0, high: 1 } } };
		case 'agent':
			return {
				...common,
				objective: { bandit: { task: 'eleven-armed', train_episodes: options.agentEpisodes, eval_episodes: 100, backend: 'wasm' } },
				metric: 'lifetime_return',
				space: { gamma: { type: 'float', low: 0.5, high: 0.95 } },
			};
		case 'quickstart':
			// one configuration repeated: lifetime k runs the same gamma on the same seed (that of slot
			// k) at every concurrency, so the study's work is the same at 1 and c lanes and so is each
			// lane's first lifetime (a grid over gamma left the warm lifetimes a different mix of
			// gammas, whose costs differ, at 1 and at c lanes)
			return {
				...common,
				searcher: { kind: 'grid' },
				repeats: lifetimes,
				objective: { bandit: { task: 'eleven-armed', train_episodes: 30_000, eval_episodes: 500, backend: 'auto' } },
				metric: 'lifetime_return',
				space: { gamma: { type: 'categorical', choices: [quickstartGamma] } },
			};
		case 'quickstart-study':
			throw new Error('the quickstart-study workload opens studies/quickstart.yaml (openWorkload)');
		default: {
			const never: never = workload;
			throw new Error(`unknown workload ${String(never)}`);
		}
	}
}

/** The repository's (or the installed package's) studies/quickstart.yaml, from src/bench or dist/src/bench. */
function quickstartFile(): string {
	const here = fileURLToPath(import.meta.url);
	return join(here, here.includes(`${sep}dist${sep}`) ? '../../../..' : '../../..', 'studies', 'quickstart.yaml');
}

/** A fresh study of the workload in `dir` (quickstart-study: the quick start's own file, results under dir/<name>). */
async function openWorkload(dir: string, workload: ParallelWorkload, name: string, options: ParallelBenchOptions): Promise<Study> {
	if (workload === 'quickstart-study') return openStudyFile(quickstartFile(), { resultsDir: join(dir, name), warn: () => undefined });
	return Study.open(studyDocument(workload, name, options.lifetimes, options), { resultsDir: join(dir, 'results'), dir });
}

async function timeStudy(dir: string, workload: ParallelWorkload, name: string, concurrency: number, options: ParallelBenchOptions): Promise<ParallelRun> {
	const threads0 = threadCpuMs();
	const elu0 = performance.eventLoopUtilization();
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	const lifetimes = new Map<number, { started: number; ran?: number; wallMs?: number }>();
	const onEvent = (event: RunEvent) => {
		if (event.type === 'started') lifetimes.set(event.trial, { started: performance.now() });
		else if (event.type === 'finished') {
			const lifetime = lifetimes.get(event.trial);
			if (lifetime !== undefined) Object.assign(lifetime, { ran: performance.now() - event.outcome.wall_ms, wallMs: event.outcome.wall_ms });
		}
	};
	const study = await openWorkload(dir, workload, name, options);
	let ran: number;
	try {
		const summary = await runStudy(study, { concurrency, commit: 'bench', onEvent });
		ran = summary.completed;
		// the quick start: each arm's budget of lifetimes, then the re-evaluations of its choice
		const expected = workload === 'quickstart-study' ? study.spec.arms.length * (study.spec.budget + study.spec.reevaluate) : options.lifetimes;
		if (summary.failed > 0 || !summary.done || summary.completed !== expected)
			throw new Error(`${workload} study completed ${summary.completed} of ${expected} lifetimes (first failure: ${summary.firstFailure?.reason ?? 'none'})`);
	} finally {
		study.close();
	}
	const wallMs = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	const elu = performance.eventLoopUtilization(elu0);
	const cpuMs = (cpu.user + cpu.system) / 1000;
	const helperMs = helperThreadsMs(threads0, threadCpuMs());
	// the first `concurrency` lifetimes to start are each lane's first, in a freshly spawned worker
	const inOrder = [...lifetimes.values()].sort((a, b) => a.started - b.started);
	const firsts = inOrder.slice(0, concurrency);
	const warm = inOrder.slice(concurrency).map((l) => l.wallMs ?? Number.NaN);
	return {
		concurrency,
		lifetimes: ran,
		wallMs,
		cpuMsPerLifetime: cpuMs / ran,
		coresUsed: cpuMs / wallMs,
		mainBusy: elu.utilization,
		workerStartMs: firsts.map((l) => (l.ran ?? Number.NaN) - l.started),
		lifetimeMs: inOrder.map((l) => l.wallMs ?? Number.NaN),
		warmLifetimeMs: warm.length === 0 ? undefined : warm.reduce((a, b) => a + b, 0) / warm.length,
		helperMs,
	};
}

export async function benchParallel(options: ParallelBenchOptions): Promise<ParallelBenchResult> {
	const dir = mkdtempSync(join(tmpdir(), 'metatune-bench-parallel-'));
	const loadBefore = loadavg()[0] as number;
	try {
		writeFileSync(join(dir, 'cpu-objective.mjs'), cpuObjectiveSource(options.cpuIterations));
		const workloads: ParallelWorkloadResult[] = [];
		for (const workload of options.workloads) {
			// untimed: the first study pays for loading the objective's code (wasm, tfjs) from disk
			const warmup = workload === 'quickstart-study' ? 'quickstart' : workload;
			await timeStudy(dir, warmup, `${workload}-warmup`, options.concurrency, { ...options, lifetimes: options.concurrency });
			const runs: ParallelRun[] = [];
			const speedups: number[] = [];
			const steadySpeedups: number[] = [];
			for (let r = 0; r < options.repeats; r++) {
				const one = await timeStudy(dir, workload, `${workload}-c1-r${r}`, 1, options);
				const many = await timeStudy(dir, workload, `${workload}-c${options.concurrency}-r${r}`, options.concurrency, options);
				runs.push(one, many);
				speedups.push(one.wallMs / many.wallMs);
				if (one.warmLifetimeMs !== undefined && many.warmLifetimeMs !== undefined) steadySpeedups.push((options.concurrency * one.warmLifetimeMs) / many.warmLifetimeMs);
				options.onRun?.(
					`${workload} pair ${r + 1}/${options.repeats}: ${formatMs(one.wallMs)} at 1 lane, ${formatMs(many.wallMs)} at ${options.concurrency}: ${(one.wallMs / many.wallMs).toFixed(2)}x (load ${loadavg()[0]?.toFixed(1)})`,
				);
			}
			workloads.push({ workload, runs, speedups, steadySpeedups });
		}
		const code = import.meta.url.endsWith('.ts') ? 'sources' : 'dist';
		return { lifetimes: options.lifetimes, concurrency: options.concurrency, loadBefore, loadAfter: loadavg()[0] as number, cores: availableParallelism(), code, workloads };
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export function formatMs(ms: number): string {
	return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
