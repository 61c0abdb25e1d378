/**
 * Finding and reading a study's journal for reports: `<study>` may be a study name (looked up as
 * `<results>/<name>/journal.jsonl`), a study folder, a journal file, or a study file (its `name`).
 *
 *   loadStoredStudy('edge', {resultsDir: 'results2'})   // options, as Study.open takes them
 *   loadStoredStudy('edge', 'results2', warn)          // the older positional form, still accepted
 */
import { type Dirent, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, StateError } from '../core/errors.js';
import { nearest } from '../core/nearest.js';
import { type JournalRecord, readJournalLines, type WarningSink } from './journal/journal.js';
import type { Owner } from './journal/lock.js';
import { isPostgresUrl, loadPostgresStudy } from './journal/postgres.js';
import { urlLabel } from './journal/url-label.js';
import { nearestStudyFile, readStudyDocument, studyDir } from './spec/file.js';
import type { StudySpec } from './spec/spec.js';
import { StudyState } from './journal/state.js';

export interface StoredStudy {
	readonly spec: StudySpec;
	readonly state: StudyState;
	/** the journal file, or the database URL (without password) and study name */
	readonly journalPath: string;
	readonly dir: string;
	/** liveness of the owners of unfinished lifetimes, as read with the records (a database); else their presence files are read */
	readonly alive?: (owner: Owner) => boolean;
	/** the journal holds a corrupted record (warned about and skipped): `run` refuses it until it is repaired */
	readonly corrupted?: true;
}

function resolveJournal(study: string, resultsDir = 'results'): string {
	if (existsSync(study)) {
		const st = statSync(study);
		if (st.isDirectory()) return join(study, 'journal.jsonl');
		if (/\.jsonl$/i.test(study)) return study;
		if (/\.(ya?ml|json)$/i.test(study)) {
			const doc = readStudyDocument(study) as { name?: unknown };
			if (typeof doc?.name !== 'string') throw new InputError(`${study}: name: missing; cannot find its results`, study, 'name');
			return join(namedStudyDir(study, resultsDir, doc.name), 'journal.jsonl');
		}
	}
	if (!isStudyName(study)) {
		const near = /\.(ya?ml|json)$/i.test(study) ? nearestStudyFile(study) : undefined;
		throw new InputError(`${study}: no such study file or folder${near === undefined ? '' : `; did you mean ${near}?`}`, study);
	}
	return join(resultsDir, study, 'journal.jsonl');
}

const isStudyName = (study: string) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(study);

/** The folder as messages name it: `results/`. */
export const folderLabel = (dir: string) => (dir.endsWith('/') ? dir : `${dir}/`);

/** The studies under a results folder: its sub-folders that hold a journal, by name (none when the folder does not exist). */
export function studyFolderNames(resultsDir: string): string[] {
	let entries: Dirent[];
	try {
		entries = readdirSync(resultsDir, { withFileTypes: true });
	} catch {
		return [];
	}
	return entries
		.filter((e) => e.isDirectory() && existsSync(join(resultsDir, e.name, 'journal.jsonl')))
		.map((e) => e.name)
		.sort();
}

/** The study folder of a study file's `name`, with the check `run` applies (spec.ts `studyDir`), naming the file. */
function namedStudyDir(file: string, resultsDir: string, name: string): string {
	try {
		return studyDir(resultsDir, name);
	} catch (error) {
		if (error instanceof InputError) throw new InputError(`${file}: ${error.message}`, file, 'name');
		throw error;
	}
}

export interface LoadOptions {
	/** folder holding one folder per study (default `results`), as for Study.open */
	readonly resultsDir?: string;
	/** where journal warnings (e.g. a torn last line) go; default stderr */
	readonly warn?: WarningSink;
}

/** The options of either call form, checked: plain-JS callers get an InputError, not a TypeError. */
function loadOptions(study: unknown, options: unknown, warn: unknown): { resultsDir: string; warn: WarningSink | undefined } {
	if (typeof study !== 'string') throw new InputError(`loadStoredStudy: study must be a study name, folder, journal or study file path (got ${typeof study})`, undefined, 'study');
	const opts = typeof options === 'string' ? { resultsDir: options, warn } : options === undefined || options === null ? {} : options;
	if (typeof opts !== 'object') throw new InputError(`loadStoredStudy: pass {resultsDir} (or a results folder path) after the study (got ${typeof options})`, undefined, 'resultsDir');
	const { resultsDir = 'results', warn: sink } = opts as { resultsDir?: unknown; warn?: unknown };
	if (typeof resultsDir !== 'string' || resultsDir.trim() === '')
		throw new InputError(`loadStoredStudy: resultsDir must be a folder path (got ${resultsDir === '' ? 'an empty string' : typeof resultsDir})`, undefined, 'resultsDir');
	if (sink !== undefined && typeof sink !== 'function') throw new InputError(`loadStoredStudy: warn must be a function (got ${typeof sink})`, undefined, 'warn');
	return { resultsDir, warn: sink as WarningSink | undefined };
}

