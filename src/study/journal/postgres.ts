/**
 * PostgreSQL storage: the tables and the read-only load. One client per process
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
 * A study that `run --fresh` starts over is kept under the name `<study>/archive/<time>` (pg-open.ts, pg-admin.ts),
 * as the file journal moves it to `results/<study>/archive/<time>/`.
 *
 * Connecting and the tables' creation are in pg-connect.ts; copying, dropping and the server's
 * settings (copy, bench) in pg-admin.ts.
 */
import { hostname } from 'node:os';
import type pg from 'pg';
import { errorMessage, InputError, MetatuneError, StateError, StorageError } from '../../core/errors.js';
import { nearest } from '../../core/nearest.js';
import { connect } from './pg-connect.js';
import { recordProblem, setPlaces } from './check.js';
import { checkJournalVersion, type JournalRecord, journalVersion, type WarningSink } from './journal.js';
import { type Owner, pidAlive } from './lock.js';
import { urlLabel } from './url-label.js';

/** The NOTIFY channel of record writes (payload: the study id). */
export const recordsChannel = 'metatune_records';

/** Whether a `--storage` value names a PostgreSQL database (else it is a file path). */
export function isPostgresUrl(storage: string): boolean {
	return /^postgres(ql)?:\/\//i.test(storage);
}

export { urlLabel } from './url-label.js';

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
	const places: string[] = [];
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
		out.push(r);
		places.push(`seq ${row.seq}`);
	}
	setPlaces(out, places);
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

/** Liveness of every owner of study `id` now: its lease holds, and on this host its pid exists (both judged at the read). */
export async function readLiveness(client: pg.Client, id: string): Promise<(owner: Owner) => boolean> {
	const alive = liveRuns(await readOwners(client, id));
	return (owner) => alive.has(owner.run);
}

/** An owner as liveness reads it: `fresh` whether its lease holds (absent: a live owner a function returned). */
type LivenessRow = Pick<OwnerRow, 'run' | 'host' | 'pid'> & { readonly fresh?: boolean };

/** The runs of the owners whose lease holds and, on this host, whose pid exists (this process's own is not asked about). */
function liveRuns(rows: readonly LivenessRow[]): ReadonlySet<string> {
	const here = hostname();
	return new Set(rows.filter((r) => (r.fresh === undefined || r.fresh) && (r.host !== here || r.pid === process.pid || pidAlive(r.pid))).map((r) => r.run));
}

/**
 * Liveness from the owners' rows (readOwners, or the live owners a function returned) for a decision:
 * the pids are probed at the decision's first question, not when the rows arrive, so a lone worker,
 * which asks none, makes no system call per decision.
 */
export function livenessOf(rows: readonly LivenessRow[]): (owner: Owner) => boolean {
	let alive: ReadonlySet<string> | undefined;
	return (owner) => {
		alive ??= liveRuns(rows);
		return alive.has(owner.run);
	};
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
