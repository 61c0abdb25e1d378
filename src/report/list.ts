/**
 * `metatune list`: the studies of a results folder or a database, one line each (text) or one
 * object each (JSON, the same fields): name, state, lifetimes ended / total overall and per arm,
 * last activity, description. A study that could not be read is listed as `unreadable` with why.
 * The text shows the per-arm counts only of studies with several arms that are not complete (a
 * complete study's arms are all done), so the common listing stays one short line per study.
 *
 *   state          complete, running, interrupted, not started (status-data.ts), or unreadable
 *   last_activity  the time of its latest record (ISO 8601, UTC; the text shows it to the minute)
 */
import { MetatuneError } from '../core/errors.js';
import { plainStyle, type TextStyle, type Tone, textTable } from '../core/format.js';
import { armCounts, type CatalogEntry, lastActivity } from '../study/view.js';
import type { ListFormat } from './formats.js';
import { type StudyStateName, studyStateName } from './status-data.js';

export interface StudyListRow {
	readonly study: string;
	readonly state: StudyStateName | 'unreadable';
	/** every arm's lifetimes together; null when unreadable */
	readonly lifetimes: { readonly ended: number; readonly total: number } | null;
	readonly arms: readonly { readonly name: string; readonly ended: number; readonly total: number }[];
	readonly last_activity: string | null;
	readonly description: string | null;
	/** the journal file, or the database URL (without password) and study name */
	readonly where: string;
	/** why the study could not be read (state unreadable), else null */
	readonly problem: string | null;
}

export function studyListRows(entries: readonly CatalogEntry[]): StudyListRow[] {
	return entries.map((entry) => {
		try {
			return listRow(entry);
		} catch (error) {
			// a journal that reads but cannot be replayed into a state (a lost record) is listed with why, not fatal
			if (!(error instanceof MetatuneError) || entry.kind !== 'read') throw error;
			return listRow({ kind: 'unreadable', name: entry.stored.spec.name, where: entry.stored.journalPath, problem: error.message });
		}
	});
}

function listRow(entry: CatalogEntry): StudyListRow {
	switch (entry.kind) {
		case 'unreadable':
			return { study: entry.name, state: 'unreadable', lifetimes: null, arms: [], last_activity: null, description: null, where: entry.where, problem: entry.problem };
		case 'read': {
			const { stored } = entry;
			const arms = armCounts(stored).map((c) => ({ name: c.arm, ended: c.ended, total: c.total }));
			return {
				study: stored.spec.name,
				state: studyStateName(stored),
				lifetimes: { ended: arms.reduce((s, a) => s + a.ended, 0), total: arms.reduce((s, a) => s + a.total, 0) },
				arms,
				last_activity: lastActivity(stored) ?? null,
				description: stored.spec.description ?? null,
				where: stored.journalPath,
				problem: null,
			};
		}
	}
}

const stateTone: Record<StudyListRow['state'], Tone> = { complete: 'good', running: 'busy', interrupted: 'bad', 'not started': 'quiet', unreadable: 'bad' };

/** `where`: how the listing names the storage when it holds no study (`results/`, or the database URL). */
export function formatStudyList(rows: readonly StudyListRow[], format: ListFormat, where: string, style: TextStyle = plainStyle): string {
	switch (format) {
		case 'json':
			return JSON.stringify(rows, null, 2);
		case 'text': {
			if (rows.length === 0) return `no studies in ${where}`;
			// per arm only where it tells more than the total: several arms, not all done
			const armsOf = (r: StudyListRow) => (r.arms.length > 1 && r.state !== 'complete' ? r.arms.map((a) => `${a.name} ${a.ended}/${a.total}`).join(', ') : '');
			const perArm = rows.some((r) => armsOf(r) !== '');
			const cells = rows.map((r) => [
				r.study,
				r.state,
				r.lifetimes === null ? '-' : `${r.lifetimes.ended}/${r.lifetimes.total}`,
				...(perArm ? [armsOf(r)] : []),
				r.last_activity === null ? '-' : r.last_activity.slice(0, 16).replace('T', ' '),
				r.problem ?? r.description ?? '',
			]);
			const header = ['Study', 'State', 'Lifetimes', ...(perArm ? ['Per arm'] : []), 'Last activity (UTC)', 'Description'];
			return textTable(header, cells, ['left', 'left', 'right', ...(perArm ? (['left'] as const) : []), 'left', 'left'], {
				style,
				tone: (row, column) => {
					const r = rows[row];
					if (r === undefined) return undefined;
					if (column === 1) return stateTone[r.state];
					return column === header.length - 1 && r.problem !== null ? 'bad' : undefined;
				},
			});
		}
	}
}
