/**
 * The study journal: `results/<study>/journal.jsonl`, append-only, one JSON record per line.
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
 *
 * Writers append only while holding the study lock, so the only partial line the file can hold is
 * a torn write of a process that died mid-append. Readers consume complete lines only; under the
 * lock a trailing fragment is known to be torn: it is warned about and closed with a newline (the
 * file stays append-only), and replay skips it. Such a closed fragment stays in the file as an
 * incomplete line: a prefix of a record (`{"type":"...`) that is not valid JSON. Any other line that
 * is not a record (garbage, a valid-JSON non-record, a record of an unknown type, one its type's
 * schema refuses: check.ts) or a record that contradicts the study (params outside the space, an
 * unknown arm, a report out of order, a second end: state.ts) is a corrupted record: a writer
 * (`run`, `ask`/`tell`) refuses it with StateError naming the line,
 * because replaying around a lost record can mislead the scheduler (a lost `asked` record leaves a
 * slot gap it would refill without end); readers (status, reports) warn and skip it.
 *
 * Cost, for a study of N lifetimes (R = repeats, F = failed latest attempts, A = arms):
 *   replay   O(bytes): `readNew` reads only the bytes appended since its last call, chunk by chunk
 *            (memory: the records, never the whole file as one string), and applying a record to
 *            the state (state.ts) is O(R); a full replay is O(N), a catch-up O(new records).
 *            Checking each record (check.ts, state.ts) is part of it: a 10k-trial journal (30k
 *            lines) replayed in 120 ms before the checks and 250 ms with them (2 shared cores).
 *   ask      a decision (run/scheduler.ts) is O(A + F + unended + the searcher's ask), not O(N): the
 *            arm's searcher trials are kept up to date and handed over without a copy, and retry
 *            candidates are a set. The searcher's own cost is its own: O(1) for random search of a
 *            continuous space, O(N) for a finite one (its key memo), O(N^3) for gp.
 *   tell     O(R) to apply the end record, plus one write and one fdatasync (per batch of lanes).
 * So a run of N lifetimes costs O(N) overall; `metatune bench runner --scaling` checks it.
 *
 * Durability (what study.ts does): every write holding a study, asked, complete or failed record
 * is fdatasync'd before the lock is released and before the caller is told; a write of `running`
 * or `report` records alone is not (losing one only leaves a trial pending, taken over or re-run on
 * resume, and a re-run reports the same values and gets the same decisions: pruners decide from
 * the reports of lower-numbered trials only, see run/pruner.ts).
 * fdatasync covers every byte written before it, so at any moment the un-synced part of the file is
 * at most the batch being synced plus running-only writes after it.
 */
