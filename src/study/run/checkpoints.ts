/**
 * Checkpoint folders of population members' segments (pbt on a module or command objective):
 * `<results>/<study>/checkpoints/<trial>/`, one per segment (per attempt: a retry is a new trial),
 * whatever storage holds the journal. With several machines on one PostgreSQL study the results
 * folder must be shared (docs/storage.md "Many machines").
 *
 * A segment's folder is emptied before each run of it, and its digest (bytes, SHA-256 over every
 * file's relative path, size and content, in path order) is taken once its program has ended and
 * recorded with its end; a segment that continues it checks the folder against that digest before
 * and after it runs, so a checkpoint is restored exactly as recorded and never changed by a reader.
 *
 * Garbage collection (`collectCheckpoints`): a segment's folder is kept while the segment has not
 * ended, while a segment that has not ended restores from it, while it is the latest complete
 * segment of its member (what the next generation continues from, or the member's final state), and
 * while its generation's successors are not all asked yet (they are asked one at a time, and one
 * not asked yet may exploit it).
 * Every other folder of a segment the journal knows is deleted, only after the records that made it
 * unneeded are durable: a folder unneeded in a durable state is never needed again (later segments
 * restore only from the latest generation), so deleting outside the lock is safe. A folder of a trial
 * this process has not read yet is left alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CheckpointDigest } from '../journal/journal.js';
import { isEnded, type StudyState, type TrialState } from '../journal/state.js';
import type { StudySpec } from '../spec/spec.js';

/** The checkpoint folder of segment `trial`. */
export function checkpointDir(studyDir: string, trial: number): string {
	return join(studyDir, 'checkpoints', String(trial));
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

/** Bytes held under `dir` (0 when it does not exist). */
function folderBytes(dir: string): number {
	if (!existsSync(dir)) return 0;
	let bytes = 0;
	for (const name of files(dir)) bytes += statSync(join(dir, name)).size;
	return bytes;
}

/** Bytes and folders of checkpoints a study holds now (a reader: status). */
export function heldCheckpoints(studyDir: string): { readonly bytes: number; readonly folders: number } {
	const root = join(studyDir, 'checkpoints');
	if (!existsSync(root)) return { bytes: 0, folders: 0 };
	const folders = readdirSync(root).filter((n) => /^\d+$/.test(n));
	return { bytes: folders.reduce((sum, n) => sum + folderBytes(join(root, n)), 0), folders: folders.length };
}

/** The segments whose checkpoint folders are still needed (see the header). */
export function neededCheckpoints(spec: StudySpec, state: StudyState): Set<number> {
	const needed = new Set<number>();
	for (const arm of spec.arms) {
		const latestComplete = new Map<number, TrialState>();
		const generations = new Map<number, TrialState[]>();
		for (const t of state.latest(arm.name, 'search').values()) {
			const segment = t.asked.segment;
			if (segment === undefined) continue;
			const same = generations.get(segment.generation) ?? [];
			same.push(t);
			generations.set(segment.generation, same);
			if (!isEnded(t, spec.retries)) {
				needed.add(t.asked.trial);
				if (segment.restore !== undefined) needed.add(segment.restore);
			}
			if (t.phase === 'complete') {
				const held = latestComplete.get(segment.member);
				if (held === undefined || (held.asked.segment?.generation ?? 0) < segment.generation) latestComplete.set(segment.member, t);
			}
		}
		for (const t of latestComplete.values()) needed.add(t.asked.trial);
		// segments of the latest generation are asked one at a time: until all are, any checkpoint of
		// the generation before may still be exploited by one not asked yet
		const latest = Math.max(-1, ...generations.keys());
		const before = generations.get(latest - 1) ?? [];
		const continuing = before.filter((t) => t.complete?.checkpoint !== undefined);
		const planned = continuing.length === 0 ? 0 : continuing.length + before.filter((t) => t.phase === 'failed').length;
		if ((generations.get(latest)?.length ?? 0) < planned) for (const t of continuing) needed.add(t.asked.trial);
	}
	return needed;
}

/** Delete the checkpoint folders no member can return to; returns the trials whose folders were deleted. */
export function collectCheckpoints(studyDir: string, spec: StudySpec, state: StudyState): number[] {
	const root = join(studyDir, 'checkpoints');
	if (!existsSync(root)) return [];
	const needed = neededCheckpoints(spec, state);
	const deleted: number[] = [];
	for (const name of readdirSync(root)) {
		if (!/^\d+$/.test(name)) continue;
		const trial = Number(name);
		const t = state.trials[trial];
		if (t?.asked.segment === undefined || needed.has(trial)) continue; // unknown to this process yet, or needed
		rmSync(join(root, name), { recursive: true, force: true });
		deleted.push(trial);
	}
	return deleted;
}
