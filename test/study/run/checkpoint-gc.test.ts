/**
 * Which population checkpoints are kept (checkpoint-gc.ts) and how a segment gets its private copy
 * (restore.ts), on journal states built through the arm's own asks (population-arm.ts): garbage
 * collection keeps exactly the folders a member can still return to, at every point of a generation
 * (the checkpoints planned segments will restore, until each restorer holds its copy; running
 * segments' folders; each member's latest), and a restore is moved when nobody else needs its source,
 * copied otherwise, checked against the recorded digest, taken over by a retry, and found again
 * whatever moment a kill interrupted it at.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import type { AskedRecord, JournalRecord } from '../../../src/study/journal/journal.js';
import { StudyState } from '../../../src/study/journal/state.js';
import { collectCheckpoints, neededCheckpoints } from '../../../src/study/run/checkpoint-gc.js';
import { checkpointDir, digestCheckpoint, restoreDir } from '../../../src/study/run/checkpoints.js';
import { nextSegment } from '../../../src/study/run/population-arm.js';
import { type Restored, takeRestore } from '../../../src/study/run/restore.js';
import { parseStudyDocument, type Arm } from '../../../src/study/spec/spec.js';
import type { PbtConfig } from '../../../src/tuners/config.js';
import { tempDir } from '../helpers.js';

const owner = { host: 'h', pid: 1, run: 'r' };
const at = '2026-12-07T00:00:00.000Z';
const studyOf = (retries: number) =>
	parseStudyDocument({
		name: 'gc',
		objective: { command: ['true'] },
		space: { lr: { type: 'float', low: 0.1, high: 1 } },
		searchers: [{ kind: 'pbt', population: 4, interval: 10, quantile: 0.25 }],
		budget: 1,
		retries,
	});
const spec = studyOf(0);
const arm = spec.arms[0] as Arm & { readonly config: PbtConfig };

/** Ask the arm's next segment, as the scheduler does (the retry of `retryOf` when given). */
function ask(state: StudyState, retryOf?: number): AskedRecord {
	const base = retryOf === undefined ? nextSegment(spec, state, arm) : undefined;
	if (base !== undefined && base.kind !== 'ask') throw new Error(`nothing to ask: ${base.kind}`);
	const prior = retryOf === undefined ? undefined : state.trials[retryOf]?.asked;
	const record: AskedRecord =
		prior === undefined
			? { type: 'asked', at, trial: state.nextTrial, owner, ...(base as { base: Omit<AskedRecord, 'type' | 'at' | 'trial' | 'owner'> }).base }
			: { ...prior, trial: state.nextTrial, attempt: prior.attempt + 1, retry_of: prior.trial };
	state.apply([record]);
	return record;
}
/** A segment's end at its interval's end, announcing a checkpoint of `sha256`. */
function complete(state: StudyState, trial: number, value: number, sha256 = `sha-${trial}`): void {
	const step = ((state.trials[trial]?.asked.segment?.generation ?? 0) + 1) * 10;
	const records: JournalRecord[] = [
		{ type: 'report', at, trial, step, value, index: 0, decision: 'stop', checkpoint: true },
		{ type: 'complete', at, trial, value, fields: {}, wall_ms: 1, pruned_at: step, checkpoint: { step, bytes: 1, sha256 } },
	];
	state.apply(records);
}
function fail(state: StudyState, trial: number): void {
	state.apply([{ type: 'failed', at, trial, reason: 'threw', message: 'x', wall_ms: 1 }]);
}
const sorted = (s: Set<string>) => [...s].sort((a, b) => Number.parseFloat(a) - Number.parseFloat(b) || a.localeCompare(b));
const none = () => false;
const howOf = (r: Restored) => ('how' in r ? r.how : r.failure);
const every = () => true;

