/**
 * What a process needs from the place a study is stored, whichever it is: the file journal
 * (file-storage.ts: journal.jsonl + the lock file + presence files, the default) or a PostgreSQL
 * database (postgres.ts). Both hold the same records (journal.ts), so the replayed state, resume and
 * every table are the same whichever storage holds them.
 *
 *   readNew      records other processes appended since the last read, outside the lock (a storage
 *                that cannot read without a round trip returns none: the next transaction catches up)
 *   transact     one decision: under the study's exclusive lock, catch up (the records appended since
 *                the last read), let `body` decide and stage records, append them (durably when the
 *                batch holds a study, asked, complete or failed record) and only then release the lock;
 *                a storage that could not write the staged records and found others' written since
 *                (a lost connection) calls `body` again with `replay` and every record from the start
 *   alive        whether the process that owns a trial still heartbeats (read under the lock)
 *   lost         aborted (reason: the error) when this process can no longer hold its trials (the
 *                database stayed unreachable for longer than the lease): its lifetimes must stop
 *   close        stop the heartbeat, announce this process gone, release what is held
 *   elect        (PostgreSQL) workers of one study on one host sharing one deciding process
 *                (run/leader.ts): the live leader of this host, or this process made the leader
 */
import type { JournalRecord } from './journal.js';
import type { Owner } from './lock.js';

/** What a transaction's body decided: its value, and the records to append (encoded: journal.ts `encodeRecord`). */
export interface Staged<T> {
	readonly value: T;
	readonly lines: readonly string[];
	readonly records: readonly JournalRecord[];
	readonly durable: boolean;
}

/** Records sent ahead (`transact` with `ahead`) were not written: another process wrote first. */
export class RefusedAhead extends Error {
	constructor() {
		super('records sent ahead were not written: another process wrote first');
	}
}

/** The leader of a study's workers on one host (run/leader.ts): its owner and the Unix socket it listens on. */
export interface LeaderEntry {
	readonly run: string;
	readonly pid: number;
	readonly socket: string;
}

export interface StudyStorage {
	/** how messages name the study's storage (the journal's path, or the database URL without its password) */
	readonly where: string;
	readNew(): JournalRecord[];
	/**
	 * `body` runs under the lock with the records appended since the last read; its staged records
	 * are appended before the promise resolves. `replay`: the records staged by the previous call of
	 * `body` were not written, and `fresh` holds every record of the study: rebuild the state from them. `concurrent`: other work of this process may submit
	 * transactions meanwhile, so a durable write should wait off the event loop. `ahead`: the caller
	 * accepts a value whose records are sent and not yet answered (`unconfirmed` is then true); the
	 * next `transact` runs `body` on them at once and waits for their answer before writing: if they
	 * were not written it throws RefusedAhead, and the batch that staged them must be run again (its
	 * `body` is called with `replay` on every record) before this one.
	 */
	transact<T>(body: (fresh: readonly JournalRecord[], replay: boolean) => Staged<T>, concurrent: boolean, ahead?: boolean): Promise<T>;
	/** true after a `transact` with `ahead` that returned before its records' write was answered */
	readonly unconfirmed?: boolean;
	/** true when `transact` never calls `body` again with `replay` (the file journal): nothing needs saving before a batch */
	readonly bodyRunsOnce?: boolean;
	alive(owner: Owner): boolean;
	/**
	 * Atomically (one leader per study and host): the entry of this host's leader when its owner is
	 * alive, else this process recorded as the leader listening at `socket` (its own entry returned).
	 */
	elect?(socket: string): Promise<LeaderEntry>;
	/** seconds this process's trials stay its own without a heartbeat (PostgreSQL; undefined: the file journal's 30 s) */
	readonly leaseSeconds?: number;
	/** Remove this process's leader entry, if it is the one recorded. */
	resign?(): Promise<void>;
	readonly lost?: AbortSignal;
	close(): Promise<void>;
}
