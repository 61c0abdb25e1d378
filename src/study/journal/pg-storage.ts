/**
 * A study in PostgreSQL as one process holds it (StudyStorage, storage.ts; tables: postgres.ts).
 *
 * A decision is one transaction under a row lock on the study's row, so claiming the next grid
 * point, trial number or retry is atomic across every worker on every machine:
 *
 *   BEGIN; SELECT ... FROM metatune_studies WHERE id = $1 FOR UPDATE
 *   -> the records after the last one read (catch up) -> the owners' liveness (server clock)
 *   -> decide and stage -> INSERT the staged records at the next seq numbers -> COMMIT
 *
 * Only one row is ever locked, so transactions cannot deadlock. A batch without study, asked,
 * complete or failed records (only `running`) commits with `synchronous_commit = off`, as the file
 * journal skips its fdatasync. The process's one client is used by one thing at a time (a promise
 * chain): the transactions and the heartbeat (every 2 s, `beat = now()`).
 */
import type pg from 'pg';
import { errorMessage, InputError, MetatuneError, StorageError } from '../../core/errors.js';
import { headRecords } from './head.js';
import { encodeRecord, type JournalRecord, type WarningSink } from './journal.js';
import type { Owner } from './lock.js';
import { connect, ensureSchema, readLiveness, readRecords, urlLabel } from './postgres.js';
import type { StudySpec } from '../spec/spec.js';
import type { StudyState } from './state.js';
import type { Staged, StudyStorage } from './storage.js';

const heartbeatMs = 2_000;

class PgStorage implements StudyStorage {
	/** records consumed so far: the next seq to read */
	private read = 0;
	private chain: Promise<unknown> = Promise.resolve();
	private timer: NodeJS.Timeout | undefined;
	private liveness: (owner: Owner) => boolean = () => false;

	constructor(
		private readonly client: pg.Client,
		private readonly label: string,
		readonly where: string,
		private readonly id: string,
		private readonly me: Owner,
	) {}

	/** Nothing is read outside a transaction (a round trip): the next transaction catches up. */
	readNew(): JournalRecord[] {
		return [];
	}

	private serial<T>(fn: () => Promise<T>): Promise<T> {
		const run = this.chain.then(fn);
		this.chain = run.catch(() => undefined);
		return run;
	}

	transact<T>(body: (fresh: readonly JournalRecord[]) => Staged<T>): Promise<T> {
		return this.serial(async () => {
			const c = this.client;
			try {
				await c.query('BEGIN');
				await c.query('SELECT id FROM metatune_studies WHERE id = $1 FOR UPDATE', [this.id]);
				const fresh = await readRecords(c, this.where, this.id, this.read);
				this.liveness = await readLiveness(c, this.id);
				const staged = body(fresh);
				if (staged.records.length > 0) {
					if (!staged.durable) await c.query('SET LOCAL synchronous_commit = off');
					await c.query('INSERT INTO metatune_records (study, seq, record) SELECT $1, $2 + t.ord - 1, t.r FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS t(r, ord)', [
						this.id,
						this.read + fresh.length,
						`[${staged.lines.join(',')}]`,
					]);
				}
				await c.query('COMMIT');
				this.read += fresh.length + staged.records.length;
				return staged.value;
			} catch (error) {
				await c.query('ROLLBACK').catch(() => undefined);
				if (error instanceof MetatuneError) throw error;
				throw new StorageError(`${this.where}: ${errorMessage(error)}; what was recorded before is kept: run the same command to resume`, this.label);
			}
		});
	}

	alive(owner: Owner): boolean {
		return owner.run === this.me.run || this.liveness(owner);
	}

	/** Announce this process (a row in metatune_owners) and keep its heartbeat. */
	async announce(): Promise<void> {
		const beat = () =>
			this.serial(() =>
				this.client.query('INSERT INTO metatune_owners (study, run, host, pid) VALUES ($1, $2, $3, $4) ON CONFLICT (study, run) DO UPDATE SET beat = now()', [
					this.id,
					this.me.run,
					this.me.host,
					this.me.pid,
				]),
			);
		await beat();
		this.timer = setInterval(() => void beat().catch(() => undefined), heartbeatMs);
		this.timer.unref();
	}

	async close(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		await this.serial(async () => {
			try {
				await this.client.query('DELETE FROM metatune_owners WHERE study = $1 AND run = $2', [this.id, this.me.run]);
			} finally {
				await this.client.end();
			}
		});
	}
}

export interface PgOpenOptions {
	readonly fresh: boolean;
	/** how messages name the study (the file, or `<study>`) */
	readonly file: string;
	readonly studyFile?: string;
	readonly warn: WarningSink;
}

/** Open (or create) study `spec.name` in the database at `url` for `me`, caught up into `state`. */
export async function openPostgresStorage(url: string, spec: StudySpec, state: StudyState, me: Owner, options: PgOpenOptions): Promise<StudyStorage> {
	if (options.fresh) throw new InputError(`--fresh: not available with --storage ${urlLabel(url)} yet; give the study a new name to start over`, undefined, 'fresh');
	const client = await connect(url);
	const where = `${urlLabel(url)} (study ${spec.name})`;
	let storage: PgStorage | undefined;
	try {
		await ensureSchema(client);
		await client.query('INSERT INTO metatune_studies (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [spec.name]);
		const row = await client.query<{ id: string }>('SELECT id FROM metatune_studies WHERE name = $1', [spec.name]);
		const id = row.rows[0]?.id;
		if (id === undefined) throw new StorageError(`${where}: the study row vanished while opening; run the same command again`, urlLabel(url));
		storage = new PgStorage(client, urlLabel(url), where, id, me);
		await storage.announce();
		await storage.transact((fresh) => {
			state.apply(fresh);
			const head = headRecords(where, fresh, spec, state, { file: options.file, ...(options.studyFile ? { studyFile: options.studyFile } : {}), warn: options.warn });
			const encoded = head.map(encodeRecord);
			state.apply(encoded.map((e) => e.record));
			return { value: undefined, lines: encoded.map((e) => e.line), records: encoded.map((e) => e.record), durable: true };
		});
		return storage;
	} catch (error) {
		if (storage !== undefined) await storage.close().catch(() => undefined);
		else await client.end().catch(() => undefined);
		if (error instanceof MetatuneError) throw error;
		throw new StorageError(`${where}: ${errorMessage(error)}; nothing was written`, urlLabel(url));
	}
}
