/**
 * The study journal's records: their types, the format version and how a record becomes its line.
 *
 * Records (every one has `type` and `at`, an ISO time):
 *   study     {v, name, spec, hash, file?}                 first line; the spec the journal belongs to
 *   settings  {spec}                                       the study was opened again with a spec of the
 *                                                          same hash whose mutable fields (budget,
 *                                                          reevaluate, retries, ...) differ: from here on
 *                                                          readers count against this spec
 *   asked     {trial, arm, purpose, slot, attempt, params, seed, owner, note?, retry_of?, fits?, segment?}
 *             trial: study-wide number; purpose: search | reevaluate; slot: the lifetime's index in
 *             its arm (search: 0..budget-1, reevaluate: 0..k-1); attempt: 1 + retries so far;
 *             fits: [{key, theta}] model fits the searcher made for this proposal (the GP's kernel
 *             parameters, keyed by a digest of their data), handed back to the arm's searcher on
 *             every later ask so a resumed process does not recompute them (searchers/searcher.ts);
 *             segment: a population member's segment and the exploit/explore decision that made it
 *             (pbt on a module or command objective; slot = generation * population + member)
 *   running   {trial, owner}                               an attempt started (or was taken over)
 *   complete  {trial, value, fields, wall_ms, commit?, pruned_at?, lease?, checkpoint?}
 *             fields: everything the objective returned; pruned_at: the pruner stopped the lifetime
 *             after its report at this step, and value is the last value it reported (end state
 *             `pruned`: counted as a lifetime, never chosen as the best configuration); checkpoint:
 *             {step, bytes, sha256} of the checkpoint a segment ended with (pruned_at is then the
 *             end of its interval, not a pruner's stop)
 *   report    {trial, step, value, index?, rung?, decision?, checkpoint?}  an intermediate value at
 *             `step` (a resource count); index: its position among the trial's reports (0, 1, ...);
 *             with a pruner, the decision taken at that report (continue | stop) and the rung it
 *             judged (asha/hyperband); checkpoint: true when the report announced a
 *             checkpoint (a segment's last report). Decisions are replayed, never retaken
 *   failed    {trial, reason, message, wall_ms, lease?}    reason: threw | not-finite | unstorable |
 *                                                          timeout | worker-died
 *             unstorable: a returned field JSON cannot hold (named in the message)
 *
 * Leases: the n-th `running` record of a trial hands it to its owner as take n, and the lease of
 * that run of the trial is {run: owner.run, take: n}. An end record carries the lease it was run
 * under and counts only while that lease is the trial's current one (state.ts): a worker that
 * stalled while another took its trial over cannot end it. Writers check this under the lock
 * (session.ts), so such a record is refused rather than written; replay skips one anyway. Records
 * without a lease (journals written before leases, `tell` of a trial this Study did not ask) count
 * as before. A trial ends once: a second end record of an ended trial is a corrupted record.
 *
 * Versions: the study record's `v` is the format version of the whole file (`journalVersion`). A
 * reader refuses a journal whose `v` is not one it reads (StateError naming the file and the
 * version) instead of replaying records it might misread.
 */
import type { LoggedValue } from '../../objectives/objective.js';
import type { Params, ParamValue } from '../../core/space.js';
import { StateError } from '../../core/errors.js';
import type { Owner } from './lock.js';
import type { StudySpec } from '../spec/spec.js';

export const journalVersion = 1;

export type TrialPurpose = 'search' | 'reevaluate';
/** Why a lifetime failed, as records and the leader's messages carry it. */
export const failureReasons = ['threw', 'not-finite', 'unstorable', 'timeout', 'worker-died', 'aborted'] as const;
export type FailureReason = (typeof failureReasons)[number];

export interface StudyRecord {
	readonly type: 'study';
	readonly at: string;
	readonly v: number;
	readonly name: string;
	readonly spec: StudySpec;
	readonly hash: string;
	readonly file?: string;
}
interface SettingsRecord {
	readonly type: 'settings';
	readonly at: string;
	readonly spec: StudySpec;
}
export interface AskedRecord {
	readonly type: 'asked';
	readonly at: string;
	readonly trial: number;
	readonly arm: string;
	readonly purpose: TrialPurpose;
	readonly slot: number;
	readonly attempt: number;
	readonly params: Params;
	readonly seed: number;
	readonly owner: Owner;
	readonly note?: string;
	readonly retry_of?: number;
	readonly fits?: readonly { readonly key: string; readonly theta: readonly number[] }[];
	/** a segment of a population member (pbt on a module or command objective: run/population-arm.ts) */
	readonly segment?: Segment;
}
/**
 * One segment of a population member: it trains member `member` from the checkpoint of trial
 * `restore` (at step `from_step`; none at a fresh start) until its first report at or past `end`,
 * which must announce a checkpoint. `exploit` and `explore` are the decisions that made it (absent
 * when the member continues its own training unchanged).
 */
