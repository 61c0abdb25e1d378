/**
 * Opening a study for this process: validate the spec, create or resume its storage (the journal file
 * under the results folder, or PostgreSQL for a URL) and replay it into a `StudySession`.
 */
import { resolve } from 'node:path';
import { createSearcher } from '../../searchers/index.js';
import type { SearcherConfig } from '../../searchers/config.js';
import type { Searcher } from '../../searchers/searcher.js';
import { InputError } from '../core/errors.js';
import { ensureOutputDirs } from '../core/output-dir.js';
import type { ObjectiveRef } from '../objectives/registry.js';
import type { WarningSink } from './journal/journal.js';
import { newOwner } from './journal/owners.js';
import { openFileStorage } from './journal/file-storage.js';
import { openPostgresStorage } from './journal/pg-open.js';
import { isPostgresUrl } from './journal/postgres.js';
import { urlLabel } from './journal/url-label.js';
import type { Profile } from './journal/profile.js';
import { StudyState } from './journal/state.js';
import { studyDir } from './spec/file.js';
import { parseStudyDocument, type StudySpec } from './spec/spec.js';
import { StudySession } from './session.js';

export interface OpenOptions {
	/** folder holding one folder per study (default `results`) */
	readonly resultsDir?: string;
	/** how errors name `resultsDir` (default `resultsDir`; the CLI: `--results`) */
	readonly resultsLabel?: string;
	/**
	 * archive an existing journal (and report/) and start over (also when the study changed); refused
	 * with LockError while another process runs the study. `Study.archived` says where it went.
	 */
	readonly fresh?: boolean;
	/** the study file (for messages and resolving module objectives) */
	readonly file?: string;
	/** folder module objectives are resolved against (default: the study file's, else cwd) */
	readonly dir?: string;
	readonly warn?: WarningSink;
	/** searcher factory (default `createSearcher`); tests inject trivial ones */
	readonly createSearcher?: (config: SearcherConfig) => Searcher;
	/** time split of the journal work (`metatune bench runner`) */
	readonly profile?: Profile;
	/**
	 * where the study is stored: undefined for the journal file under `resultsDir` (the default), or
	 * a PostgreSQL URL `postgresql://user@host:port/database` (journal/pg-open.ts)
	 */
	readonly storage?: string;
	/**
	 * seconds this process's trials stay its own without a heartbeat (PostgreSQL storage only; default
	 * 30): a worker stalled or cut off that long has them taken over by others, its late results are
	 * refused, and it stops once it cannot reach the server for that long
	 */
	readonly leaseSeconds?: number;
}

/**
 * Create the study's journal, or resume it. `spec` is a StudySpec or a raw study document.
 * Throws StudyChangedError when the journal was made by an incompatibly different spec (unless
 * `fresh`, which archives the old journal under `archive/` and starts a new one: archive.ts).
 * The results folder is created level by level (ensureOutputDirs): a path that cannot be one is
 * an InputError naming `resultsLabel`, before anything is written.
 */
export async function openSession(specOrDocument: StudySpec | unknown, options: OpenOptions = {}): Promise<StudySession> {
	const file = options.file ?? '<study>';
	const spec = isStudySpec(specOrDocument) ? specOrDocument : parseStudyDocument(specOrDocument, file);
	const resultsDir = options.resultsDir ?? 'results';
	const dir = studyDir(resultsDir, spec.name);
	const label = options.resultsLabel ?? 'resultsDir';
	const url = options.storage;
	if (url !== undefined && !isPostgresUrl(url))
		throw new InputError(`storage: ${urlLabel(url)} is not a PostgreSQL URL; use postgresql://user@host:port/database, or leave it out for the journal file`, undefined, 'storage');
	const lease = options.leaseSeconds;
	if (lease !== undefined && (url === undefined || !Number.isFinite(lease) || lease < 1))
		throw new InputError(
			url === undefined
				? `--lease: only with --storage postgresql://... (a journal file's processes count as gone after 30 s without a heartbeat)`
				: `--lease: must be a number of seconds >= 1 (got ${lease})`,
			undefined,
			'lease',
		);
	if (url === undefined)
		ensureOutputDirs([
			[resultsDir, label],
			[dir, label],
		]);
	const me = newOwner();
	const profile = options.profile;
	const warn = options.warn ?? ((m: string) => process.stderr.write(`metatune: warning: ${m}\n`));
	const objectiveRef: ObjectiveRef = { objective: spec.objective, dir: resolve(options.dir ?? (options.file ? resolve(options.file, '..') : process.cwd())), file };
	const state = new StudyState();
	const how = { fresh: options.fresh === true, file, ...(options.file ? { studyFile: options.file } : {}), warn };
	const { storage, archived } =
		url === undefined
			? await openFileStorage(dir, spec, state, me, { ...how, ...(profile ? { profile } : {}) })
			: await openPostgresStorage(url, spec, state, me, { ...how, ...(lease === undefined ? {} : { leaseSeconds: lease }) });
	const study = new StudySession(state, spec, dir, objectiveRef, me, storage, options.createSearcher ?? createSearcher, profile, warn);
	study.archived = archived;
	return study;
}

function isStudySpec(x: unknown): x is StudySpec {
	return x !== null && typeof x === 'object' && Array.isArray((x as { arms?: unknown }).arms) && typeof (x as { objective?: { kind?: unknown } }).objective?.kind === 'string';
}
