/**
 * PostgreSQL storage: the connection, the tables and the read-only load. One client per process
 * (a study's transactions are serialised in it: pg-storage.ts), never a pool that grows.
 *
 *   metatune_studies  (id, name unique, created)                    one row per study: the row the
 *                                                                   decision transactions lock
 *   metatune_records  (study, seq, record json), key (study, seq)   the journal's records (journal.ts),
 *                                                                   one row each, seq 0, 1, 2, ...; `json`
 *                                                                   keeps each record's text as written
 *                                                                   (key order too: `jsonb` sorts keys), so
 *                                                                   a copy back to a file is byte-identical
 *   metatune_owners   (study, run, host, pid, started, beat,        one row per process holding the
 *                      expires)                                     study; `beat` is the server's now() at
 *                                                                   its last heartbeat, `expires` that plus
 *                                                                   the process's lease: its trials are
 *                                                                   taken over once the server's clock
 *                                                                   passes it
 *
 * Every write of records (and the renaming of a study `run --fresh` archives) sends a NOTIFY on the
 * channel `metatune_records` whose payload is the study's id, at commit: `serve` LISTENs to it, so a
 * page follows a study without polling the tables.
 *
 * A study that `run --fresh` starts over is kept under the name `<study>/archive/<time>` (pg-storage.ts),
 * as the file journal moves it to `results/<study>/archive/<time>/`.
 *
 * A URL is `postgresql://user[:password]@host[:port]/database`; messages name it without the password
 * (url-label.ts). Without a password in the URL, it is PGPASSWORD's (taken out of the environment
 * once used, so the programs metatune starts do not inherit it), else the password file's
 * (PGPASSFILE, else ~/.pgpass), as libpq finds them.
 * A bad URL is an InputError; an unreachable host, a refused login or a missing database a
 * StorageError (exit 10), one line each, before anything is written.
 */
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import pg from 'pg';
import { errorMessage, InputError, MetatuneError, StateError, StorageError } from '../../core/errors.js';
import { nearest } from '../../core/nearest.js';
import { recordProblem, setPlace } from './check.js';
import { checkJournalVersion, type JournalRecord, journalVersion, type WarningSink } from './journal.js';
import { type Owner, pidAlive } from './lock.js';
import { urlLabel } from './url-label.js';

/**
 * The `pgpass` package (libpq's password file, ~/.pgpass or PGPASSFILE) ships no types; required
 * with its signature here, not declared as an ambient module, so that code type-checking these
 * sources from elsewhere (the docs' library example, a user's tsc over src/) needs no extra file.
 */
const require = createRequire(import.meta.url);
const pgpass = require('pgpass') as (connection: { host: string; port: string | number; database: string; user: string }, found: (password: string | undefined) => void) => void;

/** The NOTIFY channel of record writes (payload: the study id). */
export const recordsChannel = 'metatune_records';

/** Whether a `--storage` value names a PostgreSQL database (else it is a file path). */
export function isPostgresUrl(storage: string): boolean {
	return /^postgres(ql)?:\/\//i.test(storage);
}

export { urlLabel } from './url-label.js';

/** PGPASSWORD, taken out of the environment the first time a connection uses it (so no program metatune starts inherits it). */
let environmentPassword: string | undefined;
function takeEnvironmentPassword(): string | undefined {
	const value = process.env.PGPASSWORD;
	if (value !== undefined && value !== '') {
		environmentPassword = value;
		delete process.env.PGPASSWORD;
	}
	return environmentPassword;
}

/** The password libpq would find in the password file (PGPASSFILE, else ~/.pgpass) for this connection, if any. */
function passwordFileEntry(u: URL): Promise<string | undefined> {
	const user = decodeURIComponent(u.username) || process.env.PGUSER || process.env.USER || '';
	const database = decodeURIComponent(u.pathname.slice(1)) || user;
	const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
	return new Promise((resolve) => pgpass({ host, port: u.port || process.env.PGPORT || 5432, database, user }, resolve));
}

/**
 * The URL to connect with, with the password libpq would use: the URL's own (in the user part or as
 * `?password=`), else PGPASSWORD, else the password file's entry for this host, port, database and
 * user (node-postgres's own look-up of that file is deprecated and warns). The result holds the
 * password: never show it.
 */
