/**
 * The study runner: `concurrency` lanes, each looping ask (under the lock) -> evaluate (a worker
 * thread, or this thread when the caller passes an objective function) -> tell (durably), until the
 * scheduler says the study is done. A lane's tell and its next ask share one lock hold and one
 * durable write (`Study.finishAndNext`); lanes finishing together share one (writer.ts).
 *
 * Stopping: `stop` (first Ctrl-C) makes lanes ask nothing more and lets running lifetimes finish;
 * `abort` (second Ctrl-C) terminates running lifetimes without recording them, so they re-run, with
 * the same params and seed, when the same command is run again.
 *
 * An unexpected error in a lane (the journal cannot be written, a searcher throws, ...) ends the
 * run: the other lanes ask nothing more, their running lifetimes are aborted (re-run on resume, or
 * by the next runStudy on the same Study), every worker thread is terminated, and runStudy rejects
 * with that first error once all lanes have stopped, so nothing of the run is left keeping the
 * process alive. An in-thread `objective` cannot be terminated: its context signal is aborted, and
 * a lifetime that ignores it runs to its end and is recorded.
 */
import { InputError } from '../../core/errors.js';
import type { ObjectiveFunction } from '../../objectives/objective.js';
import type { Params } from '../../core/space.js';
import { evaluateHere, type EvaluationTask, type Outcome } from './evaluate.js';
import { gitCommit } from './git.js';
import type { FailureReason, TrialPurpose } from '../journal/journal.js';
import { WorkerPool } from './pool.js';
import { sessionOf, type Study } from '../study.js';

/** `finished`: the lifetime's end record is applied (the study's state shows it); it is made durable right after. */
export type RunEvent =
	| { readonly type: 'started'; readonly trial: number; readonly arm: string; readonly purpose: TrialPurpose; readonly params: Params; readonly seed: number }
	| { readonly type: 'finished'; readonly trial: number; readonly arm: string; readonly purpose: TrialPurpose; readonly outcome: Outcome }
	| { readonly type: 'stopping' }
	| { readonly type: 'aborting' };

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
}

/** A failed attempt as the run summary names it. */
export interface FailureNote {
	readonly trial: number;
	readonly arm: string;
	readonly params: Params;
	readonly reason: FailureReason;
	readonly message: string;
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
	const concurrency = Math.max(1, options.concurrency ?? study.concurrency);
	const timeoutMs = study.spec.trial_timeout === undefined ? undefined : study.spec.trial_timeout * 1000;
	const commit = options.commit ?? gitCommit();
	if (options.objective === undefined && study.spec.objective.kind === 'function')
		throw new InputError(
			`runStudy: study ${study.spec.name} names no objective; pass runStudy(study, {objective: async (params, context) => ...}) or add objective: {module: ...} to the spec`,
			undefined,
			'objective',
		);
	const pool = options.objective === undefined ? new WorkerPool({ ref: study.objectiveRef, metric: study.spec.metric }, concurrency) : undefined;
	const inFlight = new Set<number>();
	const hardStop = new AbortController(); // in-thread objectives' signals (workers are terminated instead)
	const emit = options.onEvent ?? (() => undefined);
	let stopping = options.stop?.aborted ?? false;
	let aborted = options.abort?.aborted ?? false;
	if (aborted) hardStop.abort();
	let completed = 0;
	let failed = 0;
	let refused = 0;
	let firstFailure: FailureNote | undefined;
	let done = false;
	let broken: { readonly error: unknown } | undefined;

	// Wake idle lanes when a local lifetime ends or a stop is requested.
	let wake: () => void = () => undefined;
	let changed = new Promise<void>((r) => (wake = r));
	const notify = () => {
		const w = wake;
		changed = new Promise<void>((r) => (wake = r));
		w();
	};
	const onStop = () => {
		stopping = true;
		emit({ type: 'stopping' });
		notify();
	};
	const onAbort = () => {
		stopping = true;
		aborted = true;
		emit({ type: 'aborting' });
		pool?.abort();
		hardStop.abort();
		notify();
	};
	options.stop?.addEventListener('abort', onStop, { once: true });
	options.abort?.addEventListener('abort', onAbort, { once: true });
	const pollMs = options.pollMs ?? 500;

