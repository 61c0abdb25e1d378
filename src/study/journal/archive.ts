/**
 * `--fresh`: start a study over. Under the study lock, and only while no other process runs the
 * study (a live presence file other than this run's: LockError naming it, since archiving under a
 * running process would leave it writing into the archived file while a new journal starts beside
 * it), the journal and the study's `report/` folder move into one archive entry:
 *
 *   results/<study>/archive/<ISO time>/journal.jsonl     the old journal (`metatune status` reads the folder)
 *   results/<study>/archive/<ISO time>/report/           the report drawn from it, if there was one
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { errorMessage, LockError, StateError } from '../../core/errors.js';
import type { Owner } from './lock.js';
import { liveOwners } from './owners.js';

export interface ArchivedStudy {
	/** the archive entry (a folder) */
	readonly dir: string;
	readonly journal: string;
	/** where report/ went, if there was one */
	readonly report?: string;
	/** why report/ stayed where it was (the move failed) */
	readonly reportLeft?: string;
}

/** Refuse `--fresh` while another owner of the study is alive (LockError, exit 5). */
export function assertNoLiveOwner(dir: string, me: Owner): void {
	const others = liveOwners(join(dir, 'owners'), me);
	const first = others[0];
	if (first === undefined) return;
	const more = others.length > 1 ? ` and ${others.length - 1} more` : '';
	const since = first.started === undefined ? '' : ` since ${first.started}`;
	const who = first.pid === me.pid && first.host === me.host ? `this process (pid ${first.pid} on host ${first.host}, another open Study)` : `pid ${first.pid} on host ${first.host}`;
	throw new LockError(`${dir}: --fresh refused: the study is being run by ${who}${since}${more}; stop that run (Ctrl-C) or let it finish, then run with --fresh again`, join(dir, 'owners'));
}

/** Move the journal (and report/) into a new archive entry. Caller holds the study lock. */
export function archiveStudy(dir: string, journal: string, at = new Date()): ArchivedStudy {
	try {
		return moveToArchive(dir, journal, at);
	} catch (error) {
		if (error instanceof StateError) throw error;
		throw new StateError(`${dir}: --fresh could not archive the old journal (${errorMessage(error)}); nothing was started; check the folder's permissions`, dir);
	}
}

function moveToArchive(dir: string, journal: string, at: Date): ArchivedStudy {
	const root = join(dir, 'archive');
	mkdirSync(root, { recursive: true });
	const stamp = at.toISOString().replace(/[:.]/g, '-');
	let entry = join(root, stamp);
	for (let n = 2; ; n++) {
		try {
			mkdirSync(entry);
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			entry = join(root, `${stamp}-${n}`);
		}
	}
	const moved = join(entry, 'journal.jsonl');
	renameSync(journal, moved);
	const report = join(dir, 'report');
	if (!existsSync(report)) return { dir: entry, journal: moved };
	try {
		renameSync(report, join(entry, 'report'));
		return { dir: entry, journal: moved, report: join(entry, 'report') };
	} catch (error) {
		return { dir: entry, journal: moved, reportLeft: errorMessage(error) };
	}
}
