/**
 * Finding and reading a study's journal for reports: `<study>` may be a study name (looked up as
 * `<results>/<name>/journal.jsonl`), a study folder, a journal file, or a study file (its `name`).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, StateError } from '../errors.js';
import { readJournal, type WarningSink } from '../study/journal.js';
import { readStudyDocument, type StudySpec } from '../study/spec.js';
import { StudyState } from '../study/state.js';

export interface StoredStudy {
	readonly spec: StudySpec;
	readonly state: StudyState;
	readonly journalPath: string;
	readonly dir: string;
}

export function resolveJournal(study: string, resultsDir = 'results'): string {
	if (existsSync(study)) {
		const st = statSync(study);
		if (st.isDirectory()) return join(study, 'journal.jsonl');
		if (/\.jsonl$/i.test(study)) return study;
		if (/\.(ya?ml|json)$/i.test(study)) {
			const doc = readStudyDocument(study) as { name?: unknown };
			if (typeof doc?.name !== 'string') throw new InputError(`${study}: name: missing; cannot find its results`, study, 'name');
			return join(resultsDir, doc.name, 'journal.jsonl');
		}
	}
	if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(study)) throw new InputError(`${study}: no such study file or folder`, study);
	return join(resultsDir, study, 'journal.jsonl');
}

/** Read and replay a stored study. Throws InputError when it does not exist. */
export function loadStoredStudy(study: string, resultsDir = 'results', warn?: WarningSink): StoredStudy {
	const journalPath = resolveJournal(study, resultsDir);
	if (!existsSync(journalPath)) throw new InputError(`${study}: no journal at ${journalPath}; run the study first or pass --results`, study);
	const state = new StudyState();
	state.apply(readJournal(journalPath, warn));
	if (state.study === undefined) throw new StateError(`${journalPath}: no study record; not a metatune journal`, journalPath);
	return { spec: state.study.spec, state, journalPath, dir: join(journalPath, '..') };
}
