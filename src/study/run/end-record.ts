/**
 * How a trial's end becomes a journal record: `endRecord` (none for an aborted lifetime, which re-runs)
 * and `stageEnd` (the last guard against a result JSON cannot store); `toldOutcome`: a told result
 * as an outcome, and `TellResult` what `tell` reports back. Whether an end may be recorded under the
 * lease it ran with: session-claims.ts.
 */
import { errorMessage } from '../../core/errors.js';
import type { ObjectiveResult } from '../../objectives/objective.js';
import { interpretResult, type Outcome } from './evaluate.js';
import { type CompleteRecord, type FailedRecord, now, type JournalRecord, type Lease } from '../journal/journal.js';
import type { Stage } from '../journal/writer.js';
import { boundFields, boundMessage } from './stored-sizes.js';
import { missingFieldProblem } from '../spec/objectives.js';
import type { StudySpec } from '../spec/spec.js';

/**
 * A successful outcome that lacks a metric or a constrained field of the study (objectives.ts) fails
 * as `not-finite` with the one line naming the study field: a constraint on a field the objective
 * never logs shows at its first lifetime (the bandit's fields are checked when the study loads).
 */
export function checkedOutcome(spec: StudySpec, outcome: Outcome): Outcome {
	if (!outcome.ok || (spec.metrics === undefined && spec.constraints === undefined)) return outcome;
	const problem = missingFieldProblem(spec, outcome);
	return problem === undefined ? outcome : { ok: false, reason: 'not-finite', message: problem, wall_ms: outcome.wall_ms };
}

/** The outcome of a told result (`tell`): the objective's result (number or {value, ...fields}) or the Error it threw, checked as a run's would be. */
export function toldOutcome(spec: StudySpec, result: ObjectiveResult | Error, wallMs: number): Outcome {
	if (result instanceof Error) return { ok: false, reason: 'threw', message: errorMessage(result), wall_ms: wallMs };
	const r = interpretResult(result, spec.metric);
	return checkedOutcome(spec, 'value' in r ? { ok: true, value: r.value, fields: r.fields, wall_ms: wallMs } : { ok: false, reason: r.reason, message: r.message, wall_ms: wallMs });
}

/** How a told trial was recorded. */
export type TellResult = { readonly number: number; readonly state: 'complete'; readonly value: number } | { readonly number: number; readonly state: 'failed'; readonly message: string };

/** The record of how a trial ended, run under `lease` (journal.ts), its message and fields bounded (stored-sizes.ts); none for `aborted` (the trial re-runs on resume). */
export function endRecord(number: number, outcome: Outcome, commit: string | undefined, lease?: Lease): JournalRecord | undefined {
	// built by assignment in the records' key order (the line's order), not by spreading optional parts: this runs once per trial
	if (outcome.ok) {
		const record: { -readonly [K in keyof CompleteRecord]: CompleteRecord[K] } = {
			type: 'complete',
			at: now(),
			trial: number,
			value: outcome.value,
			fields: boundFields(outcome.fields),
			wall_ms: outcome.wall_ms,
		};
		if (commit !== undefined) record.commit = commit;
		if (outcome.pruned_at !== undefined) record.pruned_at = outcome.pruned_at;
		if (lease !== undefined) record.lease = lease;
		if (outcome.checkpoint !== undefined) record.checkpoint = outcome.checkpoint;
		return record;
	}
	if (outcome.reason === 'aborted') return undefined;
	const failed: { -readonly [K in keyof FailedRecord]: FailedRecord[K] } = {
		type: 'failed',
		at: now(),
		trial: number,
		reason: outcome.reason,
		message: boundMessage(outcome.message),
		wall_ms: outcome.wall_ms,
	};
	if (lease !== undefined) failed.lease = lease;
	return failed;
}

/**
 * Stage an end record; a complete record JSON cannot encode (evaluate.ts checks results first, so
 * this is the last guard) is staged as an `unstorable` failure instead of failing the batch.
 * `stage` encodes before it applies anything, so a throw leaves nothing half staged.
 */
export function stageEnd(stage: Stage, record: JournalRecord): void {
	try {
		stage(record);
	} catch (error) {
		if (record.type !== 'complete') throw error;
		const why = `returned a value that cannot be stored as JSON (${errorMessage(error)})`;
		stage({ type: 'failed', at: record.at, trial: record.trial, reason: 'unstorable', message: why, wall_ms: record.wall_ms, ...(record.lease === undefined ? {} : { lease: record.lease }) });
	}
}
