/**
 * Opening a study in PostgreSQL for this process (session-open.ts): the tables and functions
 * (pg-connect.ts), the archive of a study `run --fresh` starts over (pg-admin.ts), the study's row,
 * the heartbeat, and a first transaction that catches up into the state and writes the head records
 * (head.ts) when the study is new. The storage it returns is pg-storage.ts's.
 */
import { errorMessage, MetatuneError, StorageError } from '../../core/errors.js';
import type { ArchivedStudy } from './archive.js';
import { headRecords } from './head.js';
import { encodeRecord, type WarningSink } from './journal.js';
import type { Owner } from './lock.js';
import { archiveStudy } from './pg-admin.js';
import { connect, defaultLeaseSeconds, ensureSchema } from './pg-connect.js';
import { PgStorage } from './pg-storage.js';
import { urlLabel } from './postgres.js';
import type { StudySpec } from '../spec/spec.js';
import type { StudyState } from './state.js';
import type { StudyStorage } from './storage.js';

export interface PgOpenOptions {
	readonly fresh: boolean;
	/** how messages name the study (the file, or `<study>`) */
	readonly file: string;
	readonly studyFile?: string;
	readonly warn: WarningSink;
	/** seconds this process's trials stay its own without a heartbeat (default 30) */
	readonly leaseSeconds?: number;
}

/** Open (or create) study `spec.name` in the database at `url` for `me`, caught up into `state`. */
export async function openPostgresStorage(url: string, spec: StudySpec, state: StudyState, me: Owner, options: PgOpenOptions): Promise<{ storage: StudyStorage; archived: ArchivedStudy | undefined }> {
	const lease = options.leaseSeconds ?? defaultLeaseSeconds;
	const client = await connect(url, lease);
	const label = urlLabel(url);
	const where = `${label} (study ${spec.name})`;
	let storage: PgStorage | undefined;
	try {
		await ensureSchema(client);
		const archived = options.fresh ? await archiveStudy(client, spec.name, me, label) : undefined;
		await client.query('INSERT INTO metatune_studies (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [spec.name]);
		const row = await client.query<{ id: string }>('SELECT id FROM metatune_studies WHERE name = $1', [spec.name]);
		const id = row.rows[0]?.id;
		if (id === undefined) throw new StorageError(`${where}: the study row vanished while opening; run the same command again`, label);
		storage = new PgStorage(url, client, label, where, id, me, lease, options.warn);
		await storage.announce();
		await storage.transact((fresh, replay) => {
			if (replay) state.reset();
			state.apply(fresh);
			const head = headRecords(where, fresh, spec, state, { file: options.file, ...(options.studyFile ? { studyFile: options.studyFile } : {}), warn: options.warn });
			const encoded = head.map(encodeRecord);
			state.apply(encoded.map((e) => e.record));
			return { value: undefined, lines: encoded.map((e) => e.line), records: encoded.map((e) => e.record), durable: true };
		});
		return { storage, archived };
	} catch (error) {
		if (storage !== undefined) await storage.close().catch(() => undefined);
		else await client.end().catch(() => undefined);
		if (error instanceof MetatuneError) throw error;
		throw new StorageError(`${where}: ${errorMessage(error)}; nothing was written`, label);
	}
}
