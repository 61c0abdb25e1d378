/**
 * Deciding ahead of the row lock, for a PostgreSQL worker that is its study's only writer
 * (pg-storage.ts decides under the lock in two round trips; this is the one-round-trip path).
 *
 * While this process is the study's only writer (two decisions under the lock wrote and found
 * nothing new, none between found anything), a decision is made ahead of the lock in one round
 * trip (PgStorage `ahead`): `body` decides on what was read, and one call of metatune_append_alone
 * (a named prepared statement, its own transaction, committed with the flush) locks the row,
 * appends the records only if nothing was written since that read (so the decision is the one the
 * two round trips would have made), beats (unless the lease has 4/5 of its length left) and reads
 * the live owners. The owners' liveness it decides on is the previous transaction's: a lease seen
 * alive that ran out since is taken over one decision later, and a takeover is recorded like any
 * other. If others had written, nothing is appended and the decision is made again under the lock
 * with `replay` on every record (then no decision ahead for the next `aheadBackoff`).
 *
 * Pipelined (`transact` with `ahead`, writer.ts; a run's one lane with `pipeline`, runner.ts): a
 * decision ahead that staged records is answered as soon as they are sent, so the lifetime it
 * starts runs while the server writes and flushes them. The next decision is made at once on that
 * state and sent when the answer comes (one call in flight at a time, in order on the connection).
 * If the answer says others wrote first, nothing of that decision was written: the next
 * `transact` throws RefusedAhead and the writer runs the refused batch again on every record.
 */
import type pg from 'pg';
import type { Owner } from './lock.js';
import { callPrepared } from './pg-append-call.js';
import { appendAlone, type FunctionRow, type LiveOwner, splitRows } from './pg-functions.js';

/**
 * Decide ahead of the lock once this many decisions under the lock wrote records and found nothing
 * new, with none between that found something (this process is the study's only writer for now). A
 * decision ahead that found others' records costs a replay of every record, so after one the
 * process first makes `aheadBackoff` more such decisions, and one more per `replayShare` records
 * replayed: replays then cost at most about that many records per decision however large the study
 * (a worker that is alone most of the time beside an occasional writer).
 */
const calmBeforeAhead = 2;
const aheadBackoff = 64;
const replayShare = 100;

/** When this process decides ahead of the lock, and what is still unanswered of a decision sent ahead. */
export class AheadPolicy {
	/** decisions under the lock that wrote and found nothing new since the last that found something (negative: backing off after a decision ahead that did) */
	private calm = 0;
	/** the answer to records sent ahead and not yet answered (`ahead` with `pipeline`): whether they were written */
	pending: Promise<boolean> | undefined;
	/** records sent ahead were not written: the next transaction runs `body` with `replay` on every record */
	replayNext = false;

	/** Whether the next decision goes ahead of the lock (`early`: it was already made, on records sent ahead). */
	goesAhead(early: boolean): boolean {
		return early || this.calm >= calmBeforeAhead;
	}

	/**
	 * Count a decision under the lock that read `fresh` new records and wrote `written`: one that wrote
	 * and found nothing new counts towards deciding ahead; one that only waited does not (a worker
	 * polling while others run long trials would go ahead, then replay on their next write).
	 */
	decided(fresh: number, written: number): void {
		if (fresh > 0) this.calm = Math.min(0, this.calm);
		else if (written > 0) this.calm++;
	}

	/** A decision ahead found others' records after `read` records: back off from deciding ahead, and decide again on every record. */
	conflicted(read: number): void {
		this.calm = -Math.max(aheadBackoff, Math.ceil(read / replayShare));
		this.replayNext = true;
	}
}

/** Clients on which metatune_append_alone is prepared (by a first ordinary query): later calls go through callPrepared. */
const prepared = new WeakSet<pg.Client>();

/**
 * One call of metatune_append_alone for the records (`lines`) staged on what was read up to seq
 * `start`: whether they were written (no record was found from `start` on), and the live owners.
 * The values go as text, as `pg` writes them (String of a number is its toString).
 */
export async function callAppendAlone(c: pg.Client, id: string, me: Owner, leaseSeconds: number, start: number, lines: readonly string[]): Promise<{ written: boolean; owners: readonly LiveOwner[] }> {
	const values = [id, String(start), `[${lines.join(',')}]`, me.run, me.host, String(Math.trunc(me.pid)), String(leaseSeconds)];
	if (!prepared.has(c)) {
		const { records, owners } = splitRows((await c.query<FunctionRow>(appendAlone, values)).rows);
		prepared.add(c);
		return { written: records.length === 0, owners };
	}
	// the rows as text: a record's seq is not null (records are only returned when not written); an owner's record is json
	let written = true;
	const owners: LiveOwner[] = [];
	for (const row of await callPrepared(c, appendAlone.name, values)) {
		if (row[0] !== null) written = false;
		else owners.push(JSON.parse(row[1] ?? 'null') as LiveOwner);
	}
	return { written, owners };
}
