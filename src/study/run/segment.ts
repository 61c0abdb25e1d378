/**
 * Running one segment of a population member (population-arm.ts) inside a lane: its checkpoint
 * folders, the checks on what its program does with them, and the digest its end records.
 *
 *   before    the checkpoint it continues is made private to it (restore.ts), and must be exactly
 *             the one the journal recorded for that segment (else the segment fails: a checkpoint
 *             was lost or changed, and the folder must be kept and shared); its own folder is emptied
 *   reports   a report at a step at or before the restored checkpoint's: it did not restore; the
 *             first report at or past `end` must announce a checkpoint, and the folder must then
 *             hold one (else: it announced a checkpoint it did not write)
 *   after     its restore copy must be unchanged (else: it wrote outside its own folder); a
 *             segment stopped at its end records the digest of its folder
 *
 * Each failure is one line saying what the program must do; the lifetime fails and the study goes on.
 */
import type { Outcome, EvaluationTask } from './evaluate.js';
import type { CheckpointDigest, Segment } from '../journal/journal.js';
import type { StudyState } from '../journal/state.js';
import { rmSync } from 'node:fs';
import type { StudySpec } from '../spec/spec.js';
import { collectCheckpoints } from './checkpoint-gc.js';
import { checkpointDir, digestCheckpoint, prepareCheckpointDir } from './checkpoints.js';
import { type Restored, takeRestore } from './restore.js';

const write = 'write your state into METATUNE_CHECKPOINT_DIR (a module: context.checkpoint.save(state))';

/** A segment's folders and what its checks need, prepared before it runs. */
export interface SegmentRun {
	readonly segment: Segment;
	readonly folders: NonNullable<EvaluationTask['checkpoint']>;
	/** the digest recorded for the checkpoint it restores (undefined at a fresh start) */
	readonly source?: CheckpointDigest;
}

/**
 * Prepare a segment's folders, or the one-line reason it cannot start: its private copy of the
 * checkpoint it continues first (restore.ts; then the source may go: garbage is collected after a
 * copy), its own folder emptied last, so a lane holds one folder beyond its member's checkpoint.
 */
export function prepareSegment(studyDir: string, spec: StudySpec, state: StudyState, trial: number, segment: Segment): SegmentRun | { readonly failure: string } {
	const dir = checkpointDir(studyDir, trial);
	rmSync(dir, { recursive: true, force: true });
	if (segment.restore === undefined) {
		prepareCheckpointDir(dir);
		return { segment, folders: { dir, end: segment.end } };
	}
	const source = state.trials[segment.restore]?.complete?.checkpoint;
	if (source === undefined) return { failure: `trial ${segment.restore}, whose checkpoint this segment continues, recorded none` };
	let restored: Restored;
	try {
		restored = takeRestore(studyDir, spec, state, trial, segment.restore, source);
	} catch (error) {
		return { failure: `could not copy the checkpoint of trial ${segment.restore} this segment continues: ${(error as Error).message.split('\n')[0]}` };
	}
	if ('failure' in restored) return restored;
	if (restored.how === 'copied') collectCheckpoints(studyDir, spec, state);
	prepareCheckpointDir(dir);
	return { segment, folders: { dir, restore: restored.dir, end: segment.end }, source };
}

/** What a report of the segment means: go on, end here (its checkpoint announced and written), or fail with a line saying what to do. */
export function judgeSegmentReport(
	run: SegmentRun,
	step: number,
	announced: boolean,
): { readonly kind: 'go' } | { readonly kind: 'end'; readonly digest: CheckpointDigest } | { readonly kind: 'fail'; readonly message: string } {
	const { segment } = run;
	if (segment.from_step !== undefined && step <= segment.from_step)
		return {
			kind: 'fail',
			message: `reported step ${step}, but it continues a checkpoint of step ${segment.from_step}: restore the state from METATUNE_RESTORE_DIR (a module: context.checkpoint.restore()) and count steps on from ${segment.from_step}`,
		};
	if (step < segment.end) return { kind: 'go' };
	if (!announced)
		return {
			kind: 'fail',
			message: `reached step ${step}, the end of its pbt interval (${segment.end}), without announcing a checkpoint: ${write} and print {"step": ${step}, "value": ..., "checkpoint": true} (a module: then context.report(step, value))`,
		};
	const digest = digestCheckpoint(run.folders.dir, step);
	if (digest === undefined) return { kind: 'fail', message: `announced a checkpoint at step ${step} but its folder ${run.folders.dir} is empty: ${write} before announcing it` };
	return { kind: 'end', digest };
}

/**
 * The outcome once the program has ended: with the digest of the checkpoint it announced at its end
 * (`announced`), or a failure when it changed its restore folder, or its checkpoint after announcing it.
 */
export function finishSegment(run: SegmentRun, outcome: Outcome, announced: CheckpointDigest | undefined): Outcome {
	if (run.folders.restore !== undefined && run.source !== undefined && digestCheckpoint(run.folders.restore, run.source.step)?.sha256 !== run.source.sha256)
		return {
			ok: false,
			reason: 'threw',
			message: `changed the checkpoint it restored from (${run.folders.restore}): read METATUNE_RESTORE_DIR, write only into METATUNE_CHECKPOINT_DIR`,
			wall_ms: outcome.wall_ms,
		};
	if (!outcome.ok || outcome.pruned_at === undefined || announced === undefined) return outcome;
	if (digestCheckpoint(run.folders.dir, announced.step)?.sha256 !== announced.sha256)
		return {
			ok: false,
			reason: 'threw',
			message: `changed its checkpoint after announcing it at step ${announced.step}: stop after the report at or past METATUNE_END_STEP (${run.segment.end}), or write each checkpoint only when announcing it`,
			wall_ms: outcome.wall_ms,
		};
	return { ...outcome, checkpoint: announced };
}
