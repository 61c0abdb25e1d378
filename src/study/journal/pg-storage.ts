/**
 * A study in PostgreSQL as one process holds it (StudyStorage, storage.ts; tables: postgres.ts).
 *
 * A decision is one transaction under a row lock on the study's row, so claiming the next grid
 * point, trial number or retry is atomic across every worker on every machine. The statements are
 * server-side functions (pg-functions.ts: planned once per connection). It takes two round trips,
 * each one simple-protocol query:
 *
 *   1. BEGIN; metatune_lock_read: lock the row (this transaction commits with synchronous_commit
 *      off), the records after the last one read (catch up), the live owners (server clock)
 *   -> decide and stage, in this process
 *   2. INSERT the staged records at the next seq numbers; NOTIFY; COMMIT; the heartbeat
 *      (metatune_beat: an upsert of this process's owner row, committed with synchronous_commit on)
 *
 * The lock is held from the first round trip's lock to the COMMIT: the decision depends on every
 * record before it, so it is the serial part. The COMMIT does not wait for the WAL flush, so the
 * lock is not held through it; the heartbeat after it does wait, and its flush covers the
 * decision's commit and every commit the decision read (the WAL is flushed in order). So the round
 * trip answers once what the process learnt and wrote is durable, and the flushes of concurrent
 * workers are grouped by the server instead of queued behind the lock. A transaction that read
 * nothing new and wrote nothing needs no flush. The texts carry their values (integers checked,
 * strings as escaped literals, the records' JSON dollar-quoted: textLiteral), as the extended
 * protocol allows one statement per query.
 *
 * While this process is the study's only writer, a decision is made ahead of the lock in one round
 * trip instead (`ahead`; when and how: pg-ahead.ts), and pipelined for a run's one lane.
 *
 * Only one row is ever locked, so transactions cannot deadlock. What a worker acts on is durable (a
 * record a worker saw committed must survive a server crash: every worker's catch-up counts on the
 * seq numbers having no holes). The process's one connection (pg-link.ts) is used by one thing at a
 * time (a promise chain): the transactions and the heartbeat (`expires = now() + lease`, every
 * lease/5, at most 2 s, and after every decision), which extends the lease of every trial the
 * process runs.
 *
 * A lost connection: a transaction cut before its COMMIT is run again on a new connection; one cut
 * after it is settled under the row lock (pg-settle.ts).
 */
import pg from 'pg';
import { errorMessage, MetatuneError, StorageError } from '../../core/errors.js';
import type { JournalRecord, WarningSink } from './journal.js';
import type { Owner } from './lock.js';
import { AheadPolicy, callAppendAlone } from './pg-ahead.js';
import { PgLink } from './pg-link.js';
import { beatCall, type FunctionRow, lockReadQuery, splitRows } from './pg-functions.js';
import { settle } from './pg-settle.js';
import { livenessOf, recordsChannel, recordsOf } from './postgres.js';
import { electLeader, resignLeader } from './pg-leader.js';
import { type LeaderEntry, RefusedAhead, type Staged, type StudyStorage } from './storage.js';

/** Append records at seq `start` on and tell the listeners (`serve`: NOTIFY on `recordsChannel` with the study id), as text for a simple-protocol query (so COMMIT can follow it in the same round trip; the NOTIFY is delivered at that COMMIT); the records' JSON as a quoted literal. */
function insertQuery(id: string, start: number, lines: readonly string[]): string {
	const json = textLiteral(`[${lines.join(',')}]`);
	return `INSERT INTO metatune_records (study, seq, record) SELECT ${id}, ${start} + t.ord - 1, t.r FROM json_array_elements(${json}::json) WITH ORDINALITY AS t(r, ord); SELECT pg_notify('${recordsChannel}', '${id}')`;
}

const dollarTag = '$metatune$';

/**
 * `text` as an SQL string literal: dollar-quoted (the server reads what is between the tags as
 * written, nothing escaped), or pg.escapeLiteral's quoting where the tag would end it early (the
 * text holds it, or ends in a prefix of it). escapeLiteral walks the text a character at a time:
 * ~18 us for a trial's three records in a cold process, ~4 with the tags.
 */
export function textLiteral(text: string): string {
	const quoted = `${dollarTag}${text}${dollarTag}`;
	return quoted.indexOf(dollarTag, dollarTag.length) === dollarTag.length + text.length ? quoted : pg.escapeLiteral(text);
}

export class PgStorage implements StudyStorage {
	/** records consumed so far: the next seq to read */
	private read = 0;
	private chain: Promise<unknown> = Promise.resolve();
	private timer: NodeJS.Timeout | undefined;
	private beating = false;
	private liveness: (owner: Owner) => boolean = () => false;
	/** deciding ahead of the lock, and the answer to records sent ahead (pg-ahead.ts) */
	private readonly policy = new AheadPolicy();
	readonly link: PgLink;

