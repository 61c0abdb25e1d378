/**
 * How a trial's end becomes a journal record: `endRecord` (none for an aborted lifetime, which re-runs)
 * and `stageEnd` (the last guard against a result JSON cannot store); `TellResult` is what `tell`
 * reports back.
 */
import { errorMessage } from '../../core/errors.js';
import type { Outcome } from './evaluate.js';
import { now, type JournalRecord, type Lease } from '../journal/journal.js';
import type { Stage } from '../journal/writer.js';

/** How a told trial was recorded. */
export type TellResult = { readonly number: number; readonly state: 'complete'; readonly value: number } | { readonly number: number; readonly state: 'failed'; readonly message: string };

/** The record of how a trial ended, run under `lease` (journal.ts); none for `aborted` (the trial re-runs on resume). */
export function endRecord(number: number, outcome: Outcome, commit: string | undefined, lease?: Lease): JournalRecord | undefined {
	const held = lease === undefined ? {} : { lease };
	if (outcome.ok) return { type: 'complete', at: now(), trial: number, value: outcome.value, fields: outcome.fields, wall_ms: outcome.wall_ms, ...(commit === undefined ? {} : { commit }), ...held };
	if (outcome.reason === 'aborted') return undefined;
	return { type: 'failed', at: now(), trial: number, reason: outcome.reason, message: outcome.message, wall_ms: outcome.wall_ms, ...held };
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
