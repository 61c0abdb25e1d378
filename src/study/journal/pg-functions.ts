/**
 * Server-side functions of a decision (pg-storage.ts), created with the tables (pg-connect.ts
 * `ensureSchema`). A function's statements are planned once per connection and their plans cached
 * (the same statements sent as text would be parsed and planned again at every decision), and one
 * call stands for several statements (each its own parse, plan and result in the simple protocol).
 *
 *   metatune_lock_read(study, from)       under BEGIN: commits without waiting for the WAL flush
 *                                         (synchronous_commit off, for this transaction), locks the
 *                                         study's row, returns its records from seq `from` on, then
 *                                         its owners whose lease holds
 *   metatune_beat(study, run, host, pid, lease)
 *                                         the heartbeat: upsert this process's owner row,
 *                                         `expires = now() + lease`
 *   metatune_append_alone(study, start, records, run, host, pid, lease)
 *                                         one transaction on its own (a decision made ahead of the
 *                                         lock): lock the row; if no record is at `start` or after,
 *                                         append `records` (a JSON array) from `start` on, tell the
 *                                         listeners and beat unless the lease has 4/5 of its length
 *                                         left (the heartbeat every lease/5 keeps it so: the upsert
 *                                         of every decision was ~12% of the call's round trip);
 *                                         else write nothing and return the records found from
 *                                         `start` on; then the live owners
 *
 * The reading functions plan their statements once (`plan_cache_mode = force_generic_plan`): left
 * to choose, the server planned the read of the records after seq `from` again at every call (a plan
 * for the value at hand looks cheaper than the generic one). A plan made once must hold as the
 * tables grow, and one made on a new, empty table would scan it whole: `enable_seqscan = off`
 * keeps every statement on its primary key, the only access any of them needs.
 * Their `synchronous_commit` (set_config, local to the transaction) outlives the call: a function's
 * SET clause restores only the settings it names.
 *
 * Both reading functions return rows (seq, record): the records in seq order, then one row per
 * owner whose lease holds, with seq NULL and record {run, host, pid}. A function's statements each
 * take a snapshot of their own (they are VOLATILE, the server runs READ COMMITTED), so the reads after
 * the lock see every commit made before it was granted.
 */
/** The NOTIFY channel of record writes (postgres.ts `recordsChannel`; repeated here as the functions' text holds it). */
const channel = 'metatune_records';

const ownersRows = `SELECT NULL::bigint, json_build_object('run', o.run, 'host', o.host, 'pid', o.pid) FROM metatune_owners o WHERE o.study = p_study AND o.expires > now()`;

const beatStatement = `INSERT INTO metatune_owners (study, run, host, pid, expires) VALUES (p_study, p_run, p_host, p_pid, now() + make_interval(secs => p_lease))
		ON CONFLICT (study, run) DO UPDATE SET beat = now(), expires = EXCLUDED.expires`;

/**
 * The version of this set of definitions, stored in the comment of the last function created, which
 * `functionsPresent` reads. This version or a later one counts as present, so a process of this
 * version never creates its functions again over a later metatune's; a later version whose functions
 * differ in their arguments or results must give them new names (CREATE OR REPLACE cannot change a
 * function's result, and processes of this version may still be calling these).
 */
const functionVersion = 2;
const versionPrefix = 'metatune decision functions';
const alone = 'metatune_append_alone(bigint,bigint,json,text,text,integer,double precision)';

