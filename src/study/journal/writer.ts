/**
 * Batched journal transactions: every journal decision of this process (finish a trial, decide the
 * next one, or both) is an operation run under the study lock, and the operations waiting when the
 * lock is taken run in one hold (one `transact` of the study's storage, storage.ts):
 *
 *   lock -> read the new records (catch up) -> op_1 .. op_k (each stages records: applied to the
 *   state at once, so op_2 sees op_1's) -> one write of every staged record -> durable if it must
 *   be (fdatasync, or the database's commit) -> unlock -> resolve op_1 .. op_k
 *
 * Operations submitted while a batch holds the lock (e.g. lanes finishing during its fdatasync) form
 * the next batch. A storage that lost its connection before a batch's records were written, while
 * others wrote meanwhile (pg-storage.ts), runs the batch again on every record from the start: the
 * state is rebuilt, what the operations changed besides it is restored (`snapshot`), and they run
 * again on the current study. `durable`: the batch staged a study, settings, asked, complete or failed record (journal.ts).
 * A failed write or fdatasync leaves the in-memory state ahead of the file, so the writer refuses
 * every later operation with that error (the process stops; the journal is repaired on resume).
 *
 * Ahead (pipelined): a batch of one operation submitted with `redone` may be answered before its
 * records' write is (a storage that offers it: PostgreSQL while this process is the study's only
 * writer), so its caller starts on the decision while the write and its flush are under way. The
 * next batch runs at once on that state and is written once the answer comes. If the records were
 * not written (another worker wrote first: RefusedAhead), the earlier batch runs again on every
 * record, its operations' new results go to their `redone`, the next batch runs again, and the
 * caller (session.ts) gives up what it started on the old result: nothing of it is recorded.
 */
import { StateError } from '../../core/errors.js';
import type { Journal, JournalRecord } from './journal.js';
import { encodeRecord } from './journal.js';
import { FileStorage } from './file-storage.js';
import type { FileLock } from './lock.js';
import { clock, type Profile } from './profile.js';
import type { StudyState } from './state.js';
import { RefusedAhead, type StudyStorage } from './storage.js';

/** Called under the lock: append `record` to the batch and apply it to the state. */
export type Stage = (record: JournalRecord) => void;

interface Op {
	readonly run: (stage: Stage) => unknown;
	readonly concurrent: boolean;
	readonly resolve: (value: unknown) => void;
	readonly reject: (error: unknown) => void;
	/** the operation may be answered ahead of its write; called with its new result if that write is refused and it runs again */
	readonly redone: ((result: Result) => void) | undefined;
}

export type Result = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

export class StorageWriter {
	private readonly queue: Op[] = [];
	private draining = false;
	private broken: { readonly error: unknown } | undefined;
	/** a batch answered ahead of its write (`redone`), and what restores what its operations changed besides the state */
	private outstanding: { readonly batch: readonly Op[]; readonly restore: (() => void) | undefined } | undefined;
	/** lock holds so far, and operations run in them */
	batches = 0;
	ops = 0;

	/**
	 * `snapshot`: called before a batch runs (unless the storage never runs one again); saves what
	 * operations change besides the state and returns what restores it (when the batch runs again).
	 */
	constructor(
		private readonly storage: StudyStorage,
		private readonly state: StudyState,
		private readonly profile?: Profile,
		private readonly snapshot?: () => () => void,
	) {}

	/**
	 * Run `op` under the lock in the next batch; resolves after the batch is written (and synced).
	 * `concurrent`: other work of this process may submit operations meanwhile (other lanes are
	 * evaluating); the batch's fdatasync then runs on the thread pool so they can queue up for the
	 * next batch. Otherwise it runs here, which saves a thread-pool round trip (tens of microseconds,
	 * more when the CPU is busy) when nothing else could use the wait.
	 */
	submit<T>(op: (stage: Stage) => T, concurrent: boolean, redone?: (result: Result) => void): Promise<T> {
		if (this.broken !== undefined) return Promise.reject(this.broken.error);
		return new Promise<T>((resolve, reject) => {
			this.queue.push({ run: op, concurrent, resolve: resolve as (value: unknown) => void, reject, redone });
			if (!this.draining) void this.drain();
		});
	}