async function withPassword(u: URL): Promise<string> {
	if (u.password !== '' || u.searchParams.has('password')) return u.href;
	const password = takeEnvironmentPassword() ?? (await passwordFileEntry(u));
	if (password === undefined) return u.href;
	const withIt = new URL(u.href);
	withIt.password = encodeURIComponent(password);
	return withIt.href;
}

/** How long a process's trials stay its own without a heartbeat, unless it asks for another lease (`run --lease`). */
export const defaultLeaseSeconds = 30;

/**
 * Connect, or throw one line saying why not (and how to fix it). `leaseSeconds`: a session left idle
 * inside a transaction that long (its process stopped while holding the study's row lock) is ended
 * by the server, so the other workers go on; a query unanswered for that long plus 10 s counts as a
 * lost connection (a network that drops packets without a reset).
 */
export async function connect(url: string, leaseSeconds = defaultLeaseSeconds): Promise<pg.Client> {
	const label = urlLabel(url);
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		throw new InputError(
			`--storage: ${label} is not a URL; use postgresql://user@host:port/database (a password with / ? # @ : or % in it is percent-encoded, / as %2F; or leave it out and give it in PGPASSWORD or ~/.pgpass)`,
			undefined,
			'storage',
		);
	}
	if (u.hostname === '' || u.pathname.length <= 1) throw new InputError(`--storage: ${label} names no host or database; use postgresql://user@host:port/database`, undefined, 'storage');
	const leaseMs = Math.round(leaseSeconds * 1000);
	const client = new pg.Client({
		connectionString: await withPassword(u),
		connectionTimeoutMillis: Math.min(10_000, leaseMs),
		keepAlive: true,
		application_name: 'metatune',
		idle_in_transaction_session_timeout: leaseMs,
		query_timeout: leaseMs + 10_000,
	});
	// a connection lost between queries is reported by the next query; this keeps it from crashing the process
	client.on('error', () => undefined);
	try {
		await client.connect();
	} catch (error) {
		await client.end().catch(() => undefined);
		throw connectError(label, error);
	}
	return client;
}

function connectError(label: string, error: unknown): StorageError {
	const code = (error as { code?: string }).code;
	const why =
		code === 'ECONNREFUSED'
			? 'connection refused (is the server running and listening on that host and port?)'
			: code === 'ENOTFOUND' || code === 'EAI_AGAIN'
				? 'unknown host'
				: code === '28P01' || code === '28000'
					? `login refused: ${errorMessage(error)}; check the user and password`
					: /password must be a string|empty password/i.test(errorMessage(error))
						? 'login refused: the server asks for a password and none was given; give it in PGPASSWORD, ~/.pgpass or METATUNE_STORAGE'
						: code === '3D000'
							? `${errorMessage(error)}; create it (createdb) or name another`
							: errorMessage(error);
	return new StorageError(`${label}: cannot connect: ${why}; nothing was written`, label);
}

/** Create the tables (once per database; concurrent first runs wait for one another), or bring older ones up to date. */
export async function ensureSchema(client: pg.Client): Promise<void> {
	const current = await client.query(
		`SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('metatune_owners') AND attname = 'expires') AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('metatune_records') AND attname = 'record' AND atttypid = 'json'::regtype) AS ok`,
	);
	if (current.rows[0]?.ok === true) return;
	await client.query('BEGIN');
	try {
		await client.query(`SELECT pg_advisory_xact_lock(hashtext('metatune schema'))`);
		await client.query(`CREATE TABLE IF NOT EXISTS metatune_studies (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, created timestamptz NOT NULL DEFAULT now())`);
		await client.query(`CREATE TABLE IF NOT EXISTS metatune_records (study bigint NOT NULL REFERENCES metatune_studies (id), seq bigint NOT NULL, record json NOT NULL, PRIMARY KEY (study, seq))`);
		await client.query(
			`CREATE TABLE IF NOT EXISTS metatune_owners (study bigint NOT NULL REFERENCES metatune_studies (id), run text NOT NULL, host text NOT NULL, pid integer NOT NULL, started timestamptz NOT NULL DEFAULT now(), beat timestamptz NOT NULL DEFAULT now(), expires timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (study, run))`,
		);
		// tables of an earlier metatune: records as jsonb (their key order is lost already), no lease column
		await client.query(`ALTER TABLE metatune_records ALTER COLUMN record TYPE json USING record::json`);
		await client.query(`ALTER TABLE metatune_owners ADD COLUMN IF NOT EXISTS expires timestamptz NOT NULL DEFAULT now()`);
		await client.query('COMMIT');
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	}
}

