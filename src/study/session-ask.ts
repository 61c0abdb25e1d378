/**
 * The Optuna-style ask/tell face of a study (Study.ask, .report, .tell: study.ts) over the
 * session's transactions (session.ts): a caller that runs its own objective asks for the next
 * lifetime, reports its steps (waiting while the pruner's decision needs another trial's report)
 * and tells how it ended. `runStudy` (run/runner.ts) drives the same transactions itself.
 */
import { InputError, StateError } from '../core/errors.js';
import type { Params } from '../core/space.js';
import type { ObjectiveResult } from '../objectives/objective.js';
import type { TrialPurpose } from './journal/journal.js';
import { stopReport } from './journal/state.js';
import { type TellResult, toldOutcome } from './run/end-record.js';
import type { StudySession } from './session.js';
import type { TunerConfig } from '../tuners/config.js';

/** A trial handed out by `ask`; `P`: the params' type (`ParamsOf` the space of a `parseStudySpec` spec). */
export interface AskedTrial<P = Params> {
	readonly number: number;
	readonly arm: string;
	readonly purpose: TrialPurpose;
	readonly params: P;
	readonly seed: number;
	readonly attempt: number;
	/** the online tuner the lifetime runs, for a tuner arm (pass it to the objective as `context.tuning`) */
	readonly tuning?: TunerConfig;
}

/**
 * Optuna-style ask: the next lifetime to evaluate, or undefined when nothing is left to ask now
 * (the budget is used up, or the rest depends on trials not told yet).
 */
export async function askTrial(session: StudySession): Promise<AskedTrial | undefined> {
	const decision = await session.next(session.claimed, false);
	if (decision.kind !== 'run') return undefined;
	const t = session.trial(decision.trial);
	const tuning = t.asked.purpose === 'search' ? session.tuning(t.asked.arm) : undefined;
	return { number: t.asked.trial, arm: t.asked.arm, purpose: t.asked.purpose, params: t.asked.params, seed: t.asked.seed, attempt: t.asked.attempt, ...(tuning === undefined ? {} : { tuning }) };
}

/**
 * `report` for ask/tell callers: waits (polling the journal) while the decision needs another
 * trial's report. StateError when it waits on a trial nobody runs (asked and released here, or its
 * process is gone), which a caller must run or tell first.
 */
export async function reportUntilDecided(session: StudySession, number: number, step: number, value: number, pollMs = 50): Promise<boolean> {
	if (typeof step !== 'number' || !Number.isFinite(step) || typeof value !== 'number' || !Number.isFinite(value))
		throw new InputError(`report: trial ${number}: step and value must be finite numbers (got ${String(step)}, ${String(value)})`);
	for (;;) {
		const answer = await session.report(number, step, value);
		if (answer.kind !== 'wait') return answer.kind === 'stop';
		if (answer.orphan) throw new StateError(`report: trial ${number} of study ${session.spec.name} waits for ${answer.on}, which nobody runs; ask it again (or tell it) first`);
		await new Promise((r) => setTimeout(r, pollMs));
	}
}

/**
 * Optuna-style tell: the objective's result (number or {value, ...fields}) or the Error it threw.
 * A result without a finite metric is recorded as a failed trial (as a run would); the returned
 * state says so. Telling a trial that has already ended throws InputError.
 */
export async function tellTrial(session: StudySession, number: number, result: ObjectiveResult | Error, wallMs = 0): Promise<TellResult> {
	let outcome = toldOutcome(session.spec, result, wallMs);
	session.assertOpen();
	session.refresh();
	session.trial(number);
	// a trial the pruner stopped (Study.report said so) ends as pruned at that step
	const stop = stopReport(session.trial(number));
	if (outcome.ok && stop !== undefined) outcome = { ...outcome, pruned_at: stop.step };
	await session.recordTold(number, outcome);
	return outcome.ok ? { number, state: 'complete', value: outcome.value } : { number, state: 'failed', message: outcome.message };
}
