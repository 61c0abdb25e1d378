/**
 * Whole-study operations on PostgreSQL outside a run: writing a study copied from elsewhere
 * (`metatune copy`), dropping studies (the runner bench's clean-up), keeping a study `run --fresh`
 * starts over under an archive name, and what the server says about its durability and WAL flushes
 * (the runner bench's report).
 */
import { hostname } from 'node:os';
import type pg from 'pg';
import { errorMessage, InputError, LockError, MetatuneError, StorageError } from '../../core/errors.js';
import type { ArchivedStudy } from './archive.js';
import type { JournalRecord } from './journal.js';
import { type Owner, pidAlive } from './lock.js';
import { connect, ensureSchema } from './pg-connect.js';
import { readOwners, recordsChannel } from './postgres.js';
import { urlLabel } from './url-label.js';

/** Write a whole study (its records in order) into the database as study `name`; refused when it already holds one of that name. */
export async function writePostgresStudy(url: string, name: string, records: readonly JournalRecord[]): Promise<string> {
	const client = await connect(url);
	const where = `${urlLabel(url)} (study ${name})`;
	try {
		await ensureSchema(client);
		await client.query('BEGIN');
		await client.query('INSERT INTO metatune_studies (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
		const row = await client.query<{ id: string }>('SELECT id FROM metatune_studies WHERE name = $1 FOR UPDATE', [name]);
		const id = row.rows[0]?.id as string;
		const held = await client.query<{ n: string }>('SELECT count(*) AS n FROM metatune_records WHERE study = $1', [id]);
		if (Number(held.rows[0]?.n) > 0) throw new InputError(`${where}: already holds that study; copy into another database, or remove it there first`, name);
		await client.query('INSERT INTO metatune_records (study, seq, record) SELECT $1, t.ord - 1, t.r FROM json_array_elements($2::json) WITH ORDINALITY AS t(r, ord)', [id, JSON.stringify(records)]);
		await client.query('SELECT pg_notify($1, $2)', [recordsChannel, id]);
		await client.query('COMMIT');
		return where;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		if (error instanceof MetatuneError) throw error;
		throw new StorageError(`${where}: ${errorMessage(error)}; nothing was copied`, urlLabel(url));
	} finally {
		await client.end().catch(() => undefined);
	}
}

/** Remove every study whose name `which` picks (its records, owners and row) in one transaction; how many were removed. */
export async function dropPostgresStudies(url: string, which: (name: string) => boolean): Promise<number> {
	const client = await connect(url);
	try {
		const rows = await client.query<{ id: string; name: string }>('SELECT id, name FROM metatune_studies');
		const ids = rows.rows.filter((r) => which(r.name)).map((r) => r.id);
		await client.query('BEGIN');
		for (const table of ['metatune_records', 'metatune_owners', 'metatune_leaders'])
			if ((await client.query(`SELECT to_regclass('${table}') IS NOT NULL AS ok`)).rows[0]?.ok === true) await client.query(`DELETE FROM ${table} WHERE study = ANY($1::bigint[])`, [ids]);
		await client.query('DELETE FROM metatune_studies WHERE id = ANY($1::bigint[])', [ids]);
		await client.query('COMMIT');
		return ids.length;
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw new StorageError(`${urlLabel(url)}: ${errorMessage(error)}`, urlLabel(url));
	} finally {
		await client.end().catch(() => undefined);
	}
}

/**
 * The server's WAL flushes so far (pg_stat_wal, PostgreSQL 14 on; server-wide) and the ms spent in
 * them (undefined unless track_wal_io_timing is on), or undefined when the server does not say.
 */
export async function walFlushes(url: string): Promise<{ readonly flushes: number; readonly ms: number | undefined } | undefined> {
	const client = await connect(url);
	try {
		const row = (await client.query<{ n: string; ms: number; timed: string }>(`SELECT wal_sync AS n, wal_sync_time AS ms, current_setting('track_wal_io_timing') AS timed FROM pg_stat_wal`)).rows[0];
		return row === undefined ? undefined : { flushes: Number(row.n), ms: row.timed === 'on' ? Number(row.ms) : undefined };
	} catch {
		return undefined;
	} finally {
		await client.end().catch(() => undefined);
	}
}

/** The server's version and whether its commits are durable (fsync, synchronous_commit), as one line. */
export async function postgresSettings(url: string): Promise<string> {
	const client = await connect(url);
	try {
		const setting = async (name: string) => (await client.query<{ v: string }>('SELECT current_setting($1) AS v', [name])).rows[0]?.v ?? '?';
		return `PostgreSQL ${await setting('server_version')}, fsync ${await setting('fsync')}, synchronous_commit ${await setting('synchronous_commit')}`;
	} catch (error) {
		throw new StorageError(`${urlLabel(url)}: ${errorMessage(error)}`, urlLabel(url));
	} finally {
		await client.end().catch(() => undefined);
	}
}

/**
 * `--fresh`: keep the study's rows under the name `<name>/archive/<ISO time>` (the file journal's
 * `results/<name>/archive/<time>/`), so `<name>` starts over; refused (LockError) while another
 * process holds a lease on it. Undefined when there was nothing to archive.
 */
export async function archiveStudy(client: pg.Client, name: string, me: Owner, label: string): Promise<ArchivedStudy | undefined> {
	await client.query('BEGIN');
	try {
		const row = await client.query<{ id: string; n: string }>('SELECT id, (SELECT count(*) FROM metatune_records r WHERE r.study = s.id) AS n FROM metatune_studies s WHERE name = $1 FOR UPDATE', [
			name,
		]);
		const found = row.rows[0];
		if (found === undefined || Number(found.n) === 0) {
			await client.query('COMMIT');
			return undefined;
		}
		const here = hostname();
		const others = (await readOwners(client, found.id)).filter((o) => o.run !== me.run && o.fresh && (o.host !== here || pidAlive(o.pid)));
		const first = others[0];
		if (first !== undefined) {
			const more = others.length > 1 ? ` and ${others.length - 1} more` : '';
			throw new LockError(
				`${label} (study ${name}): --fresh refused: the study is being run by pid ${first.pid} on host ${first.host} since ${first.started.toISOString()}${more}; stop that run (Ctrl-C) or let it finish, then run with --fresh again`,
				label,
			);
		}
		const stamp = new Date().toISOString().replace(/[:.]/g, '-');
		let archivedName = `${name}/archive/${stamp}`;
		for (let n = 2; (await client.query('SELECT 1 FROM metatune_studies WHERE name = $1', [archivedName])).rows.length > 0; n++) archivedName = `${name}/archive/${stamp}-${n}`;
		await client.query('UPDATE metatune_studies SET name = $2 WHERE id = $1', [found.id, archivedName]);
		await client.query('DELETE FROM metatune_owners WHERE study = $1', [found.id]);
		await client.query('DELETE FROM metatune_leaders WHERE study = $1', [found.id]);
		await client.query('SELECT pg_notify($1, $2)', [recordsChannel, found.id]);
		await client.query('COMMIT');
		return { dir: archivedName, journal: `${label} (study ${archivedName})` };
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	}
}
