/**
 * The study journal: `results/<study>/journal.jsonl`, append-only, one JSON record per line.
 *
 * Records (every one has `type` and `at`, an ISO time):
 *   study     {v, name, spec, hash, file?}                 first line; the spec the journal belongs to
 *   asked     {trial, arm, purpose, slot, attempt, params, seed, owner, note?, retry_of?}
 *             trial: study-wide number; purpose: search | reevaluate; slot: the lifetime's index in
 *             its arm (search: 0..budget-1, reevaluate: 0..k-1); attempt: 1 + retries so far
 *   running   {trial, owner}                               an attempt started (or was taken over)
 *   complete  {trial, value, fields, wall_ms, commit?}     fields: everything the objective returned
 *   failed    {trial, reason, message, wall_ms}            reason: threw | not-finite | timeout | worker-died
 *
 * Writers append only while holding the study lock, so the only partial line the file can hold is
 * a torn write of a process that died mid-append. Readers consume complete lines only; under the
 * lock a trailing fragment is known to be torn: it is warned about and closed with a newline (the
 * file stays append-only), and replay skips it. Complete/failed/study records are fdatasync'd.
 */
import { closeSync, fdatasyncSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import type { LoggedValue } from '../objectives/objective.js';
import type { Params } from '../space.js';
import type { Owner } from './lock.js';
import type { StudySpec } from './spec.js';

export const journalVersion = 1;

export type TrialPurpose = 'search' | 'reevaluate';
export type FailureReason = 'threw' | 'not-finite' | 'timeout' | 'worker-died' | 'aborted';

export interface StudyRecord {
	readonly type: 'study';
	readonly at: string;
	readonly v: number;
	readonly name: string;
	readonly spec: StudySpec;
	readonly hash: string;
	readonly file?: string;
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
}
export interface RunningRecord {
	readonly type: 'running';
	readonly at: string;
	readonly trial: number;
	readonly owner: Owner;
}
export interface CompleteRecord {
	readonly type: 'complete';
	readonly at: string;
	readonly trial: number;
	readonly value: number;
	readonly fields: Readonly<Record<string, LoggedValue>>;
	readonly wall_ms: number;
	readonly commit?: string;
}
export interface FailedRecord {
	readonly type: 'failed';
	readonly at: string;
	readonly trial: number;
	readonly reason: FailureReason;
	readonly message: string;
	readonly wall_ms: number;
}
export type JournalRecord = StudyRecord | AskedRecord | RunningRecord | CompleteRecord | FailedRecord;

const recordTypes = new Set(['study', 'asked', 'running', 'complete', 'failed']);

function isRecord(x: unknown): x is JournalRecord {
	if (x === null || typeof x !== 'object') return false;
	const r = x as { type?: unknown; trial?: unknown };
	if (typeof r.type !== 'string' || !recordTypes.has(r.type)) return false;
	return r.type === 'study' || typeof r.trial === 'number';
}

export type WarningSink = (message: string) => void;

/** Incremental reader + appender of one journal file. */
export class Journal {
	private fd: number;
	private offset = 0;
	private lineNo = 0;
	private pending = '';

	constructor(
		readonly path: string,
		private readonly warn: WarningSink = (m) => process.stderr.write(`metatune: warning: ${m}\n`),
		readonly readOnly = false,
	) {
		this.fd = openSync(path, readOnly ? 'r' : 'a+');
	}

	/**
	 * Read the records appended since the last call. `locked`: the caller holds the study lock, so a
	 * trailing fragment is a torn write (closed with a newline and skipped); otherwise it may be a
	 * write in progress and is left for later.
	 */
	readNew(locked: boolean): JournalRecord[] {
		const size = fstatSync(this.fd).size;
		const out: JournalRecord[] = [];
		if (size > this.offset) {
			const buffer = Buffer.allocUnsafe(size - this.offset);
			let read = 0;
			while (read < buffer.length) {
				const n = readSync(this.fd, buffer, read, buffer.length - read, this.offset + read);
				if (n === 0) break;
				read += n;
			}
			this.offset += read;
			this.pending += buffer.subarray(0, read).toString('utf8');
		}
		let start = 0;
		for (let nl = this.pending.indexOf('\n'); nl >= 0; nl = this.pending.indexOf('\n', start)) {
			const line = this.pending.slice(start, nl);
			start = nl + 1;
			this.lineNo++;
			if (line.trim() === '') continue;
			this.parseLine(line, out);
		}
		this.pending = this.pending.slice(start);
		if (locked && !this.readOnly && this.pending.length > 0) {
			this.lineNo++;
			this.warn(`${this.path}: line ${this.lineNo} is a torn write (${this.pending.length} bytes, no newline); skipped`);
			writeSync(this.fd, '\n');
			this.offset += 1;
			this.pending = '';
		}
		return out;
	}

	/** Whether unread bytes end without a newline (a torn line or one being written). */
	hasPartialLine(): boolean {
		return this.pending.length > 0;
	}

	private parseLine(line: string, out: JournalRecord[]): void {
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			this.warn(`${this.path}: line ${this.lineNo} is not valid JSON (a torn write); skipped`);
			return;
		}
		if (!isRecord(value)) {
			this.warn(`${this.path}: line ${this.lineNo} is not a journal record; skipped`);
			return;
		}
		out.push(value);
	}

	/** Append records (caller holds the lock and has called readNew(true) first). */
	append(records: readonly JournalRecord[], durable: boolean): void {
		if (records.length === 0) return;
		let text = '';
		for (const r of records) text += `${JSON.stringify(r)}\n`;
		writeSync(this.fd, text);
		if (durable) fdatasyncSync(this.fd);
	}

	close(): void {
		closeSync(this.fd);
	}
}

/** Read a whole journal without the lock (status, compare, export). */
export function readJournal(path: string, warn?: WarningSink): JournalRecord[] {
	const journal = new Journal(path, warn, true);
	try {
		const records = journal.readNew(false);
		if (journal.hasPartialLine()) (warn ?? ((m: string) => process.stderr.write(`metatune: warning: ${m}\n`)))(`${path}: the last line is incomplete (torn or being written); skipped`);
		return records;
	} finally {
		journal.close();
	}
}

export const now = (): string => new Date().toISOString();
