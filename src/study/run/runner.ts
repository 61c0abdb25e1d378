/**
 * The study runner: `concurrency` lanes (lane.ts), each looping ask (under the lock) -> evaluate (a
 * worker thread, or this thread when the caller passes an objective function) -> tell (durably),
 * until the scheduler says the study is done. A lane's tell and its next ask share one lock hold and
 * one durable write (`Study.finishAndNext`); lanes finishing together share one (writer.ts).
 *
 * Stopping: `stop` (first Ctrl-C) makes lanes ask nothing more and lets running lifetimes finish;
 * `abort` (second Ctrl-C; the CLI's SIGTERM and SIGHUP too) terminates running lifetimes without
 * recording them, so they re-run, with the same params and seed, when the same command is run again.
 * A command objective's programs are stopped first (pool.ts), and the run ends once they have.
 *
 * An unexpected error in a lane (the journal cannot be written, a searcher throws, ...) ends the
 * run: the other lanes ask nothing more, their running lifetimes are aborted (re-run on resume, or
 * by the next runStudy on the same Study), every worker thread is terminated, and runStudy rejects
 * with that first error once all lanes have stopped, so nothing of the run is left keeping the
 * process alive. An in-thread `objective` cannot be terminated: its context signal is aborted, and
 * a lifetime that ignores it runs to its end and is recorded.
 *
 * runStudy's steps: require an objective; start the worker pool (none with the caller's function);
 * share one RunControl and Tally among the lanes; route stop, abort and a lost storage to the
 * control; run the lanes until done, stopped or broken; close the pool; rethrow or summarise.
 */
import { InputError } from '../../core/errors.js';
import type { ObjectiveFunction } from '../../objectives/objective.js';
import type { Params } from '../../core/space.js';
import { runElected } from './elected.js';
import { evaluateHere } from './evaluate.js';
import { gitCommit } from './git.js';
import { runLane, Tally, type Evaluate, type FailureNote, type Lanes } from './lane.js';
import { isPopulationArm } from './population-arm.js';
import { WorkerPool } from './pool.js';
import { RunControl, type RunEvent } from './run-control.js';
import { sessionOf, type Study } from '../study.js';
import type { StudySession } from '../session.js';

export type { FailureNote } from './lane.js';
export type { RunEvent } from './run-control.js';

export interface RunOptions<P = Params> {
	/** Evaluate in this thread with this function instead of worker threads built from the spec (required when the spec names no objective). */
	readonly objective?: ObjectiveFunction<P>;
	/** Lifetimes at once (default: the study's, else the number of cores). */
	readonly concurrency?: number;
	/** Graceful stop: ask no more, let running lifetimes finish. */
	readonly stop?: AbortSignal;
	/** Hard stop: terminate running lifetimes (they re-run on resume). */
	readonly abort?: AbortSignal;
	readonly onEvent?: (event: RunEvent) => void;
	/** How often an idle lane re-reads the journal while other processes' lifetimes run. */
	readonly pollMs?: number;
	/** Logged with every lifetime (default: `git rev-parse HEAD` of the cwd, if a repository). */
	readonly commit?: string;
	/**
	 * Start each lifetime while its decision's write is under way, not after it is durable (default
	 * false). Only with `objective` (this thread's function), concurrency 1 and no population arm, and
	 * it takes effect on PostgreSQL while this process is the study's only writer. If another worker
	 * wrote first, the lifetime started is given up (its reports answer stop, nothing of it is
	 * recorded) and another decision is made: the function may thus run params that are never
	 * recorded, so use it only for a function without effects outside its result.
	 */
	readonly pipeline?: boolean;
	/**
	 * Workers of this study on this host share one deciding process (default false; PostgreSQL
	 * storage only): the first to start is elected the leader and decides and records for all; the
	 * others evaluate the lifetimes it sends them (their own pool or function) and write nothing.
	 * A follower that dies has its lifetimes re-run; a leader that dies is replaced by a follower, or
	 * its followers run on as ordinary workers (run/elected.ts). `pipeline` does not apply.
	 */
	readonly electLeader?: boolean;
}

export interface RunSummary {
	/** lifetime attempts this call completed / failed (a retried lifetime counts each failed attempt) */
	readonly completed: number;
	readonly failed: number;
	/** lifetimes whose end was not recorded: their lease passed to another worker while this one stalled or lost the storage (that worker's run is recorded) */
	readonly refused: number;
	/** the failed attempt of this call with the lowest trial number (the same whatever order lanes end in) */
	readonly firstFailure?: FailureNote;
	/** true when the study has nothing left to run (not stopped early) */
	readonly done: boolean;
	readonly stopped: boolean;
	readonly aborted: boolean;
}