const defaultWarn: WarningSink = (m) => process.stderr.write(`metatune: warning: ${m}\n`);

/** A reader's way with a corrupted record: warn and skip it, noting its seq (a writer, passing none, refuses it). */
export interface SkipCorrupted {
	readonly warn: WarningSink;
	readonly corrupted: number[];
}

/**
 * Records of study `id` from `seq` on, in order; a study record of another format version is
 * refused. A row that is not a record its type's schema accepts (check.ts) is a corrupted record,
 * as in the journal file: refused naming its seq, or warned about and skipped by a reader (`skip`).
 */
export async function readRecords(client: pg.Client, where: string, id: string, from: number, skip?: SkipCorrupted): Promise<JournalRecord[]> {
	const rows = await client.query<RecordRow>(recordsQuery, [id, from]);
	return recordsOf(rows.rows, where, skip);
}

const recordsQuery = 'SELECT seq, record FROM metatune_records WHERE study = $1 AND seq >= $2 ORDER BY seq';

/** A row of metatune_records as read: seq (bigint, as text) and the record (json, parsed). */
export interface RecordRow {
	readonly seq: string;
	readonly record: unknown;
}

/** The rows of `recordsQuery` as checked records (see readRecords). */
export function recordsOf(rows: readonly RecordRow[], where: string, skip?: SkipCorrupted): JournalRecord[] {
	const out: JournalRecord[] = [];
	for (const row of rows) {
		const problem = recordProblem(row.record, journalVersion);
		if (problem !== undefined) {
			const message = `${where}: corrupted record at seq ${row.seq} (${problem})`;
			if (skip === undefined) throw new StateError(`${message}; the study will not run past a lost record: restore it from a backup, or run with --fresh to archive this study and start over`, where);
			skip.corrupted.push(Number(row.seq));
			skip.warn(`${message}; skipped, so what is shown may be incomplete`);
			continue;
		}
		const r = row.record as JournalRecord;
		if (r.type === 'study') checkJournalVersion(where, r.v);
		setPlace(r, `seq ${row.seq}`);
		out.push(r);
	}
	return out;
}

export interface OwnerRow {
	readonly run: string;
	readonly host: string;
	readonly pid: number;
	readonly started: Date;
	readonly fresh: boolean;
}

const ownersQuery = 'SELECT run, host, pid, started, expires > now() AS fresh FROM metatune_owners WHERE study = $1';

/** The owners of study `id` now, each with whether its lease holds: `expires` not passed by the server's clock. */
export async function readOwners(client: pg.Client, id: string): Promise<OwnerRow[]> {
	return (await client.query<OwnerRow>(ownersQuery, [id])).rows;
}

/** Liveness of every owner of study `id` now: its lease holds, and on this host its pid exists. */
export async function readLiveness(client: pg.Client, id: string): Promise<(owner: Owner) => boolean> {
	return livenessOf(await readOwners(client, id));
}

/** Liveness from the owners' rows (readOwners): a lease that holds and, on this host, a pid that exists. */
export function livenessOf(rows: readonly OwnerRow[]): (owner: Owner) => boolean {
	const here = hostname();
	const alive = new Set(rows.filter((r) => r.fresh && (r.host !== here || pidAlive(r.pid))).map((r) => r.run));
	return (owner) => alive.has(owner.run);
}

/**
 * The statements of a decision's opening round trip, to run inside a transaction as one
 * simple-protocol query (several statements, each with a snapshot of its own, so the reads see every
 * commit made before the lock was granted): lock study `id`'s row, read its records from seq `from`
 * on and its owners. `id` and `from` are integers (checked), so they are written into the text; the
 * last two results are `recordsOf` and `livenessOf` rows.
 */
export function lockAndReadQuery(id: string, from: number): string {
	if (!/^[0-9]+$/.test(id) || !Number.isSafeInteger(from) || from < 0) throw new Error(`study id ${id} and seq ${from} must be non-negative integers`);
	return [`SELECT id FROM metatune_studies WHERE id = ${id} FOR UPDATE`, recordsQuery.replace('$1', id).replace('$2', String(from)), ownersQuery.replace('$1', id)].join('; ');
}

