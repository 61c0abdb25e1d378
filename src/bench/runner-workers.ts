/**
 * The runner-overhead benchmark with N worker processes on one study (`metatune bench runner
 * --workers 1,2,4,8 [--storage URL]`): for each N, N processes (runner-worker.ts, `fork`) each open
 * the same study of `trials` trivial trials (random search, value = x + y, objective in-process,
 * concurrency 1 each) on the given storage (a PostgreSQL URL, else the file journal in a temp
 * folder), warm up on a study of their own, and start together once all are ready.
 *
 *   ms/trial   wall time from `go` to the last worker done, / trials completed (start-up and warm-up
 *              excluded); with N workers it is the study's throughput, not one worker's latency
 *   server     for PostgreSQL: its version and its fsync and synchronous_commit settings (durable or not)
 *   flushes    for PostgreSQL: the server's WAL flushes (pg_stat_wal, server-wide: anything else on the
 *              server counts too) per trial, and ms per flush when track_wal_io_timing is on. One flush
 *              per trial is one durable commit per trial; fewer means commits were grouped; the ms per
 *              flush is the disk's, which bounds one worker's ms per trial from below
 *
 * The bench's studies (and the warm-up ones) are removed from the database afterwards.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { StorageError } from '../core/errors.js';
import { dropPostgresStudies, postgresSettings, walFlushes } from '../study/journal/pg-admin.js';
import { urlLabel } from '../study/journal/postgres.js';

export interface WorkersBenchOptions {
	readonly trials: number;
	readonly workers: readonly number[];
	readonly warmup: number;
	/** a PostgreSQL URL; undefined: the file journal in a temp folder */
	readonly storage?: string;
	/** each worker runs with runStudy `pipeline` */
	readonly pipeline: boolean;
	/** the workers elect a leader that decides for all (runStudy `electLeader`) */
	readonly leader?: boolean;
}

interface WorkersPoint {
	readonly workers: number;
	readonly completed: number;
	/** completed trials per worker process */
	readonly perWorker: readonly number[];
	readonly wallMs: number;
	readonly msPerTrial: number;
	/** WAL flushes per trial and ms per flush (PostgreSQL; ms only with track_wal_io_timing on) */
	readonly flushes?: { readonly perTrial: number; readonly msEach: number | undefined };
}

export interface WorkersBenchResult {
	readonly storage: string;
	readonly settings: string;
	readonly trials: number;
	readonly warmup: number;
	readonly pipeline: boolean;
	readonly leader: boolean;
	readonly points: readonly WorkersPoint[];
}

interface Message {
	readonly ready?: boolean;
	readonly done?: boolean;
	readonly completed?: number;
	readonly error?: boolean;
	readonly message?: string;
}