	constructor(
		url: string,
		client: pg.Client,
		private readonly label: string,
		readonly where: string,
		private readonly id: string,
		private readonly me: Owner,
		readonly leaseSeconds: number,
		warn: WarningSink,
	) {
		this.link = new PgLink(url, label, where, leaseSeconds, warn, client, (c) => this.beat(c));
	}

	get lost(): AbortSignal {
		return this.link.lost;
	}

	/** Nothing is read outside a transaction (a round trip): the next transaction catches up. */
	readNew(): JournalRecord[] {
		return [];
	}

	private serial<T>(fn: () => Promise<T>): Promise<T> {
		const run = this.chain.then(fn);
		this.chain = run.catch(() => undefined);
		return run;
	}

	private wrap(error: unknown): unknown {
		if (error instanceof MetatuneError) return error;
		return new StorageError(`${this.where}: ${errorMessage(error)}; what was recorded before is kept: run the same command to resume`, this.label);
	}

	transact<T>(body: (fresh: readonly JournalRecord[], replay: boolean) => Staged<T>, _concurrent = false, pipeline = false): Promise<T> {
		// records sent ahead and not answered yet: decide now as if they were written (this process is the
		// study's only writer), and send once they are (the connection's chain waits for their answer)
		const pending = this.policy.pending;
		this.policy.pending = undefined;
		let early: Staged<T> | undefined;
		try {
			early = pending === undefined ? undefined : body([], false);
		} catch (error) {
			this.policy.pending = pending;
			return Promise.reject(error);
		}
		return this.serial(async () => {
			if (pending !== undefined && !(await pending)) {
				// others wrote first: those records and the state built on them are not the study's
				this.conflicted();
				throw new RefusedAhead();
			}
			let replay = this.policy.replayNext;
			this.policy.replayNext = false;
			if (!replay && this.policy.goesAhead(early !== undefined)) {
				const ahead = await this.ahead(early ?? body([], false), pipeline);
				if (ahead.written) return ahead.value;
				// others wrote since the last read: `body`'s records were not written and the state is ahead
				this.conflicted();
				this.policy.replayNext = false;
				replay = true;
			}
			for (;;) {
				const c = await this.link.connected();
				let fresh: JournalRecord[];
				try {
					const results = (await c.query(lockReadQuery(this.id, this.read))) as unknown as pg.QueryResult<FunctionRow>[];
					const { records, owners } = splitRows(results[1]?.rows);
					fresh = recordsOf(records, this.where);
					this.liveness = livenessOf(owners);
				} catch (error) {
					if (this.link.dropIfLost(c, error)) continue; // nothing decided yet: start again
					await c.query('ROLLBACK').catch(() => undefined);
					throw this.wrap(error);
				}
				this.link.answered();
				let staged: Staged<T>;
				try {
					staged = body(fresh, replay);
				} catch (error) {
					await c.query('ROLLBACK').catch(() => undefined);
					throw error;
				}
				this.policy.decided(fresh.length, staged.records.length);
				const start = this.read + fresh.length;
				// what this process learnt in this transaction (the records read, the records written) must be
				// durable before it acts on it: the beat after the commit waits for the flush
				const learnt = fresh.length > 0 || staged.records.length > 0;
				try {
					const commit = learnt ? `COMMIT; ${this.beatQuery()}` : 'COMMIT';
					await c.query(staged.records.length > 0 ? `${insertQuery(this.id, start, staged.lines)}; ${commit}` : commit);
					this.link.answered();
				} catch (error) {
					if (!this.link.dropIfLost(c, error)) {
						await c.query('ROLLBACK').catch(() => undefined);
						throw this.wrap(error);
					}
					// a transaction that learnt nothing needs no commit: it read nothing new and wrote nothing
					if (learnt && !(await this.settle(this.read, fresh, start, staged.lines))) {
						this.read = 0;
						replay = true;
						continue;
					}
				}
				this.read = start + staged.records.length;
				return staged.value;
			}
		});
	}

	/**
	 * A decision in one round trip, made ahead of the lock on what this process has read: one call of
	 * metatune_append_alone locks the study's row, writes the staged records only if nothing was written
	 * since the last read, beats and reads the live owners for the next decision, and commits with the
	 * flush. Not written: `body`'s state is ahead of the storage, and the caller decides again with
	 * `replay` on every record. A lost connection is settled as in `transact` (the records sent are
	 * there, or are written now). `pipeline` (the caller's `ahead`): a decision that staged records
	 * returns once they are sent, as written; their answer is `pending` until the next transaction,
	 * and every later use of the connection waits for it.
	 */
	private async ahead<T>(staged: Staged<T>, pipeline: boolean): Promise<{ written: boolean; value: T }> {
		const c = await this.link.connected();
		const answer = this.appendAlone(c, this.read, staged.lines, staged.records.length);
		if (pipeline && staged.records.length > 0) {
			this.policy.pending = answer;
			this.chain = Promise.all([this.chain, answer]).catch(() => undefined);
			return { written: true, value: staged.value };
		}
		return { written: await answer, value: staged.value };
	}

