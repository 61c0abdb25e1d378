/**
 * The checkpoint a population member's segment continues, made private to it before its program
 * starts: `checkpoints/<trial>.restore/` (checkpoints.ts), checked against the digest recorded with
 * the source segment's end, is what the program gets as METATUNE_RESTORE_DIR (a module:
 * `context.checkpoint.restore()`). So no other segment's program can change what this one restores,
 * and the source can be deleted as soon as no planned segment still has to copy it
 * (checkpoint-gc.ts), instead of when the last segment restoring it ends.
 *
 * Where the copy comes from, first found:
 *   1. its own copy, from an earlier run of this trial (killed, or given up, and run again);
 *   2. the copy of an earlier attempt of its slot (a retry), renamed to its own;
 *   3. the source segment's folder: renamed (moved) when no other segment still needs it, else copied.
 * A copy that does not match the digest is deleted and the next place tried; a source that does not
 * match fails the segment and stays where it is. (A retry of an attempt whose program changed its
 * copy finds the source only while no other segment has let it go: the protocol breach costs it.) Every step is a rename
 * of a complete folder or a copy renamed into place once complete, so a kill at any moment leaves the
 * checkpoint in the source folder, in a complete copy, or both; never neither.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import type { CheckpointDigest } from '../journal/journal.js';
import type { StudyState } from '../journal/state.js';
import type { StudySpec } from '../spec/spec.js';
import { attemptsOf, neededCheckpoints } from './checkpoint-gc.js';
import { checkpointDir, copyCheckpoint, digestCheckpoint, restoreDir } from './checkpoints.js';

/** How the restore folder was made (the runner collects garbage after a copy). */
export type Restored = { readonly dir: string; readonly how: 'kept' | 'retry' | 'moved' | 'copied' } | { readonly failure: string };

/** Make segment `trial`'s private copy of the checkpoint of segment `source` (recorded as `digest`). */
export function takeRestore(studyDir: string, spec: StudySpec, state: StudyState, trial: number, source: number, digest: CheckpointDigest): Restored {
	const own = restoreDir(studyDir, trial);
	const matches = (dir: string) => digestCheckpoint(dir, digest.step)?.sha256 === digest.sha256;
	if (existsSync(own)) {
		if (matches(own)) return { dir: own, how: 'kept' };
		rmSync(own, { recursive: true, force: true });
	}
	const t = state.trials[trial];
	for (const attempt of t === undefined ? [] : attemptsOf(state, t).slice(1)) {
		const earlier = restoreDir(studyDir, attempt);
		if (!existsSync(earlier)) continue;
		if (matches(earlier)) {
			renameSync(earlier, own);
			return { dir: own, how: 'retry' };
		}
		rmSync(earlier, { recursive: true, force: true });
	}
	const from = checkpointDir(studyDir, source);
	// moved when no other segment needs the source once this one holds its copy, else copied; the
	// source is checked before a move (a rename keeps its bytes), the copy after it is made
	const shared = existsSync(from) && neededCheckpoints(studyDir, spec, state, (a) => a === trial || existsSync(restoreDir(studyDir, a))).has(String(source));
	if (shared) copyCheckpoint(from, own);
	const found = digestCheckpoint(shared ? own : from, digest.step);
	if (found?.sha256 !== digest.sha256) {
		rmSync(own, { recursive: true, force: true });
		return {
			failure: `the checkpoint of trial ${source} this segment continues is ${found === undefined ? 'missing' : 'changed'} (${from}: ${digest.bytes} bytes recorded); keep the results folder's checkpoints/ (shared, when workers are on several machines)`,
		};
	}
	if (!shared) renameSync(from, own);
	return { dir: own, how: shared ? 'copied' : 'moved' };
}
