/**
 * `metatune storage copy <study> --from <results folder|url> --to <results folder|url>`: a study's
 * records, in order, from one storage to another (journal file <-> PostgreSQL), so the copy replays
 * to the same state and tables. The destination must not hold the study yet.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { readJournal, type JournalRecord } from './journal/journal.js';
import { writePostgresStudy } from './journal/pg-admin.js';
import { isPostgresUrl, loadPostgresStudy } from './journal/postgres.js';
import { isUrlLike, urlLabel } from './journal/url-label.js';
import { studyDir } from './spec/file.js';

/** A URL that is not PostgreSQL's (`postgre://...`) is refused, not taken for a folder of that name. */
function refuseOtherUrl(storage: string, flag: 'from' | 'to'): void {
	if (isUrlLike(storage) && !isPostgresUrl(storage))
		throw new InputError(`--${flag}: ${urlLabel(storage)} is not a PostgreSQL URL; use postgresql://user@host:port/database, or a results folder`, undefined, flag);
}

async function readStudy(study: string, from: string): Promise<JournalRecord[]> {
	refuseOtherUrl(from, 'from');
	if (isPostgresUrl(from)) return (await loadPostgresStudy(from, study)).records;
	const path = join(studyDir(from, study), 'journal.jsonl');
	if (!existsSync(path)) throw new InputError(`${study}: no journal at ${path}; check --from`, path, 'from');
	return readJournal(path);
}

/**
 * A record with `type` and `at` as its first keys, as metatune writes them (journal.ts): a database
 * keeps each record's text (postgres.ts), but one of jsonb tables of an earlier metatune sorted the
 * keys, and a torn line is told from a corrupted one by its `{"type":` prefix (lines.ts). The other
 * keys keep their order, so a record already in that order is written unchanged.
 */
function typeFirst(r: JournalRecord): JournalRecord {
	const { type, at, ...rest } = r;
	return { type, at, ...rest } as JournalRecord;
}

/** Copy study `study`; returns where the copy went. */
export async function copyStudy(study: string, from: string, to: string): Promise<string> {
	if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(study)) throw new InputError(`${study}: not a study name`, undefined, 'study');
	refuseOtherUrl(to, 'to');
	const records = await readStudy(study, from);
	if (!records.some((r) => r.type === 'study')) throw new InputError(`${study} in ${urlLabel(from)}: no study record; not a metatune study`, undefined, 'from');
	if (isPostgresUrl(to)) return writePostgresStudy(to, study, records);
	const dir = studyDir(to, study);
	const path = join(dir, 'journal.jsonl');
	if (existsSync(path)) throw new InputError(`${path}: already exists; copy into another --to folder, or move it away first`, path, 'to');
	mkdirSync(dir, { recursive: true });
	writeFileSync(path, records.map((r) => `${JSON.stringify(typeFirst(r))}\n`).join(''), { flag: 'wx' });
	return path;
}
