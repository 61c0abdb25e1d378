/**
 * The public face of a study on disk: open it, `ask` for the next lifetime, `tell` how it ended,
 * read its trials, close it (Optuna-style; `runStudy` drives the same steps with worker threads).
 *
 *   const study = await Study.open(spec, {resultsDir: 'results'});   // opening again resumes
 *   const trial = await study.ask();       // {number, arm, purpose, params, seed, attempt, tuning?} | undefined
 *   if (await study.report(trial.number, step, value)) ...  // the pruner stopped it: tell its last value
 *   await study.tell(trial.number, objectiveResult);
 *   study.close();
 *
 * The runner's transactions (decide under the lock, finish-and-next, release) live on the internal
 * `StudySession` (session.ts), reached through `sessionOf`, which the package does not export.
 */
import type { ObjectiveResult } from '../objectives/objective.js';
import type { TellResult } from './run/end-record.js';
import type { ArchivedStudy } from './journal/archive.js';
import type { TrialState } from './journal/state.js';
import type { StudySession } from './session.js';
import { type AskedTrial, askTrial, reportUntilDecided, tellTrial } from './session-ask.js';
import { openSession, type OpenOptions } from './session-open.js';
import type { StudySpec } from './spec/spec.js';
import type { Params } from '../core/space.js';

const sessions = new WeakMap<object, StudySession>();

export class Study<P = Params> {
	/** compile time only: the params' type `ask` hands out and `runStudy`'s objective takes */
	declare readonly paramsType?: P;

	private constructor(session: StudySession) {
		sessions.set(this, session);
	}

	/**
	 * Create the study's journal, or resume it. `spec` is a StudySpec or a raw study document.
	 * Throws StudyChangedError when the journal was made by an incompatibly different spec (unless
	 * `fresh`, which archives the old journal under `archive/` and starts a new one). The results
	 * folder is created level by level: a path that cannot be one is an InputError naming
	 * `resultsLabel`, before anything is written.
	 */
	static async open<P = Params>(spec: StudySpec<P>, options?: OpenOptions): Promise<Study<P>>;
	/** A raw study document (e.g. parsed JSON): validated here; params untyped. */
	static async open(document: unknown, options?: OpenOptions): Promise<Study>;
	static async open(specOrDocument: unknown, options: OpenOptions = {}): Promise<Study> {
		return new Study(await openSession(specOrDocument, options));
	}

	get spec(): StudySpec<P> {
		return sessionOf(this).spec as StudySpec<P>;
	}

	/** The study's folder, `<resultsDir>/<name>`. */
	get dir(): string {
		return sessionOf(this).dir;
	}

	get journalPath(): string {
		return sessionOf(this).journalPath;
	}

	/** Where `fresh` moved the old journal (undefined when there was none to move). */
	get archived(): ArchivedStudy | undefined {
		return sessionOf(this).archived;
	}

	/** The next lifetime to evaluate, or undefined when nothing is left to ask now (budget used, or waiting on trials not told yet). */
	ask(): Promise<AskedTrial<P> | undefined> {
		return askTrial(sessionOf(this)) as Promise<AskedTrial<P> | undefined>;
	}

	/**
	 * The objective's result (a number or {value, ...fields}) or the Error it threw. A result without a
	 * finite metric is recorded as a failed trial; the returned state says so. Telling a trial that has
	 * already ended throws InputError.
	 */
	tell(number: number, result: ObjectiveResult | Error, wallMs = 0): Promise<TellResult> {
		return tellTrial(sessionOf(this), number, result, wallMs);
	}

	/**
	 * Optuna-style intermediate report for ask/tell: record trial `number`'s value at `step` (a
	 * resource count) and resolve to true when the study's pruner stops it; then tell it its last
	 * value (it ends as pruned). Resolves once the decision can be taken: with a pruner, that needs
	 * the arm's lower-numbered trials to have reported at the same rung or step, or ended (README
	 * "Pruning"), so report trials in the order they were asked, or from concurrent tasks.
	 */
	report(number: number, step: number, value: number): Promise<boolean> {
		return reportUntilDecided(sessionOf(this), number, step, value);
	}

	/** Every trial so far (latest state, including other processes' records). */
	trials(): readonly TrialState[] {
		return sessionOf(this).trials();
	}

	close(): void {
		sessionOf(this).close();
	}
}

/** The runner's handle on a study's transactions (internal: not exported by the package). */
export function sessionOf<P>(study: Study<P>): StudySession {
	const session = sessions.get(study);
	if (session === undefined) throw new TypeError('not a Study opened with Study.open');
	return session;
}

export type { AskedTrial, OpenOptions };
