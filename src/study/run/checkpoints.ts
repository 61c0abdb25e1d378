/**
 * Checkpoint folders of population members' segments (pbt on a module or command objective), under
 * `<results>/<study>/checkpoints/`, whatever storage holds the journal. With several machines on one
 * PostgreSQL study the results folder must be shared (docs/storage.md "Many machines").
 *
 *   <trial>/                 what segment `trial` writes (METATUNE_CHECKPOINT_DIR): one per segment
 *                            and attempt (a retry is a new trial), emptied before each run of it
 *   <trial>.restore/         the segment's private copy of the checkpoint it continues
 *                            (METATUNE_RESTORE_DIR; restore.ts), made before its program starts
 *   <trial>.restore.tmp/     that copy while it is being made (renamed once complete)
 *
 * A checkpoint's digest (bytes, SHA-256 over every file's relative path, size and content, in path
 * order) is taken once its program has ended and recorded with its end; the copy a segment restores
 * is checked against it before and after the segment runs. Which folders are kept: checkpoint-gc.ts.
 */
import { createHash } from 'node:crypto';
import { constants, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CheckpointDigest } from '../journal/journal.js';

/** The folder of checkpoint folders. */
export function checkpointsRoot(studyDir: string): string {
	return join(studyDir, 'checkpoints');
}

/** The checkpoint folder segment `trial` writes. */
export function checkpointDir(studyDir: string, trial: number): string {
	return join(checkpointsRoot(studyDir), String(trial));
}

/** The private copy of the checkpoint segment `trial` restores. */
export function restoreDir(studyDir: string, trial: number): string {
	return join(checkpointsRoot(studyDir), `${trial}.restore`);
}

/** What a name under checkpoints/ is: a segment's own folder, its restore copy, or that copy being made (anything else is not ours). */
export function folderKind(name: string): { readonly trial: number; readonly kind: 'own' | 'restore' | 'copying' } | undefined {
	const m = /^(\d+)(\.restore(\.tmp)?)?$/.exec(name);
	if (m === null) return undefined;
	return { trial: Number(m[1]), kind: m[3] !== undefined ? 'copying' : m[2] !== undefined ? 'restore' : 'own' };
}

/** An empty folder for a run of a segment (what an earlier run of it wrote is gone). */
export function prepareCheckpointDir(dir: string): void {
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
}

/** Every file under `dir`, by relative path, in path order. */
function files(dir: string): string[] {
	const out: string[] = [];
	const walk = (folder: string) => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			const path = join(folder, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (entry.isFile()) out.push(path);
		}
	};
	walk(dir);
	return out.map((p) => relative(dir, p)).sort();
}

/** The digest of the checkpoint in `dir` at `step`, or undefined when the folder is missing or holds no file. */
export function digestCheckpoint(dir: string, step: number): CheckpointDigest | undefined {
	if (!existsSync(dir)) return undefined;
	const names = files(dir);
	if (names.length === 0) return undefined;
	const hash = createHash('sha256');
	let bytes = 0;
	for (const name of names) {
		const content = readFileSync(join(dir, name));
		bytes += content.length;
		hash.update(`${name}\0${content.length}\0`);
		hash.update(content);
	}
	return { step, bytes, sha256: hash.digest('hex') };
}

/**
 * Copy the checkpoint in `from` into a new folder `to`: into `<to>.tmp` first, renamed once every file
 * is written, so `to` exists only complete. A copy-on-write clone where the file system offers one
 * (btrfs, XFS: no bytes copied), a byte copy elsewhere. Never a hard link: a program writing into its
 * restore folder would then change the source every other reader restores.
 */
export function copyCheckpoint(from: string, to: string): void {
	const temporary = `${to}.tmp`;
	rmSync(to, { recursive: true, force: true });
	rmSync(temporary, { recursive: true, force: true });
	for (const name of files(from)) {
		mkdirSync(join(temporary, name, '..'), { recursive: true });
		copyFileSync(join(from, name), join(temporary, name), constants.COPYFILE_FICLONE);
	}
	mkdirSync(temporary, { recursive: true });
	renameSync(temporary, to);
}

/** Bytes held under `dir` (0 when it does not exist). */
function folderBytes(dir: string): number {
	if (!existsSync(dir)) return 0;
	let bytes = 0;
	for (const name of files(dir)) bytes += statSync(join(dir, name)).size;
	return bytes;
}

/** Bytes and folders of checkpoints a study holds now, restore copies included (a reader: status). */
export function heldCheckpoints(studyDir: string): { readonly bytes: number; readonly folders: number } {
	const root = checkpointsRoot(studyDir);
	if (!existsSync(root)) return { bytes: 0, folders: 0 };
	const folders = readdirSync(root).filter((n) => folderKind(n) !== undefined);
	return { bytes: folders.reduce((sum, n) => sum + folderBytes(join(root, n)), 0), folders: folders.length };
}