type Digest = NonNullable<ReturnType<typeof digestCheckpoint>>;
/** Generation 0 asked and complete in a new results folder, each member's checkpoint written and its digest recorded. */
function generationZero(): { dir: string; state: StudyState; digest: (trial: number) => Digest } {
	const dir = tempDir();
	const state = new StudyState();
	for (let m = 0; m < 4; m++) ask(state);
	for (let m = 0; m < 4; m++) {
		mkdirSync(checkpointDir(dir, m), { recursive: true });
		writeFileSync(join(checkpointDir(dir, m), 'state.json'), `{"member":${m}}`);
		complete(state, m, m, digestCheckpoint(checkpointDir(dir, m), 10)?.sha256);
	}
	return { dir, state, digest: (trial) => state.trials[trial]?.complete?.checkpoint as Digest };
}

test('keeps exactly the checkpoints planned and running segments restore and each member its latest, at every point of a generation', (t) => {
	const state = new StudyState();
	for (let m = 0; m < 4; m++) ask(state);
	for (let m = 0; m < 4; m++) complete(state, m, m);
	// generation 1's plans: member 0 (worst) exploits member 3 (best); the others continue their own
	t.deepEqual(sorted(neededCheckpoints('', spec, state, none)), ['1', '2', '3'], 'checkpoint 0 is restored by no plan');
	const first = ask(state);
	t.deepEqual([first.trial, first.segment?.member, first.segment?.restore, first.segment?.exploit?.member], [4, 0, 3, 3]);
	t.deepEqual(sorted(neededCheckpoints('', spec, state, none)), ['1', '2', '3', '4', '4.restore', '4.restore.tmp']);
	t.deepEqual(sorted(neededCheckpoints('', spec, state, every)), ['1', '2', '3', '4', '4.restore', '4.restore.tmp'], 'member 3 has yet to restore 3');
	for (let m = 1; m < 4; m++) ask(state);
	const restores = (trials: number[]) => trials.flatMap((n) => [`${n}.restore`, `${n}.restore.tmp`]);
	t.deepEqual(sorted(neededCheckpoints('', spec, state, none)), sorted(new Set(['1', '2', '3', '4', '5', '6', '7', ...restores([4, 5, 6, 7])])), 'sources kept until copied');
	t.deepEqual(sorted(neededCheckpoints('', spec, state, every)), sorted(new Set(['4', '5', '6', '7', ...restores([4, 5, 6, 7])])), 'once each running segment holds its copy, generation 0 goes');
	complete(state, 4, 10);
	complete(state, 5, 11);
	fail(state, 6);
	t.deepEqual(sorted(neededCheckpoints('', spec, state, every)), sorted(new Set(['4', '5', '7', ...restores([7])])), 'ended segments keep their output only when complete');
	complete(state, 7, 13);
	// generation 2: member 0 (worst) and member 2 (failed) exploit member 3; member 1 continues
	t.deepEqual(sorted(neededCheckpoints('', spec, state, none)), ['5', '7']);
});

test('a failed attempt with retries left keeps its restore copy for the retry, not its output; the retry takes the copy over', (t) => {
	const retrying = studyOf(1);
	const { dir, state, digest: digestOf } = generationZero();
	const segment = ask(state); // trial 4: member 0 exploits member 3
	const digest = digestOf(3);
	const copied = takeRestore(dir, retrying, state, 4, 3, digest);
	t.deepEqual(copied, { dir: restoreDir(dir, 4), how: 'copied' }, 'member 3 has yet to restore it');
	fail(state, 4);
	t.true(neededCheckpoints(dir, retrying, state).has('4.restore'));
	t.false(neededCheckpoints(dir, retrying, state).has('4'), "the failed attempt's output is not needed");
	const retry = ask(state, segment.trial);
	t.deepEqual(takeRestore(dir, retrying, state, retry.trial, 3, digest), { dir: restoreDir(dir, retry.trial), how: 'retry' });
	t.false(existsSync(restoreDir(dir, 4)));
	t.deepEqual(takeRestore(dir, retrying, state, retry.trial, 3, digest), { dir: restoreDir(dir, retry.trial), how: 'kept' }, 'a run again of the same trial keeps its copy');
});