	/** Under the lock: apply the records appended since the last read (by anyone). */
	private catchUp(fresh: readonly JournalRecord[]): void {
		const t0 = clock(this.profile);
		this.state.apply(fresh);
		this.profile?.add('replay', t0);
		const broken = this.state.inconsistency();
		const where = this.storage.where;
		if (broken !== undefined) throw new StateError(`${where}: corrupted journal: ${broken}; restore it from a backup, or run with --fresh to archive it and start over`, where);
	}

	private async drain(): Promise<void> {
		this.draining = true;
		try {
			while (this.queue.length > 0) {
				const batch = this.queue.splice(0);
				let results: Result[];
				try {
					if (this.broken !== undefined) throw this.broken.error;
					results = await this.runBatch(batch).catch(async (error: unknown) => {
						if (!(error instanceof RefusedAhead)) throw error;
						await this.redoOutstanding();
						return this.runBatch(batch);
					});
				} catch (error) {
					for (const op of batch) op.reject(error);
					continue;
				}
				for (let i = 0; i < batch.length; i++) {
					const op = batch[i] as Op;
					const r = results[i] as Result;
					if (r.ok) op.resolve(r.value);
					else op.reject(r.error);
				}
			}
		} finally {
			this.draining = false;
		}
	}

	/**
	 * The batch answered ahead of its write was not written (RefusedAhead): run it again (the storage
	 * replays every record) and hand its operations their new results.
	 */
	private async redoOutstanding(): Promise<void> {
		const outstanding = this.outstanding;
		this.outstanding = undefined;
		if (outstanding === undefined) throw new Error('StorageWriter: records sent ahead were refused, and no batch was answered ahead');
		outstanding.restore?.();
		const results = await this.runBatch(outstanding.batch, false);
		for (const [i, op] of outstanding.batch.entries()) op.redone?.(results[i] as Result);
	}

	private async runBatch(batch: readonly Op[], ahead = batch.length === 1 && batch[0]?.redone !== undefined): Promise<Result[]> {
		let staged = false;
		let restore: (() => void) | undefined;
		try {
			const results = await this.storage.transact(
				(fresh, replay) => {
					if (replay) {
						restore?.();
						this.state.reset();
					}
					if (this.storage.bodyRunsOnce !== true) restore = this.snapshot?.();
					this.catchUp(fresh);
					this.batches++;
					const lines: string[] = [];
					const records: JournalRecord[] = [];
					let durable = false;
					const stage: Stage = (record) => {
						const t0 = clock(this.profile);
						const encoded = encodeRecord(record);
						this.state.apply([encoded.record]);
						this.profile?.add('replay', t0);
						lines.push(encoded.line);
						records.push(encoded.record);
						if (record.type !== 'running' && record.type !== 'report') durable = true;
					};
					const value: Result[] = batch.map((op) => {
						this.ops++;
						try {
							return { ok: true, value: op.run(stage) };
						} catch (error) {
							return { ok: false, error };
						}
					});
					staged = lines.length > 0;
					return { value, lines, records, durable };
				},
				batch.some((op) => op.concurrent),
				ahead,
			);
			this.outstanding = this.storage.unconfirmed === true ? { batch, restore } : undefined;
			return results;
		} catch (error) {
			if (error instanceof RefusedAhead) throw error; // the state is replayed when the batches run again
			// the staged records are applied to the state: it is ahead of the storage from here on
			if (staged) this.broken = { error };
			throw error;
		}
	}
}

/** A StorageWriter on a journal file and its lock directly (no presence files). */
export class JournalWriter extends StorageWriter {
	constructor(journal: Journal, lock: FileLock, state: StudyState, profile?: Profile) {
		super(new FileStorage(journal, lock, undefined, profile), state, profile);
	}
}