function startWorker(job: object): ChildProcess {
	const here = import.meta.url;
	const ts = here.endsWith('.ts');
	const file = fileURLToPath(new URL(ts ? './runner-worker.ts' : './runner-worker.js', here));
	const execArgv = ts && !process.execArgv.some((a) => a.includes('tsx')) ? [...process.execArgv, '--import', 'tsx'] : process.execArgv;
	return fork(file, [JSON.stringify(job)], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

/** One measurement: `n` processes on a new study `name`. */
async function measure(n: number, name: string, options: WorkersBenchOptions, resultsDir: string): Promise<WorkersPoint> {
	const job = {
		name,
		trials: options.trials,
		warmup: options.warmup,
		pipeline: options.pipeline,
		leader: options.leader === true,
		...(options.storage === undefined ? { resultsDir } : { storage: options.storage }),
	};
	const children = Array.from({ length: n }, () => startWorker(job));
	try {
		const ready: Promise<void>[] = [];
		const done: Promise<number>[] = [];
		for (const child of children) {
			let readyFn: () => void = () => undefined;
			ready.push(new Promise<void>((resolve) => (readyFn = resolve)));
			done.push(
				new Promise<number>((resolve, reject) => {
					child.on('message', (m: Message) => {
						if (m.ready) readyFn();
						if (m.done) resolve(m.completed ?? 0);
						if (m.error) reject(new StorageError(`bench runner worker ${child.pid}: ${m.message}`, options.storage ?? resultsDir));
					});
					child.on('exit', (code) => reject(new StorageError(`bench runner worker ${child.pid} exited (code ${code}) before finishing`, options.storage ?? resultsDir)));
				}),
			);
		}
		// a worker that fails while warming up ends the wait for `ready` too
		await Promise.race([Promise.all(ready), Promise.all(done)]);
		const wal0 = options.storage === undefined ? undefined : await walFlushes(options.storage);
		const t0 = performance.now();
		for (const child of children) child.send({ go: true });
		const perWorker = await Promise.all(done);
		const wallMs = performance.now() - t0;
		const wal1 = options.storage === undefined ? undefined : await walFlushes(options.storage);
		const completed = perWorker.reduce((s, c) => s + c, 0);
		const point = { workers: n, completed, perWorker, wallMs, msPerTrial: wallMs / Math.max(1, completed) };
		if (wal0 === undefined || wal1 === undefined) return point;
		const flushes = wal1.flushes - wal0.flushes;
		const msEach = wal0.ms === undefined || wal1.ms === undefined || flushes === 0 ? undefined : (wal1.ms - wal0.ms) / flushes;
		return { ...point, flushes: { perTrial: flushes / Math.max(1, completed), msEach } };
	} finally {
		for (const child of children) if (child.exitCode === null) child.kill();
	}
}

export async function benchRunnerWorkers(options: WorkersBenchOptions): Promise<WorkersBenchResult> {
	const resultsDir = mkdtempSync(join(tmpdir(), 'metatune-bench-workers-'));
	const tag = `${process.pid}-${Date.now().toString(36)}`;
	const points: WorkersPoint[] = [];
	try {
		const settings = options.storage === undefined ? 'file journal (fdatasync per decision)' : await postgresSettings(options.storage);
		for (const n of options.workers) {
			const name = `bench-runner-${n}w-${tag}`;
			try {
				points.push(await measure(n, name, options, resultsDir));
			} finally {
				if (options.storage !== undefined) await dropPostgresStudies(options.storage, (s) => s === name || s.startsWith(`${name}-warmup-`));
			}
		}
		return {
			storage: options.storage === undefined ? 'file journal (journal.jsonl in a temp folder, removed afterwards)' : urlLabel(options.storage),
			settings,
			trials: options.trials,
			warmup: options.warmup,
			pipeline: options.pipeline,
			leader: options.leader === true,
			points,
		};
	} finally {
		rmSync(resultsDir, { recursive: true, force: true });
	}
}

export function formatRunnerWorkers(r: WorkersBenchResult): string {
	return [
		`metatune runner, N worker processes on one study: ${r.trials} trials, random searcher, value = x + y, concurrency 1 per worker${r.leader ? ', one leader deciding for all (runStudy electLeader)' : r.pipeline ? ', pipelined (runStudy pipeline)' : ''} (after a ${r.warmup}-trial warm-up study per worker)`,
		`storage: ${r.storage}`,
		`server: ${r.settings}`,
		'',
		`${'workers'.padStart(7)}  ${'trials'.padStart(6)}  ${'wall s'.padStart(7)}  ${'ms/trial'.padStart(8)}  ${'trials/s'.padStart(8)}  ${'flushes/trial'.padStart(13)}  ${'ms/flush'.padStart(8)}  per worker`,
		...r.points.map(
			(p) =>
				`${String(p.workers).padStart(7)}  ${String(p.completed).padStart(6)}  ${(p.wallMs / 1000).toFixed(2).padStart(7)}  ${p.msPerTrial.toFixed(3).padStart(8)}  ${(1000 / p.msPerTrial).toFixed(0).padStart(8)}  ${(p.flushes === undefined ? '-' : p.flushes.perTrial.toFixed(2)).padStart(13)}  ${(p.flushes?.msEach === undefined ? '-' : p.flushes.msEach.toFixed(2)).padStart(8)}  ${p.perWorker.join(' + ')}`,
		),
	].join('\n');
}