	/** One call of metatune_append_alone for the records staged on what was read up to seq `start`: whether they were written. */
	private async appendAlone(c: pg.Client, start: number, lines: readonly string[], count: number): Promise<boolean> {
		let written: boolean;
		try {
			const answer = await callAppendAlone(c, this.id, this.me, this.leaseSeconds, start, lines);
			written = answer.written;
			this.liveness = livenessOf(answer.owners);
			this.link.answered();
		} catch (error) {
			if (!this.link.dropIfLost(c, error)) throw this.wrap(error);
			// the answer was lost: the records sent are there, or are written now, or the study moved on
			written = count > 0 && (await this.settle(start, [], start, lines));
		}
		if (written) this.read = start + count;
		return written;
	}

	get unconfirmed(): boolean {
		return this.policy.pending !== undefined;
	}

	/** A decision ahead found others' records: back off from deciding ahead, and decide again on every record. */
	private conflicted(): void {
		this.policy.conflicted(this.read);
		this.read = 0;
	}

	/** Settle a transaction cut by a lost connection after its COMMIT (pg-settle.ts): whether the records read and sent are written. */
	private settle(from: number, fresh: readonly JournalRecord[], start: number, lines: readonly string[]): Promise<boolean> {
		return settle({ link: this.link, id: this.id, beatQuery: this.beatQuery(), wrap: (e) => this.wrap(e) }, from, fresh, start, lines);
	}

	alive(owner: Owner): boolean {
		return owner.run === this.me.run || this.liveness(owner);
	}

	/** This host's live leader of the study, else this process made it (pg-leader.ts), in the connection's turn. */
	elect(socket: string): Promise<LeaderEntry> {
		return this.serial(async () => {
			try {
				return await electLeader(await this.link.connected(), this.id, this.me, socket);
			} catch (error) {
				throw this.wrap(error);
			}
		});
	}

	/** Remove this process's leader entry (pg-leader.ts). */
	resign(): Promise<void> {
		return this.serial(async () => {
			try {
				await resignLeader(await this.link.connected(), this.id, this.me);
			} catch (error) {
				throw this.wrap(error);
			}
		});
	}

	/**
	 * The heartbeat as text, run after a decision's commit in the same round trip: a write committed
	 * with synchronous_commit on, so the answer comes once the WAL is flushed up to it, which covers
	 * the decision's commit (made with synchronous_commit off, so the row lock is not held through
	 * the flush) and every commit the decision read. Concurrent workers' flushes are grouped by the
	 * server, which is what lets throughput grow with workers when a flush costs milliseconds.
	 */
	private beatQuery(): string {
		return beatCall(this.id, this.me.run, this.me.host, this.me.pid, this.leaseSeconds, (s) => pg.escapeLiteral(s));
	}

	/** Announce this process (a row in metatune_owners) or extend its lease: `expires = now() + lease` by the server's clock. */
	private async beat(c: pg.Client): Promise<void> {
		await c.query(
			'INSERT INTO metatune_owners (study, run, host, pid, expires) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) ON CONFLICT (study, run) DO UPDATE SET beat = now(), expires = EXCLUDED.expires',
			[this.id, this.me.run, this.me.host, this.me.pid, this.leaseSeconds],
		);
	}

	/** Announce this process and keep its heartbeat (reconnecting when the connection is lost). */
	async announce(): Promise<void> {
		const once = () =>
			this.serial(async () => {
				const c = await this.link.connected();
				try {
					await this.beat(c);
					this.link.answered();
				} catch (error) {
					if (!this.link.dropIfLost(c, error)) throw error;
				}
			});
		await once();
		this.timer = setInterval(
			() => {
				if (this.beating) return;
				this.beating = true;
				void once()
					.catch(() => undefined) // the next transaction reports what is wrong
					.finally(() => (this.beating = false));
			},
			Math.min(2_000, (this.leaseSeconds * 1000) / 5),
		);
		this.timer.unref();
	}

	async close(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		await this.serial(async () => {
			try {
				// not reconnecting for this: a lost owner row is one whose lease simply runs out
				await this.link.current?.query('DELETE FROM metatune_owners WHERE study = $1 AND run = $2', [this.id, this.me.run]);
			} finally {
				await this.link.end();
			}
		});
	}
}