import { closeSync, fdatasync, fdatasyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import type { LoggedValue } from '../../objectives/objective.js';
import type { Params, ParamValue } from '../../core/space.js';
import { diskFull, StateError } from '../../core/errors.js';
import { setPlaces } from './check.js';
import { classifyLine } from './lines.js';
import type { Owner } from './lock.js';
import { clock, type Profile } from './profile.js';
import type { StudySpec } from '../spec/spec.js';

export const journalVersion = 1;

export type TrialPurpose = 'search' | 'reevaluate';
export type FailureReason = 'threw' | 'not-finite' | 'unstorable' | 'timeout' | 'worker-died' | 'aborted';

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

export type WarningSink = (message: string) => void;

/** Throws StateError unless a study record's `v` is `journalVersion` (the only version this code reads). */
export function checkJournalVersion(path: string, v: unknown): void {
	if (v === journalVersion) return;
	if (typeof v === 'number' && Number.isInteger(v) && v > journalVersion)
		throw new StateError(`${path}: journal version ${v} is newer than this metatune reads (${journalVersion}); upgrade metatune`, path);
	throw new StateError(`${path}: journal version ${JSON.stringify(v) ?? 'missing'} is not one this metatune reads (${journalVersion}); it was not written by metatune`, path);
}

/** A record as its journal line, and the record as replay will read it back (JSON round trip). */
export function encodeRecord(record: JournalRecord): { readonly line: string; readonly record: JournalRecord } {
	const line = `${JSON.stringify(record)}\n`;
	return { line, record: JSON.parse(line) as JournalRecord };
}

const chunkBytes = 64 * 1024;

/** What to do after a full disk stopped a journal write: nothing recorded was lost. */
const fullNext = 'every lifetime recorded so far is kept (the unfinished write was removed); free some space, then run the same command to resume';

/**
 * Incremental reader + appender of one journal file. `offset` is the end of what this object has
 * consumed: bytes read, plus bytes it appended itself with `write` (which it never reads back).
 */
export class Journal {
	private fd: number;
	private offset = 0;
	private lineNo = 0;
	/**
	 * bytes after the last newline read (a torn line, or one being written by another process), as
	 * the pieces read: joined once when the line's newline comes, so a long line is read in linear time
	 */
	private pending: Buffer[] = [];
	private pendingBytes = 0;
	private readonly chunk = Buffer.allocUnsafe(chunkBytes);
	/** line numbers of incomplete lines (torn writes closed with a newline) skipped so far */
	readonly incomplete: number[] = [];
	/** line numbers of corrupted records a reader skipped so far (a writer refuses the first) */
	readonly corrupted: number[] = [];

	constructor(
		readonly path: string,
		private readonly warn: WarningSink = (m) => process.stderr.write(`metatune: warning: ${m}\n`),
		readonly readOnly = false,
		private readonly profile?: Profile,
	) {
		this.fd = openSync(path, readOnly ? 'r' : 'a+');
	}

	/**
	 * Read the records appended since the last call: only the new bytes, from `offset` to the end of
	 * the file (one pread when nothing is new). `locked`: the caller holds the study lock, so a
	 * trailing fragment is a torn write (closed with a newline and skipped); otherwise it may be a
	 * write in progress and is left for later. Throws StateError for a study record of a version
	 * this code does not read. `atLeast`: stop after the chunk that brings the count to this many
	 * (a reader catching up on a large journal hands them on in batches; call again for the rest).
	 * `text`: given, the text of the complete lines read is pushed to it (one string per chunk:
	 * joined with newlines, they are lines `linesRead + 1` onwards as of before the call), for a
	 * second reader of the same records (`recordsOfLines`).
	 */
	readNew(locked: boolean, atLeast = Number.POSITIVE_INFINITY, text?: string[]): JournalRecord[] {
		const out: JournalRecord[] = [];
		const lines: number[] = []; // the line of each record read (check.ts setPlaces)
		let atEnd = false;
		// chunk by chunk, so a whole journal is never held as one buffer or string (memory: the records)
		for (;;) {
			const n = readSync(this.fd, this.chunk, 0, chunkBytes, this.offset);
			if (n === 0) {
				atEnd = true;
				break;
			}
			this.offset += n;
			const fresh = this.chunk.subarray(0, n);
			const last = fresh.lastIndexOf(0x0a);
			if (last >= 0) {
				const data = this.pendingBytes > 0 ? Buffer.concat([...this.pending, fresh.subarray(0, last)]) : fresh.subarray(0, last);
				const decoded = data.toString('utf8');
				text?.push(decoded);
				for (const line of decoded.split('\n')) {
					this.lineNo++;
					if (line.trim() === '') continue;
					this.parseLine(line, out, lines);
				}
				this.pending = [];
				this.pendingBytes = 0;
			}
			if (last + 1 < n) {
				this.pending.push(Buffer.from(fresh.subarray(last + 1))); // a copy: `chunk` is reused
				this.pendingBytes += n - (last + 1);
			}
			if (n < chunkBytes) {
				atEnd = true; // a short read of a regular file: the end (for now)
				break;
			}
			if (out.length >= atLeast) break;
		}
		if (locked && !this.readOnly && this.pendingBytes > 0 && atEnd) {
			this.lineNo++;
			this.warn(`${this.path}: line ${this.lineNo} is a torn write (${this.pendingBytes} bytes, no newline); skipped`);
			try {
				writeSync(this.fd, '\n');
			} catch (error) {
				throw diskFull(error, this.path, 'closing a torn line of the journal', fullNext) ?? error;
			}
			this.offset += 1;
			this.pending = [];
			this.pendingBytes = 0;
		}
		setPlaces(out, lines);
		return out;
	}

	/** A line that is neither a record nor a torn write: refused by a writer, warned about and skipped by a reader. */
	private refuseOrSkip(line: string, what: string): void {
		const message = `${this.path}: corrupted record at line ${this.lineNo} (${what}: ${JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}...` : line)})`;
		if (this.readOnly) {
			this.corrupted.push(this.lineNo);
			this.warn(`${message}; skipped, so what is shown may be incomplete`);
			return;
		}
		throw new StateError(`${message}; the study will not run past a lost record: restore line ${this.lineNo} from a backup, or run with --fresh to archive this journal and start over`, this.path);
	}

	/** Bytes of the file consumed so far (read, or appended by this object). */
	get bytesRead(): number {
		return this.offset;
	}

	/** Lines of the file consumed so far. */
	get linesRead(): number {
		return this.lineNo;
	}

	/** Whether unread bytes end without a newline (a torn line or one being written). */
	hasPartialLine(): boolean {
		return this.pendingBytes > 0;
	}

	private parseLine(line: string, out: JournalRecord[], lines: number[]): void {
		const read = classifyLine(line, journalVersion);
		if (read.kind === 'incomplete') {
			this.incomplete.push(this.lineNo);
			this.warn(`${this.path}: line ${this.lineNo} is not valid JSON (an incomplete record, cut short by a process that died while writing it); skipped`);
			return;
		}
		if (read.kind === 'corrupted') {
			this.refuseOrSkip(line, read.what);
			return;
		}
		const value = read.value as JournalRecord;
		if (value.type === 'study') checkJournalVersion(this.path, value.v);
		out.push(value);
		lines.push(this.lineNo);
	}

	/** Append records and leave them to be read back by `readNew` (caller holds the lock and has called readNew(true) first). */
	append(records: readonly JournalRecord[], durable: boolean): void {
		if (records.length === 0) return;
		let text = '';
		for (const r of records) text += `${JSON.stringify(r)}\n`;
		this.writeAll(Buffer.from(text));
		if (durable) this.syncNow();
	}

	/**
	 * Append encoded lines (`encodeRecord`) in one write and count them as consumed: the caller has
	 * applied their records already. The caller holds the lock and has called readNew(true) in the
	 * same hold, so this object's offset is the end of the file.
	 */
	write(lines: readonly string[]): void {
		if (lines.length === 0) return;
		if (this.pendingBytes > 0) throw new Error(`${this.path}: write() with an unread partial line; call readNew(true) under the lock first`);
		const bytes = Buffer.from(lines.join(''));
		this.writeAll(bytes);
		this.offset += bytes.length;
		this.lineNo += lines.length;
	}

	/**
	 * Write all of `bytes` at the end of the file (the caller holds the lock). When a write fails
	 * part way (a full disk), the file is cut back to its length before this call, so no partial
	 * line is left, and the error is rethrown (DiskFullError for ENOSPC/EDQUOT).
	 */
	private writeAll(bytes: Buffer): void {
		const t0 = clock(this.profile);
		const before = this.offset; // the end of the file: the caller read it all under the lock
		try {
			for (let done = 0; done < bytes.length; ) done += this.writeChunk(bytes, done, bytes.length - done);
		} catch (error) {
			try {
				ftruncateSync(this.fd, before);
			} catch {
				// the partial line stays; it is closed as a torn write on resume
			}
			throw diskFull(error, this.path, 'appending to the journal', fullNext) ?? error;
		}
		this.profile?.add('append', t0);
	}

	/** One write(2) at the end of the file (`a+`); its own method so tests can make it fail. */
	private writeChunk(bytes: Buffer, offset: number, length: number): number {
		return writeSync(this.fd, bytes, offset, length);
	}

	/** fdatasync: everything written to the file so far (by any process) reaches the disk. */
	syncNow(): void {
		const t0 = clock(this.profile);
		try {
			fdatasyncSync(this.fd);
		} catch (error) {
			throw diskFull(error, this.path, 'saving the journal to disk', fullNext) ?? error;
		}
		this.profile?.add('fsync', t0);
	}

	/** `syncNow` on the thread pool, leaving the event loop free while the disk works. */
	async sync(): Promise<void> {
		const t0 = clock(this.profile);
		await new Promise<void>((resolve, reject) => fdatasync(this.fd, (error) => (error ? reject(diskFull(error, this.path, 'saving the journal to disk', fullNext) ?? error) : resolve())));
		this.profile?.add('fsync', t0);
	}

	close(): void {
		closeSync(this.fd);
	}
}

/**
 * The records of journal lines another reader read (`readNew`'s `text`, joined with newlines; the
 * first is line `firstLine`): the same records `readNew` gave it, skipping the same lines (that
 * reader warned about them) and naming the same places. Throws as `readNew` does for a study record
 * of another version (that reader then kept none of these records either).
 */
export function recordsOfLines(path: string, text: string, firstLine: number): JournalRecord[] {
	const out: JournalRecord[] = [];
	const lines: number[] = [];
	let lineNo = firstLine - 1;
	for (const line of text.split('\n')) {
		lineNo++;
		if (line.trim() === '') continue;
		const read = classifyLine(line, journalVersion);
		if (read.kind !== 'record') continue;
		const value = read.value as JournalRecord;
		if (value.type === 'study') checkJournalVersion(path, value.v);
		out.push(value);
		lines.push(lineNo);
	}
	setPlaces(out, lines);
	return out;
}

/** Read a whole journal without the lock (status, compare, export). */
export function readJournal(path: string, warn?: WarningSink): JournalRecord[] {
	return readJournalLines(path, warn).records;
}

/** `readJournal`, also saying which lines were corrupted records (warned about and skipped). */
export function readJournalLines(path: string, warn?: WarningSink): { readonly records: JournalRecord[]; readonly corrupted: readonly number[] } {
	const journal = new Journal(path, warn, true);
	try {
		const records = journal.readNew(false);
		if (journal.hasPartialLine()) (warn ?? ((m: string) => process.stderr.write(`metatune: warning: ${m}\n`)))(`${path}: the last line is incomplete (torn or being written); skipped`);
		return { records, corrupted: journal.corrupted };
	} finally {
		journal.close();
	}
}

export const now = (): string => new Date().toISOString();
