/**
 * The file journal as a StudyStorage (storage.ts): `results/<study>/journal.jsonl` (journal.ts),
 * the study lock around every decision (lock.ts) and the presence files telling live processes from
 * dead ones (owners.ts). Opening it announces this process, sweeps the presence files of dead ones,
 * and under the lock archives the old journal for `fresh` (archive.ts), then opens or creates the
 * journal (head.ts) and catches up.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { archiveStudy, assertNoLiveOwner, type ArchivedStudy } from './archive.js';
import { openJournal } from './head.js';
import type { Journal, JournalRecord, WarningSink } from './journal.js';
import { FileLock, type Owner } from './lock.js';
import { Presence, sweepGoneOwners } from './owners.js';
import { clock, type Profile } from './profile.js';
import type { StudySpec } from '../spec/spec.js';
import type { StudyState } from './state.js';
import type { Staged, StudyStorage } from './storage.js';

export class FileStorage implements StudyStorage {
	/** a batch is written under the lock it was decided in, or not at all (the process stops) */
	readonly bodyRunsOnce = true;

	constructor(
		private readonly journal: Journal,
		private readonly lock: FileLock,
		private readonly presence: Presence | undefined,
		private readonly profile?: Profile,
	) {}

	get where(): string {
		return this.journal.path;
	}

	readNew(): JournalRecord[] {
		return this.journal.readNew(false);
	}

	transact<T>(body: (fresh: readonly JournalRecord[], replay: boolean) => Staged<T>, concurrent: boolean): Promise<T> {
		return this.lock.withLock(async () => {
			const t0 = clock(this.profile);
			const fresh = this.journal.readNew(true);
			this.profile?.add('replay', t0);
			const staged = body(fresh, false);
			if (staged.lines.length > 0) {
				this.journal.write(staged.lines);
				if (staged.durable && concurrent) await this.journal.sync();
				else if (staged.durable) this.journal.syncNow();
			}
			return staged.value;
		});
	}

	alive(owner: Owner): boolean {
		return this.presence === undefined ? owner.run === this.lock.owner.run : this.presence.alive(owner);
	}

	/** Synchronous (its errors are thrown here); the promise is the interface's. */
	close(): Promise<void> {
		this.presence?.stop();
		this.lock.dispose();
		this.journal.close();
		return Promise.resolve();
	}
}

export interface FileOpenOptions {
	readonly fresh: boolean;
	/** how messages name the study (the file, or `<study>`) */
	readonly file: string;
	readonly studyFile?: string;
	readonly warn: WarningSink;
	readonly profile?: Profile;
}

/** Open (or create) the journal of the study in `dir` for `me`, caught up into `state`. */
export async function openFileStorage(dir: string, spec: StudySpec, state: StudyState, me: Owner, options: FileOpenOptions): Promise<{ storage: FileStorage; archived: ArchivedStudy | undefined }> {
	const { profile, warn } = options;
	const owners = join(dir, 'owners');
	const lock = new FileLock(join(dir, 'journal.lock'), me, {
		ticket: join(owners, `${me.run}.lock`),
		// every process announces itself (owners/<run>.json) before its first lock hold
		notRunning: (holder) => typeof holder.run === 'string' && !existsSync(join(owners, `${holder.run}.json`)),
		warn,
		...(profile === undefined ? {} : { profile }),
	});
	const path = join(dir, 'journal.jsonl');
	// Announce this process before the first lock hold, so a `fresh` open elsewhere sees it.
	const presence = new Presence(owners, me);
	presence.start();
	sweepGoneOwners(owners, me);
	let archived: ArchivedStudy | undefined;
	const journal = await lock
		.withLock(() => {
			const fresh = options.fresh && existsSync(path) && statSync(path).size > 0;
			if (fresh) {
				assertNoLiveOwner(dir, me);
				archived = archiveStudy(dir, path);
			}
			return openJournal(path, spec, state, { file: options.file, ...(options.studyFile ? { studyFile: options.studyFile } : {}), warn, ...(profile ? { profile } : {}) });
		})
		.catch((error: unknown) => {
			presence.stop();
			lock.dispose();
			throw error;
		});
	await lock.withLock(() => state.apply(journal.readNew(true)));
	return { storage: new FileStorage(journal, lock, presence, profile), archived };
}