export interface Segment {
	readonly member: number;
	readonly generation: number;
	readonly end: number;
	readonly restore?: number;
	readonly from_step?: number;
	readonly exploit?: { readonly member: number; readonly trial: number };
	readonly explore?: Readonly<Record<string, { readonly from: ParamValue; readonly to: ParamValue; readonly how: string }>>;
}
/** The checkpoint a segment ended with: the step it was announced at, its size and the SHA-256 of its files (run/checkpoints.ts). */
export interface CheckpointDigest {
	readonly step: number;
	readonly bytes: number;
	readonly sha256: string;
}
export interface RunningRecord {
	readonly type: 'running';
	readonly at: string;
	readonly trial: number;
	readonly owner: Owner;
}
/** Which run of a trial an end record belongs to: its owner's run and the take (the n-th `running` record of the trial). */
export interface Lease {
	readonly run: string;
	readonly take: number;
}
export interface CompleteRecord {
	readonly type: 'complete';
	readonly at: string;
	readonly trial: number;
	readonly value: number;
	readonly fields: Readonly<Record<string, LoggedValue>>;
	readonly wall_ms: number;
	readonly commit?: string;
	readonly pruned_at?: number;
	readonly lease?: Lease;
	/** the checkpoint a population member's segment ended with (what later segments restore from) */
	readonly checkpoint?: CheckpointDigest;
}
export type PruneDecision = 'continue' | 'stop';
export interface ReportRecord {
	readonly type: 'report';
	readonly at: string;
	readonly trial: number;
	readonly step: number;
	readonly value: number;
	/** one value per metric (a study with several metrics whose objective reported a list; `value` is the first) */
	readonly values?: readonly number[];
	/** the report's position among its trial's reports (0, 1, ...): a lost, repeated or moved report line shows (absent in older journals) */
	readonly index?: number;
	readonly rung?: number;
	readonly decision?: PruneDecision;
	/** the lifetime announced a checkpoint written at this step (a segment's last report) */
	readonly checkpoint?: true;
}
export interface FailedRecord {
	readonly type: 'failed';
	readonly at: string;
	readonly trial: number;
	readonly reason: FailureReason;
	readonly message: string;
	readonly wall_ms: number;
	readonly lease?: Lease;
}
export type JournalRecord = StudyRecord | SettingsRecord | AskedRecord | RunningRecord | ReportRecord | CompleteRecord | FailedRecord;

/** Throws StateError unless a study record's `v` is `journalVersion` (the only version this code reads). */
export function checkJournalVersion(path: string, v: unknown): void {
	if (v === journalVersion) return;
	if (typeof v === 'number' && Number.isInteger(v) && v > journalVersion)
		throw new StateError(`${path}: journal version ${v} is newer than this metatune reads (${journalVersion}); upgrade metatune`, path);
	throw new StateError(`${path}: journal version ${JSON.stringify(v) ?? 'missing'} is not one this metatune reads (${journalVersion}); it was not written by metatune`, path);
}

/**
 * A record as its journal line, and the record as replay will read it back (a JSON round trip: a
 * plain copy, jsonCopy, when that is the same thing, else the line parsed back).
 */
export function encodeRecord(record: JournalRecord): { readonly line: string; readonly record: JournalRecord } {
	// The line is written from the copy, so both come from one reading of the record (a getter is read once).
	const copy = jsonCopy(record);
	if (copy !== undefined) return { line: `${JSON.stringify(copy)}\n`, record: copy as JournalRecord };
	const line = `${JSON.stringify(record)}\n`;
	return { line, record: JSON.parse(line) as JournalRecord };
}

/**
 * What `JSON.parse(JSON.stringify(value))` gives, built by walking the value (parsing the line back
 * cost about twice as much per record), or undefined where the walk cannot be sure it would give the
 * same: any value but null, booleans, strings, finite numbers, plain arrays and plain objects (NaN,
 * a Date or a class with toJSON, an array with its own toJSON or of a subclass, a function, undefined
 * in an array, ...), and a key `__proto__`. A key
 * whose value is undefined is left out, as JSON.stringify does. A finite number reads back as
 * itself (JSON.stringify writes the shortest decimal that does), except -0, which reads back as 0.
 */
function jsonCopy(value: unknown): unknown {
	if (value === null) return null;
	switch (typeof value) {
		case 'string':
		case 'boolean':
			return value;
		case 'number':
			if (!Number.isFinite(value)) return undefined;
			return value === 0 ? 0 : value;
		case 'object': {
			if (Array.isArray(value)) {
				if (Object.getPrototypeOf(value) !== Array.prototype || Object.hasOwn(value, 'toJSON')) return undefined;
				const out: unknown[] = new Array(value.length);
				for (let i = 0; i < value.length; i++) {
					const v = jsonCopy(value[i]);
					if (v === undefined) return undefined;
					out[i] = v;
				}
				return out;
			}
			if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
			const out: Record<string, unknown> = {};
			for (const key of Object.keys(value)) {
				const raw = (value as Record<string, unknown>)[key];
				if (raw === undefined) continue; // JSON.stringify leaves the key out
				if (key === '__proto__') return undefined;
				const v = jsonCopy(raw);
				if (v === undefined) return undefined;
				out[key] = v;
			}
			return out;
		}
		default:
			return undefined;
	}
}

let nowMs = Number.NaN;
let nowIso = '';
/** the second `isoTime` last formatted (ms, a multiple of 1000) and its ISO text up to the '.' */
let secondMs = Number.NaN;
let secondPrefix = '';

/**
 * `new Date(ms).toISOString()`, with one Date per second: the text up to the milliseconds is kept
 * and only the last three digits are written (toISOString cost ~2 us a call, a few per trial).
 */
export function isoTime(ms: number): string {
	const second = Math.floor(ms / 1000) * 1000;
	if (second !== secondMs) {
		const iso = new Date(second).toISOString();
		secondMs = second;
		secondPrefix = iso.slice(0, -4); // without 'sssZ'
	}
	const milli = ms - second;
	return `${secondPrefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/** The current time as an ISO string (formatted once per millisecond: records of one decision share it). */
export function now(): string {
	const ms = Date.now();
	if (ms !== nowMs) {
		nowMs = ms;
		nowIso = isoTime(ms);
	}
	return nowIso;
}