	const lane = async (): Promise<void> => {
		if (stopping) return;
		let decision = await study.next(inFlight, stopping);
		for (;;) {
			if (decision.kind === 'done') {
				if (!stopping) done = true;
				notify();
				return;
			}
			if (decision.kind === 'wait') {
				let timer: NodeJS.Timeout | undefined;
				await Promise.race([changed, new Promise<void>((r) => (timer = setTimeout(r, pollMs)))]);
				clearTimeout(timer);
				if (stopping) return;
				decision = await study.next(inFlight, stopping);
				continue;
			}
			const t = study.trial(decision.trial);
			const { arm, purpose, params, seed } = t.asked;
			inFlight.add(decision.trial);
			emit({ type: 'started', trial: decision.trial, arm, purpose, params, seed });
			const tuning = purpose === 'search' ? study.tuning(arm) : undefined; // re-evaluations run a fixed configuration
			const task: EvaluationTask = { trial: decision.trial, params, seed, ...(tuning === undefined ? {} : { tuning, space: study.spec.space }) };
			// Reports are recorded and judged under the lock; a report that waits on a lifetime nobody
			// runs gives this one up (it re-runs later, to the same decisions), so the lane can run that one.
			let gaveUp = false;
			const reporting = decision.trial;
			let stopped = false;
			const judgeReport = async (step: number, value: number): Promise<boolean> => {
				for (;;) {
					if (aborted || gaveUp || stopped) return true;
					const answer = await study.report(reporting, step, value);
					if (answer.kind !== 'wait') {
						notify(); // a lane of this process may be waiting for this report
						stopped = answer.kind === 'stop';
						return stopped;
					}
					if (answer.orphan) {
						gaveUp = true;
						return true;
					}
					let timer: NodeJS.Timeout | undefined;
					await Promise.race([changed, new Promise<void>((r) => (timer = setTimeout(r, pollMs)))]);
					clearTimeout(timer);
				}
			};
			// one report at a time, in the order made: an objective that reports again before its last
			// report is answered (a command's lines) must not have a later step judged first
			let queue: Promise<unknown> = Promise.resolve();
			const listener = (step: number, value: number): Promise<boolean> => {
				const answer = queue.then(() => judgeReport(step, value));
				queue = answer.catch(() => undefined);
				return answer;
			};
			let outcome: Outcome;
			try {
				outcome = pool ? await pool.run(task, timeoutMs, listener) : await evaluateHere(options.objective as ObjectiveFunction, task, study.spec.metric, timeoutMs, hardStop.signal, listener);
				if ((aborted && !outcome.ok) || gaveUp) outcome = { ok: false, reason: 'aborted', message: 'aborted', wall_ms: outcome.wall_ms };
				inFlight.delete(decision.trial);
				// Record the end and ask for the next lifetime in one lock hold; `finished` is emitted
				// between the two, so a stop a listener requests is seen by the ask.
				const ended: RunEvent = { type: 'finished', trial: decision.trial, arm, purpose, outcome };
				const next = await study.finishAndNext(
					decision.trial,
					outcome,
					commit,
					inFlight,
					() => stopping,
					() => emit(ended),
				);
				decision = next.decision;
				if (next.refused) refused++;
				else if (outcome.ok) completed++;
				else if (outcome.reason !== 'aborted') {
					failed++;
					if (firstFailure === undefined || t.asked.trial < firstFailure.trial) firstFailure = { trial: t.asked.trial, arm, params, reason: outcome.reason, message: outcome.message };
				}
				notify();
			} finally {
				inFlight.delete(t.asked.trial);
				study.release(t.asked.trial); // ended (a no-op) or abandoned: then it re-runs later
			}
		}
	};

	// The first lane to fail stops the others (as a second Ctrl-C would) and its error is the run's;
	// so does losing the storage (a database unreachable for longer than the lease: others take over).
	const fail = (error: unknown) => {
		if (broken !== undefined) return;
		broken = { error };
		stopping = true;
		aborted = true;
		pool?.abort();
		hardStop.abort();
		void pool?.close(); // and start no worker for a lane that was deciding meanwhile
		notify();
	};
	const guarded = () => lane().catch(fail);
	const lost = study.lost;
	const onLost = () => fail(lost?.reason);
	if (lost?.aborted) onLost();
	lost?.addEventListener('abort', onLost, { once: true });
	try {
		await Promise.all(Array.from({ length: concurrency }, guarded));
	} finally {
		lost?.removeEventListener('abort', onLost);
		options.stop?.removeEventListener('abort', onStop);
		options.abort?.removeEventListener('abort', onAbort);
		await pool?.close();
	}
	if (broken !== undefined) throw broken.error;
	return { completed, failed, refused, ...(firstFailure === undefined ? {} : { firstFailure }), done, stopped: stopping && !done, aborted };
}
