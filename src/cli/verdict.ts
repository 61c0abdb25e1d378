/**
 * What a finished `metatune run` says about failed lifetimes (stderr, also with --quiet), and
 * whether it fails. Optuna finishes a study with failed trials normally, and so does this, with
 * one line naming the count and the first reason; a study in which every ended lifetime failed
 * has no result at all, so the run ends with TrialError (exit 7) instead:
 *
 *   some attempts failed in this run    note: count, the first failure, `metatune status <study>`
 *   every lifetime failed               TrialError: count, the first failure, status, --fresh
 *   nothing was left to run and ...
 *     every lifetime had failed         TrialError: the budget is used up; fix, then --fresh
 *     some lifetimes had failed         note: the budget is used up; --fresh runs them again
 *
 * A run that was stopped (Ctrl-C) gets the note only; the interruption is its outcome.
 */
import { TrialError } from '../core/errors.js';
import { printable } from '../core/format.js';
import { paramsText } from '../core/space.js';
import type { FailureNote, RunSummary } from '../study/run/runner.js';
import { armCounts, type StudyRecords } from '../study/view.js';

export interface RunVerdict {
	/** lines for stderr (without the `metatune: ` prefix) */
	readonly notes: readonly string[];
	/** the run's error, when every lifetime failed */
	readonly error?: TrialError;
}

const failureText = (f: FailureNote): string => `trial ${f.trial} (${f.arm}${Object.keys(f.params).length > 0 ? `, ${paramsText(f.params)}` : ''}) ${f.reason}: ${printable(f.message)}`;

/**
 * `statusCommand`: how the user reads the details, e.g. `metatune status edge --results r2`;
 * `freshCommand`: how to start over, e.g. `metatune run edge.yaml --fresh`.
 */
export function runVerdict(study: StudyRecords, summary: RunSummary, statusCommand: string, freshCommand: string): RunVerdict {
	const counts = armCounts(study);
	const ended = counts.reduce((s, c) => s + c.ended, 0);
	const failed = counts.reduce((s, c) => s + c.failed, 0);
	const allFailed = summary.done && ended > 0 && failed === ended;
	const ranNothing = summary.completed + summary.failed === 0;
	const name = study.spec.name;
	const status = `see \`${statusCommand}\``;
	if (ranNothing && summary.done && failed > 0) {
		const first = firstStoredFailure(study);
		const firstText = first === undefined ? '' : `; first: ${failureText(first)}`;
		if (allFailed) {
			const message = `${name}: nothing left to run: the budget is used up and every lifetime failed (${failed} of ${ended}${firstText}); fix the objective, then start over with \`${freshCommand}\` (the old journal is archived)`;
			return { notes: [], error: new TrialError(message, first?.reason ?? 'threw') };
		}
		return { notes: [`${name}: nothing left to run: the budget is used up; ${failed} of ${ended} lifetimes failed (${status}); to run them again, start over with \`${freshCommand}\``] };
	}
	const first = summary.firstFailure;
	if (first === undefined) return { notes: [] };
	if (allFailed) {
		const message = `${name}: every lifetime failed (${failed} of ${ended}); first: ${failureText(first)}; ${status}; fix the objective, then start over with \`${freshCommand}\``;
		return { notes: [], error: new TrialError(message, first.reason) };
	}
	return { notes: [`${summary.failed} of ${summary.completed + summary.failed} lifetime attempts failed in this run; first: ${failureText(first)}; ${status}`] };
}

/** The first failed attempt in the journal (by trial number). */
function firstStoredFailure(study: StudyRecords): FailureNote | undefined {
	const t = study.state.trials.find((x) => x?.phase === 'failed');
	if (t?.failed === undefined) return undefined;
	return { trial: t.asked.trial, arm: t.asked.arm, params: t.asked.params, reason: t.failed.reason, message: t.failed.message };
}
