/**
 * The studies a storage holds, for `metatune list`: every study folder under a results folder (one
 * with a journal.jsonl), or every study in a PostgreSQL database (not those `run --fresh` archived).
 * Reads only, like `status`: no lock is taken and nothing is written. A study this code cannot read
 * (a journal of another version, a corrupted one) is listed with why, so one bad study does not hide
 * the others.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError, MetatuneError } from '../core/errors.js';
import { nearest } from '../core/nearest.js';
import type { WarningSink } from './journal/journal.js';
import { isPostgresUrl, listPostgresStudies } from './journal/postgres.js';
import { urlLabel } from './journal/url-label.js';
import { folderLabel, loadStoredStudy, type StoredStudy, storedFromRecords, studyFolderNames } from './stored.js';

export type CatalogEntry = { readonly kind: 'read'; readonly stored: StoredStudy } | { readonly kind: 'unreadable'; readonly name: string; readonly where: string; readonly problem: string };

export interface CatalogOptions {
	/** folder holding one folder per study (default `results`) */
	readonly resultsDir?: string;
	/** a PostgreSQL URL: list the studies there instead */
	readonly storage?: string | undefined;
	/** where journal warnings (e.g. a torn last line) go; default stderr */
	readonly warn?: WarningSink;
}

/** The studies in `storage`, else under `resultsDir`, by name. */
export async function listStudies(options: CatalogOptions = {}): Promise<CatalogEntry[]> {
	const { resultsDir = 'results', storage, warn } = options;
	if (storage !== undefined) {
		if (!isPostgresUrl(storage))
			throw new InputError(`--storage: ${urlLabel(storage)} is not a PostgreSQL URL; use postgresql://user@host:port/database, or leave it out for the journal files`, undefined, 'storage');
		return (await listPostgresStudies(storage, warn)).map((s) => {
			if (s.kind === 'unreadable') return s;
			try {
				const stored = storedFromRecords(s.records, s.where, join(resultsDir, s.name), { alive: s.alive, warn, corrupted: s.corrupted });
				return { kind: 'read', stored };
			} catch (error) {
				if (error instanceof MetatuneError) return { kind: 'unreadable', name: s.name, where: s.where, problem: error.message };
				throw error;
			}
		});
	}
	if (!existsSync(resultsDir) || !statSync(resultsDir).isDirectory()) throw missingFolder(resultsDir);
	return studyFolderNames(resultsDir).map((name): CatalogEntry => {
		const dir = join(resultsDir, name);
		try {
			return { kind: 'read', stored: loadStoredStudy(dir, warn === undefined ? {} : { warn }) };
		} catch (error) {
			if (error instanceof MetatuneError) return { kind: 'unreadable', name, where: join(dir, 'journal.jsonl'), problem: error.message };
			throw error;
		}
	});
}

/** `--results` names no folder: say so, with the nearest folder beside it when one looks like a typo. */
function missingFolder(resultsDir: string): InputError {
	const parent = dirname(resultsDir);
	let siblings: string[] = [];
	try {
		siblings = readdirSync(parent, { withFileTypes: true })
			.filter((e) => e.isDirectory())
			.map((e) => e.name);
	} catch {
		// no parent folder either: nothing to suggest
	}
	const near = nearest(basename(resultsDir), siblings);
	const fix = near === undefined ? 'run a study first, or pass the folder that holds your study folders' : `did you mean --results ${folderLabel(join(parent, near))}?`;
	return new InputError(`--results: no folder ${folderLabel(resultsDir)}; ${fix}`, resultsDir, 'results');
}
