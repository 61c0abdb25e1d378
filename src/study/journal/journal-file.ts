/**
 * The journal file (`results/<study>/journal.jsonl`): an incremental reader and appender of its
 * records (records.ts), one JSON record per line.
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
import { diskFull, StateError } from '../../core/errors.js';
import { setPlaces } from './check.js';
import { classifyLine } from './lines.js';
import { clock, type Profile } from './profile.js';
import { checkJournalVersion, type JournalRecord, journalVersion } from './records.js';

export type WarningSink = (message: string) => void;

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