/** The functions' definitions, run in the schema's transaction (under its advisory lock), the version's comment last. */
export const functionDefinitions: readonly string[] = [
	`CREATE OR REPLACE FUNCTION metatune_lock_read(p_study bigint, p_from bigint) RETURNS TABLE (seq bigint, record json) LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $fn$
	BEGIN
		PERFORM set_config('synchronous_commit', 'off', true);
		PERFORM 1 FROM metatune_studies s WHERE s.id = p_study FOR UPDATE;
		RETURN QUERY SELECT r.seq, r.record FROM metatune_records r WHERE r.study = p_study AND r.seq >= p_from ORDER BY r.seq;
		RETURN QUERY ${ownersRows};
	END $fn$`,
	`CREATE OR REPLACE FUNCTION metatune_beat(p_study bigint, p_run text, p_host text, p_pid integer, p_lease double precision) RETURNS void LANGUAGE plpgsql VOLATILE AS $fn$
	BEGIN
		${beatStatement};
	END $fn$`,
	`CREATE OR REPLACE FUNCTION metatune_append_alone(p_study bigint, p_start bigint, p_records json, p_run text, p_host text, p_pid integer, p_lease double precision)
	RETURNS TABLE (seq bigint, record json) LANGUAGE plpgsql VOLATILE SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $fn$
	BEGIN
		PERFORM 1 FROM metatune_studies s WHERE s.id = p_study FOR UPDATE;
		IF EXISTS (SELECT 1 FROM metatune_records r WHERE r.study = p_study AND r.seq >= p_start) THEN
			RETURN QUERY SELECT r.seq, r.record FROM metatune_records r WHERE r.study = p_study AND r.seq >= p_start ORDER BY r.seq;
		ELSIF json_array_length(p_records) > 0 THEN
			INSERT INTO metatune_records (study, seq, record) SELECT p_study, p_start + t.ord - 1, t.r FROM json_array_elements(p_records) WITH ORDINALITY AS t(r, ord);
			PERFORM pg_notify('${channel}', p_study::text);
			IF NOT EXISTS (SELECT 1 FROM metatune_owners o WHERE o.study = p_study AND o.run = p_run AND o.expires > now() + make_interval(secs => p_lease * 0.8)) THEN
				${beatStatement};
			END IF;
		END IF;
		RETURN QUERY ${ownersRows};
	END $fn$`,
	`COMMENT ON FUNCTION ${alone} IS '${versionPrefix} ${functionVersion}'`,
];

/** True when the functions of this version or a later one exist (`functionVersion`; older ones are created again by `ensureSchema`). */
export const functionsPresent = `coalesce(substring(obj_description(to_regprocedure('${alone}'), 'pg_proc') from '^${versionPrefix} ([0-9]+)$')::int >= ${functionVersion}, false)`;

/** A live owner as the functions return it. */
export interface LiveOwner {
	readonly run: string;
	readonly host: string;
	readonly pid: number;
}

/** A row a reading function returns: a record (seq as text), or a live owner (seq null). */
export interface FunctionRow {
	readonly seq: string | null;
	readonly record: unknown;
}

/** A record's row (postgres.ts `RecordRow`). */
interface RecordRow {
	readonly seq: string;
	readonly record: unknown;
}

/** The rows of a reading function split into the records (in seq order) and the live owners. */
export function splitRows(rows: readonly FunctionRow[] | undefined): { records: RecordRow[]; owners: LiveOwner[] } {
	const records: RecordRow[] = [];
	const owners: LiveOwner[] = [];
	for (const row of rows ?? []) {
		if (row.seq === null) owners.push(row.record as LiveOwner);
		else records.push({ seq: row.seq, record: row.record });
	}
	return { records, owners };
}

function checkIntegers(id: string, seq: number): void {
	if (!/^[0-9]+$/.test(id) || !Number.isSafeInteger(seq) || seq < 0) throw new Error(`study id ${id} and seq ${seq} must be non-negative integers`);
}

/** A decision's opening round trip (simple protocol): begin, then lock and read from seq `from` on; the second result holds the rows. `id` and `from` are integers (checked), written into the text. */
export function lockReadQuery(id: string, from: number): string {
	checkIntegers(id, from);
	return `BEGIN; SELECT * FROM metatune_lock_read(${id}, ${from})`;
}

/** The heartbeat as text (`pg.escapeLiteral` for the strings), to follow a COMMIT in the same simple-protocol query. */
export function beatCall(id: string, run: string, host: string, pid: number, leaseSeconds: number, literal: (s: string) => string): string {
	checkIntegers(id, 0);
	return `SELECT metatune_beat(${id}, ${literal(run)}, ${literal(host)}, ${Math.trunc(pid)}, ${Number(leaseSeconds)})`;
}

/** A decision made ahead of the lock: one named prepared statement (parsed and planned once per connection), its own transaction. */
export const appendAlone = { name: 'metatune_append_alone', text: 'SELECT * FROM metatune_append_alone($1, $2, $3, $4, $5, $6, $7)' } as const;