test('a restore is moved when no other segment needs its source, copied when one does, and refused when the source changed', (t) => {
	const { dir, state, digest } = generationZero();
	for (let m = 0; m < 4; m++) ask(state); // 4: member 0 exploits 3; 5, 6, 7 continue 1, 2, 3
	t.is(howOf(takeRestore(dir, spec, state, 5, 1, digest(1))), 'moved');
	t.false(existsSync(checkpointDir(dir, 1)));
	t.is(howOf(takeRestore(dir, spec, state, 7, 3, digest(3))), 'copied', 'segment 4 has yet to copy it');
	t.is(howOf(takeRestore(dir, spec, state, 4, 3, digest(3))), 'moved', 'the last to need it');
	t.is(digestCheckpoint(restoreDir(dir, 4), 10)?.sha256, digest(3).sha256);
	t.is(digestCheckpoint(restoreDir(dir, 7), 10)?.sha256, digest(3).sha256);
	writeFileSync(join(checkpointDir(dir, 2), 'state.json'), 'changed');
	const refused = takeRestore(dir, spec, state, 6, 2, digest(2));
	t.true('failure' in refused && /the checkpoint of trial 2 this segment continues is changed \(.*\); keep the results folder's checkpoints\//.test(refused.failure));
	t.false(existsSync(restoreDir(dir, 6)));
	// collected: of generation 0 only what a segment has yet to restore is left (0 is restored by none)
	t.deepEqual(collectCheckpoints(dir, spec, state), ['0']);
	t.deepEqual(readdirSync(join(dir, 'checkpoints')).sort(), ['2', '4.restore', '5.restore', '7.restore']);
});

test('collectCheckpoints deletes the unneeded folders only, none of a trial it has not read, nothing not its own', (t) => {
	const dir = tempDir();
	const state = new StudyState();
	for (let m = 0; m < 4; m++) ask(state);
	for (let m = 0; m < 4; m++) complete(state, m, m);
	for (let m = 0; m < 4; m++) ask(state);
	for (const name of ['0', '1', '2', '3', '4', '4.restore', '5', '5.restore', '6', '7', '99', '99.restore', 'notes']) {
		mkdirSync(join(dir, 'checkpoints', name), { recursive: true });
		writeFileSync(join(dir, 'checkpoints', name, 'state.json'), '{}');
	}
	// 4 and 5 hold their copies; 6 and 7 have yet to restore 2 and 3
	t.deepEqual(collectCheckpoints(dir, spec, state).sort(), ['0', '1']);
	t.deepEqual(readdirSync(join(dir, 'checkpoints')).sort(), ['2', '3', '4', '4.restore', '5', '5.restore', '6', '7', '99', '99.restore', 'notes']);
});

test('a kill at any moment of a restore leaves the checkpoint in its source, a complete copy, or both', (t) => {
	const { dir, state, digest: digestOf } = generationZero();
	const digest = digestOf(3);
	for (let m = 0; m < 4; m++) ask(state); // 4: member 0 exploits 3; 7: member 3 continues 3
	// killed mid-copy: a partial copy under its temporary name does not count, so the source stays
	mkdirSync(`${restoreDir(dir, 4)}.tmp`, { recursive: true });
	writeFileSync(join(`${restoreDir(dir, 4)}.tmp`, 'state.json'), '{"mem');
	t.true(neededCheckpoints(dir, spec, state).has('3'));
	t.deepEqual(collectCheckpoints(dir, spec, state).sort(), ['0']);
	// run again: the copy is made afresh
	t.is(howOf(takeRestore(dir, spec, state, 4, 3, digest)), 'copied');
	t.false(existsSync(`${restoreDir(dir, 4)}.tmp`));
	// killed after the copy: the run again keeps it; a copy its program changed is made again from the source
	t.is(howOf(takeRestore(dir, spec, state, 4, 3, digest)), 'kept');
	writeFileSync(join(restoreDir(dir, 4), 'state.json'), 'changed');
	t.is(howOf(takeRestore(dir, spec, state, 4, 3, digest)), 'copied');
	t.is(digestCheckpoint(restoreDir(dir, 4), 10)?.sha256, digest.sha256);
	// the last to need the source moves it: after a kill the move is not made twice
	t.is(howOf(takeRestore(dir, spec, state, 7, 3, digest)), 'moved');
	t.is(howOf(takeRestore(dir, spec, state, 7, 3, digest)), 'kept');
	t.false(existsSync(checkpointDir(dir, 3)));
});
