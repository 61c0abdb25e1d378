/**
 * Settling a PostgreSQL transaction cut by a lost connection (pg-storage.ts). A transaction cut
 * before its COMMIT is simply run again on a new connection; one cut after it (the COMMIT may or
 * may not have happened, or happened and was not flushed when the server went down) is settled here
 * under the row lock: the records read and sent are there (committed), or the records read are and
 * nothing was written after them (the records sent are written now), or others wrote meanwhile or
 * what was read was lost, and the decision was made on a study that has moved on: the caller runs
 * `body` again with `replay` on every record.
 */
import type { JournalRecord } from './journal.js';
import type { PgLink } from './pg-link.js';
import { recordsChannel } from './postgres.js';

/** Append records at seq $2 on and tell the listeners (`serve`: NOTIFY on `recordsChannel` with the study id, delivered at COMMIT). */
const insertRecords = `WITH added AS (INSERT INTO metatune_records (study, seq, record) SELECT $1::bigint, $2 + t.ord - 1, t.r FROM json_array_elements($3::json) WITH ORDINALITY AS t(r, ord) RETURNING 1) SELECT pg_notify('${recordsChannel}', $1::bigint::text) FROM (SELECT count(*) FROM added) AS n`;

/** What settling needs of the study's storage (PgStorage). */
export interface SettleContext {
	readonly link: PgLink;
	/** the study's row id */
	readonly id: string;
	/** the heartbeat as text, run after the COMMIT so that the answer waits for the flush */
	readonly beatQuery: string;
	/** an error as the storage reports it */
	readonly wrap: (error: unknown) => unknown;
}

/**
 * The connection was lost while the transaction that read `fresh` (seq `from` on) and sent `lines`
 * (seq `start` on) committed. Its commit, and the others' commits it read, may not have been
 * flushed when the server went down, so both are checked under the row lock on a new connection:
 * the records read are still there, and the records sent are there (true) or are written now
 * because nothing was written after the records read (true); else (false) the study moved on or lost
 * what was read, and the batch must be decided again on every record. The check commits with a
 * flushed write (the beat), so what it confirms is durable.
 */
export async function settle(ctx: SettleContext, from: number, fresh: readonly JournalRecord[], start: number, lines: readonly string[]): Promise<boolean> {
	const expected = `[${[...fresh.map((r) => JSON.stringify(r)), ...lines.map((l) => l.trimEnd())].join(',')}]`;
	for (;;) {
		const c = await ctx.link.connected();
		try {
			await c.query('BEGIN');
			await c.query('SELECT id FROM metatune_studies WHERE id = $1 FOR UPDATE', [ctx.id]);
			const after = await c.query<{ n: string; same: string }>(
				`SELECT (SELECT count(*) FROM metatune_records WHERE study = $1 AND seq >= $2) AS n,
				 (SELECT count(*) FROM json_array_elements($3::json) WITH ORDINALITY AS t(r, ord) JOIN metatune_records m ON m.study = $1 AND m.seq = $2 + t.ord - 1 AND m.record::jsonb = t.r::jsonb) AS same`,
				[ctx.id, from, expected],
			);
			const n = Number(after.rows[0]?.n);
			const same = Number(after.rows[0]?.same);
			const all = fresh.length + lines.length;
			const written = same === all || (n === fresh.length && same === fresh.length);
			if (written && n === fresh.length && lines.length > 0) await c.query(insertRecords, [ctx.id, start, `[${lines.join(',')}]`]);
			if (written) await c.query(`COMMIT; ${ctx.beatQuery}`);
			else await c.query('ROLLBACK');
			ctx.link.answered();
			return written;
		} catch (error) {
			if (ctx.link.dropIfLost(c, error)) continue;
			await c.query('ROLLBACK').catch(() => undefined);
			throw ctx.wrap(error);
		}
	}
}