export async function runStudy<P = Params>(publicStudy: Study<P>, options: RunOptions<P> = {}): Promise<RunSummary> {
	const study = sessionOf(publicStudy);
	requireObjective(study, options);
	const elect = options.electLeader === true;
	if (elect) study.electing(); // a storage that cannot elect is refused before anything runs
	const concurrency = Math.max(1, options.concurrency ?? study.concurrency);
	const pool = options.objective === undefined ? new WorkerPool({ ref: study.objectiveRef, metric: study.spec.metric }, concurrency) : undefined;
	const control = new RunControl(pool, options.onEvent ?? (() => undefined), options.pollMs ?? 500, options.stop?.aborted ?? false, options.abort?.aborted ?? false);
	const runs = pool ?? (options.objective as ObjectiveFunction); // no pool: the caller passed a function
	const lanes: Lanes = {
		study,
		control,
		evaluate: evaluator(study, runs, control.hardStop.signal),
		tally: new Tally(),
		inFlight: new Set<number>(),
		commit: options.commit ?? gitCommit(),
		timeoutMs: study.spec.trial_timeout === undefined ? undefined : study.spec.trial_timeout * 1000,
		ahead: !elect && options.pipeline === true && options.objective !== undefined && concurrency === 1 && !study.spec.arms.some((arm) => isPopulationArm(study.spec, arm)),
	};
	const unlisten = listenForStops(options, control, study.lost);
	try {
		if (elect)
			await runElected(
				lanes,
				concurrency,
				(abort) => evaluator(study, runs, AbortSignal.any([abort, control.hardStop.signal]), abort),
				() => runLanes(lanes, concurrency),
			);
		else await runLanes(lanes, concurrency);
	} finally {
		unlisten();
		await pool?.close();
	}
	if (control.broken !== undefined) throw control.broken.error;
	return summarise(lanes.tally, control);
}

/** A study that names no objective runs only with the caller's function. */
function requireObjective<P>(study: StudySession, options: RunOptions<P>): void {
	if (options.objective === undefined && study.spec.objective.kind === 'function')
		throw new InputError(
			`runStudy: study ${study.spec.name} names no objective; pass runStudy(study, {objective: async (params, context) => ...}) or add objective: {module: ...} to the spec`,
			undefined,
			'objective',
		);
}

/**
 * Route the caller's stop and abort signals, and the storage's `lost` signal (a database unreachable
 * for longer than the lease: other processes take its lifetimes over), to the run's control; returns
 * the function that detaches them.
 */
function listenForStops<P>(options: RunOptions<P>, control: RunControl, lost: AbortSignal | undefined): () => void {
	const onLost = () => control.fail(lost?.reason);
	if (lost?.aborted) onLost();
	lost?.addEventListener('abort', onLost, { once: true });
	options.stop?.addEventListener('abort', control.stop, { once: true });
	options.abort?.addEventListener('abort', control.abort, { once: true });
	return () => {
		lost?.removeEventListener('abort', onLost);
		options.stop?.removeEventListener('abort', control.stop);
		options.abort?.removeEventListener('abort', control.abort);
	};
}

/**
 * Where lifetimes run: a worker of the pool, or this thread with the caller's function (its signal
 * aborted by a hard stop). `abort`: a signal that terminates the pool's running lifetimes (a
 * follower whose leader is gone: run/follower.ts).
 */
function evaluator(study: StudySession, runs: WorkerPool | ObjectiveFunction, hardStop: AbortSignal, abort?: AbortSignal): Evaluate {
	if (runs instanceof WorkerPool) {
		abort?.addEventListener('abort', () => runs.abort(), { once: true });
		return (task, timeoutMs, listener) => runs.run(task, timeoutMs, listener);
	}
	return (task, timeoutMs, listener) => evaluateHere(runs, task, study.spec.metric, timeoutMs, hardStop, listener);
}

/** `concurrency` lanes until each is done, stopped or broken; the first lane to fail stops the others (RunControl.fail). */
async function runLanes(lanes: Lanes, concurrency: number): Promise<void> {
	await Promise.all(Array.from({ length: concurrency }, () => runLane(lanes).catch(lanes.control.fail)));
}

function summarise(tally: Tally, control: RunControl): RunSummary {
	const { completed, failed, refused, firstFailure, done } = tally;
	return { completed, failed, refused, ...(firstFailure === undefined ? {} : { firstFailure }), done, stopped: control.stopping && !done, aborted: control.aborted };
}