/** The id of study `name`, or undefined when the database holds no such study (or no metatune tables). */
async function studyId(client: pg.Client, name: string): Promise<string | undefined> {
	const exists = await client.query(`SELECT to_regclass('metatune_studies') IS NOT NULL AS ok`);
	if (exists.rows[0]?.ok !== true) return undefined;
	const row = await client.query<{ id: string }>('SELECT id FROM metatune_studies WHERE name = $1', [name]);
	return row.rows[0]?.id;
}

/** A stored study's records and its owners' liveness, read without the lock (status, compare, export, report). */
export async function loadPostgresStudy(
	url: string,
	name: string,
	warn: WarningSink = defaultWarn,
): Promise<{ where: string; records: JournalRecord[]; alive: (owner: Owner) => boolean; corrupted: boolean }> {
	const client = await connect(url);
	const where = `${urlLabel(url)} (study ${name})`;
	try {
		const id = await studyId(client, name);
		if (id === undefined) {
			const near = nearest(
				name,
				(await studyRows(client)).map((r) => r.name),
			);
			if (near !== undefined) throw new InputError(`no study '${name}' in ${urlLabel(url)}; did you mean '${near}'?`, name);
			throw new InputError(`${name}: no study of that name in ${urlLabel(url)}; run it with --storage first`, name);
		}
		const skip: SkipCorrupted = { warn, corrupted: [] };
		const records = await readRecords(client, where, id, 0, skip);
		return { where, records, alive: await readLiveness(client, id), corrupted: skip.corrupted.length > 0 };
	} catch (error) {
		if (error instanceof MetatuneError) throw error;
		throw new StorageError(`${where}: ${errorMessage(error)}`, urlLabel(url));
	} finally {
		await client.end().catch(() => undefined);
	}
}

/** The studies in the database (not those `run --fresh` archived), by name; none when it has no metatune tables. */
async function studyRows(client: pg.Client): Promise<{ id: string; name: string }[]> {
	const exists = await client.query(`SELECT to_regclass('metatune_studies') IS NOT NULL AS ok`);
	if (exists.rows[0]?.ok !== true) return [];
	return (await client.query<{ id: string; name: string }>(`SELECT id, name FROM metatune_studies WHERE name NOT LIKE '%/archive/%' ORDER BY name`)).rows;
}

/** A study `listPostgresStudies` read: its records and its owners' liveness, or why they could not be read. */
export type ListedPostgresStudy =
	| { readonly kind: 'read'; readonly name: string; readonly where: string; readonly records: JournalRecord[]; readonly alive: (owner: Owner) => boolean; readonly corrupted: boolean }
	| { readonly kind: 'unreadable'; readonly name: string; readonly where: string; readonly problem: string };

/** Every study in the database, read without a lock in one connection (`metatune list`); a study this code cannot read is named with why, not fatal. */
export async function listPostgresStudies(url: string, warn: WarningSink = defaultWarn): Promise<ListedPostgresStudy[]> {
	const client = await connect(url);
	try {
		const out: ListedPostgresStudy[] = [];
		for (const { id, name } of await studyRows(client)) {
			const where = `${urlLabel(url)} (study ${name})`;
			try {
				const skip: SkipCorrupted = { warn, corrupted: [] };
				const records = await readRecords(client, where, id, 0, skip);
				out.push({ kind: 'read', name, where, records, alive: await readLiveness(client, id), corrupted: skip.corrupted.length > 0 });
			} catch (error) {
				if (!(error instanceof MetatuneError)) throw error;
				out.push({ kind: 'unreadable', name, where, problem: error.message });
			}
		}
		return out;
	} catch (error) {
		if (error instanceof MetatuneError) throw error;
		throw new StorageError(`${urlLabel(url)}: ${errorMessage(error)}`, urlLabel(url));
	} finally {
		await client.end().catch(() => undefined);
	}
}

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
		for (const table of ['metatune_records', 'metatune_owners']) await client.query(`DELETE FROM ${table} WHERE study = ANY($1::bigint[])`, [ids]);
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