/** Read and replay a stored study. Throws InputError when it does not exist. */
export function loadStoredStudy(study: string, options?: LoadOptions): StoredStudy;
/** The older positional form: the results folder, then the warning sink. */
export function loadStoredStudy(study: string, resultsDir: string, warn?: WarningSink): StoredStudy;
export function loadStoredStudy(study: string, options?: LoadOptions | string, warnArg?: WarningSink): StoredStudy {
	const { resultsDir, warn } = loadOptions(study, options, warnArg);
	const journalPath = findJournal(study, resultsDir);
	const read = readJournalLines(journalPath, warn);
	return storedFromRecords(read.records, journalPath, join(journalPath, '..'), { warn, corrupted: read.corrupted.length > 0 });
}

/** The journal file `study` names (see the header), which must exist; InputError naming the nearest study otherwise. */
export function findJournal(study: string, resultsDir: string): string {
	const journalPath = resolveJournal(study, resultsDir);
	if (!existsSync(journalPath)) {
		// a misspelt name: the nearest study under the results folder
		const near = isStudyName(study) && !existsSync(study) ? nearest(study, studyFolderNames(resultsDir)) : undefined;
		if (near !== undefined) throw new InputError(`no study '${study}' under ${folderLabel(resultsDir)}; did you mean '${near}'?`, study);
		throw new InputError(`${study}: no journal at ${journalPath}; run the study first or pass --results`, study);
	}
	return journalPath;
}

export interface ReplayOptions {
	/** liveness of the owners of unfinished lifetimes, as read with the records (a database) */
	readonly alive?: ((owner: Owner) => boolean) | undefined;
	/** where the warning about a corrupted journal goes; default stderr */
	readonly warn?: WarningSink | undefined;
	/** a corrupted record was skipped while reading (and warned about there) */
	readonly corrupted?: boolean;
}

/**
 * A stored study replayed from its records; `where` names the journal (or the database and study) in
 * messages. A replay `run` would refuse (state.ts `inconsistency`) is warned about in the words `run`
 * uses, and shown as far as it goes.
 */
export function storedFromRecords(records: readonly JournalRecord[], where: string, dir: string, options: ReplayOptions = {}): StoredStudy {
	const { alive, warn = (m: string) => process.stderr.write(`metatune: warning: ${m}\n`) } = options;
	const state = new StudyState();
	state.apply(records);
	const spec = state.spec;
	if (spec === undefined) throw new StateError(`${where}: no study record; not a metatune ${alive === undefined ? 'journal' : 'study'}`, where);
	const broken = state.inconsistency();
	if (broken !== undefined) warn(inconsistencyWarning(where, broken));
	const corrupted = broken !== undefined || options.corrupted === true;
	return { spec, state, journalPath: where, dir, ...(alive === undefined ? {} : { alive }), ...(corrupted ? { corrupted: true as const } : {}) };
}

/** The warning a reader gives for a replay `run` would refuse (state.ts `inconsistency`), in the words of every reader (status, report, serve). */
export function inconsistencyWarning(where: string, broken: string): string {
	return `${where}: corrupted journal: ${broken}; skipped, so what is shown may be incomplete (\`metatune run\` refuses this journal: restore it from a backup, or run with --fresh)`;
}

export interface LoadFromOptions extends LoadOptions {
	/** a PostgreSQL URL (`--storage`): read the study there; undefined: the journal file */
	readonly storage?: string | undefined;
}

/** `loadStoredStudy`, or the same read from a PostgreSQL database when `storage` is its URL. */
export async function loadStudy(study: string, options: LoadFromOptions = {}): Promise<StoredStudy> {
	const { storage, ...rest } = options;
	if (storage === undefined) return loadStoredStudy(study, rest);
	if (!isPostgresUrl(storage))
		throw new InputError(`--storage: ${urlLabel(storage)} is not a PostgreSQL URL; use postgresql://user@host:port/database, or leave it out for the journal file`, undefined, 'storage');
	const name = studyName(study, rest.resultsDir ?? 'results');
	const loaded = await loadPostgresStudy(storage, name, rest.warn);
	const stored = storedFromRecords(loaded.records, loaded.where, '', { alive: loaded.alive, warn: rest.warn, corrupted: loaded.corrupted });
	return { ...stored, dir: join(rest.resultsDir ?? 'results', stored.spec.name) };
}

/** The study name `study` stands for in a database: a study file's `name`, else the name itself (also an archived one). */
function studyName(study: string, resultsDir: string): string {
	if (existsSync(study) && statSync(study).isFile() && /\.(ya?ml|json)$/i.test(study)) {
		const doc = readStudyDocument(study) as { name?: unknown };
		if (typeof doc?.name !== 'string') throw new InputError(`${study}: name: missing; cannot find its results`, study, 'name');
		namedStudyDir(study, resultsDir, doc.name);
		return doc.name;
	}
	// `<name>/archive/<time>`: a study `run --fresh` started over (journal/pg-open.ts)
	if (!/^[A-Za-z0-9][A-Za-z0-9._-]*(\/archive\/[A-Za-z0-9._-]+)?$/.test(study)) throw new InputError(`${study}: not a study name or study file`, study);
	return study;
}
