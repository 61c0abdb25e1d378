/**
 * Connecting to PostgreSQL and creating metatune's tables (their layout: postgres.ts). One client
 * per process, never a pool that grows.
 *
 * A URL is `postgresql://user[:password]@host[:port]/database`; messages name it without the password
 * (url-label.ts). Without a password in the URL, it is PGPASSWORD's (taken out of the environment
 * once used, so the programs metatune starts do not inherit it), else the password file's
 * (PGPASSFILE, else ~/.pgpass), as libpq finds them.
 * A bad URL is an InputError; an unreachable host, a refused login or a missing database a
 * StorageError (exit 10), one line each, before anything is written.
 *
 * The `pg` package is imported on the first connection, not with this module: every reader of a
 * study (status, report, serve) imports this module, and most never connect (loading `pg` cost
 * about 90 ms of CPU at the start of every such command).
 */
import { createRequire } from 'node:module';
import type pg from 'pg';
import { errorMessage, InputError, StorageError } from '../../core/errors.js';
import { functionDefinitions, functionsPresent } from './pg-functions.js';
import { leadersTable } from './pg-leader.js';
import { urlLabel } from './url-label.js';

/**
 * The `pgpass` package (libpq's password file, ~/.pgpass or PGPASSFILE) ships no types; required
 * with its signature here, not declared as an ambient module, so that code type-checking these
 * sources from elsewhere (the docs' library example, a user's tsc over src/) needs no extra file.
 */
type PgPass = (connection: { host: string; port: string | number; database: string; user: string }, found: (password: string | undefined) => void) => void;
/** Loaded on the first connection (like `pg`): a reader of a file journal never needs it. */
const require = createRequire(import.meta.url);
const loadPgpass = (): PgPass => require('pgpass') as PgPass;

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
	return new Promise((resolve) => loadPgpass()({ host, port: u.port || process.env.PGPORT || 5432, database, user }, resolve));
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
	const { default: pg } = await import('pg');
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

/** What of the schema is up to date: a lease column, records as json, this version's functions. */
const schemaState = `SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('metatune_owners') AND attname = 'expires') AS leases,
	EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('metatune_records') AND attname = 'record' AND atttypid = 'json'::regtype) AS json,
	${functionsPresent} AS functions,
	to_regclass('metatune_leaders') IS NOT NULL AS leaders,
	current_setting('server_version_num')::int AS version`;

interface SchemaState {
	readonly leases: boolean;
	readonly json: boolean;
	readonly functions: boolean;
	/** the table of each host's leader (pg-leader.ts) exists */
	readonly leaders: boolean;
	/** server_version_num, e.g. 150018 */
	readonly version: number;
}

/** The oldest server the decision's functions run on (their `SET plan_cache_mode`). */
const oldestServer = 120000;

/** An error of creating the schema as one line that says what to do (the callers add the URL). */
function schemaError(error: unknown): unknown {
	if ((error as { code?: string }).code !== '42501') return error;
	return new Error(
		`${errorMessage(error)}: creating metatune's tables and functions needs the right to create in the schema; run metatune once as a role that has it (the schema's owner), or GRANT CREATE ON SCHEMA to this role`,
	);
}

/**
 * Create the tables and the decision's functions (pg-functions.ts; once per database), or bring
 * older ones up to date. Concurrent first runs wait for one another (an advisory lock), and each
 * looks again once it holds it: an ALTER TABLE run when nothing needed it would lock the tables
 * against the runs already deciding (and could deadlock with them).
 */
export async function ensureSchema(client: pg.Client): Promise<void> {
	const upToDate = (s: SchemaState | undefined) => s?.leases === true && s.json && s.functions && s.leaders;
	const first = (await client.query<SchemaState>(schemaState)).rows[0];
	if (first !== undefined && first.version < oldestServer) {
		const major = Math.floor(first.version / 10000);
		throw new Error(`the server is PostgreSQL ${major >= 10 ? major : first.version}: metatune needs PostgreSQL 12 or later`);
	}
	if (upToDate(first)) return;
	await client.query('BEGIN');
	try {
		await client.query(`SELECT pg_advisory_xact_lock(hashtext('metatune schema'))`);
		const state = (await client.query<SchemaState>(schemaState)).rows[0];
		if (!upToDate(state)) {
			await client.query(`CREATE TABLE IF NOT EXISTS metatune_studies (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, created timestamptz NOT NULL DEFAULT now())`);
			await client.query(`CREATE TABLE IF NOT EXISTS metatune_records (study bigint NOT NULL REFERENCES metatune_studies (id), seq bigint NOT NULL, record json NOT NULL, PRIMARY KEY (study, seq))`);
			await client.query(
				`CREATE TABLE IF NOT EXISTS metatune_owners (study bigint NOT NULL REFERENCES metatune_studies (id), run text NOT NULL, host text NOT NULL, pid integer NOT NULL, started timestamptz NOT NULL DEFAULT now(), beat timestamptz NOT NULL DEFAULT now(), expires timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (study, run))`,
			);
			// tables of an earlier metatune: records as jsonb (their key order is lost already), no lease column
			if (state?.json !== true) await client.query(`ALTER TABLE metatune_records ALTER COLUMN record TYPE json USING record::json`);
			if (state?.leases !== true) await client.query(`ALTER TABLE metatune_owners ADD COLUMN IF NOT EXISTS expires timestamptz NOT NULL DEFAULT now()`);
			if (state?.functions !== true) for (const definition of functionDefinitions) await client.query(definition);
			await client.query(leadersTable);
		}
		await client.query('COMMIT');
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw schemaError(error);
	}
}
