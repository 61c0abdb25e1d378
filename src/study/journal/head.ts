/**
 * Opening a study's journal (under the study lock): replay what is there into the state, then either
 * write the study record of a new journal or check that the stored one was made by the same spec
 * (its hash). A journal with trials but no study record, of a version this code does not read,
 * with a corrupted record or a lost one (a gap in the trial numbers: journal.ts), or made by a
 * changed spec, is refused. A spec of the same hash whose mutable fields (budget, reevaluate,
 * retries, ...) differ from the journal's latest is recorded in a `settings` record, so that
 * `status`, `compare` and `report` count against the budget the study now runs to.
 */
import { existsSync, statSync } from 'node:fs';
import { InputError, StateError, StudyChangedError } from '../../core/errors.js';
import { canonicalJson, specChanges, specHash } from '../spec/hash.js';
import { Journal, journalVersion, now, type JournalRecord, type WarningSink } from './journal.js';
import type { Profile } from './profile.js';
import type { StudySpec } from '../spec/spec.js';
import type { StudyState } from './state.js';

export interface JournalHeadOptions {
	/** how messages name the study (the file, or `<study>`) */
	readonly file: string;
	/** the study file, stored in a new study record */
	readonly studyFile?: string;
	readonly warn?: WarningSink;
	readonly profile?: Profile;
}

export function openJournal(path: string, spec: StudySpec, state: StudyState, options: JournalHeadOptions): Journal {
	const emptied = existsSync(path) && statSync(path).size === 0;
	const j = new Journal(path, options.warn, false, options.profile);
	try {
		const records = j.readNew(true);
		state.apply(records);
		const line = j.incomplete[0];
		j.append(headRecords(path, records, spec, state, { ...options, emptied, ...(line === undefined ? {} : { incompleteLine: line }) }), true);
	} catch (error) {
		j.close();
		throw error;
	}
	return j;
}

export interface HeadCheck extends JournalHeadOptions {
	/** the journal file was there but empty (warned about) */
	readonly emptied?: boolean;
	/** the first incomplete line, named when the replay is inconsistent */
	readonly incompleteLine?: number;
}

/**
 * Check a study's stored records (already applied to `state`) against `spec`; the records to append
 * (durably): a study record for a new study, a settings record for changed mutable fields, or none.
 * `where` names the storage in messages.
 */
export function headRecords(where: string, records: readonly JournalRecord[], spec: StudySpec, state: StudyState, options: HeadCheck): JournalRecord[] {
	const hash = specHash(spec);
	const head = records.find((r) => r.type === 'study');
	if (head === undefined) {
		if (records.length > 0) throw new InputError(`${where}: journal has trials but no study record; move it away or run with --fresh`, where);
		if (options.emptied)
			(options.warn ?? ((m: string) => process.stderr.write(`metatune: warning: ${m}\n`)))(
				`${where}: the journal is empty (0 bytes): starting the study from its first lifetime; if it held lifetimes, stop now and restore it from a backup`,
			);
		return [{ type: 'study', at: now(), v: journalVersion, name: spec.name, spec, hash, ...(options.studyFile ? { file: options.studyFile } : {}) }];
	}
	if (head.hash !== hash) {
		const changes = specChanges(head.spec, spec);
		throw new StudyChangedError(
			`${options.file}: changed since ${where} was started:\n  ${changes.join('\n  ')}\nRestore it, give the study a new name, or run with --fresh (the old journal is archived).`,
			changes,
		);
	}
	const broken = state.inconsistency();
	if (broken !== undefined) {
		const line = options.incompleteLine;
		const at = line === undefined ? `${where}: corrupted journal` : `${where}: corrupted record at line ${line}`;
		throw new StateError(`${at}: ${broken}; the study will not run past a lost record: restore the journal from a backup, or run with --fresh to archive it and start over`, where);
	}
	// recorded only once the journal is known to be whole: nothing is appended to a damaged one
	return canonicalJson(state.spec) !== canonicalJson(spec) ? [{ type: 'settings', at: now(), spec }] : [];
}
