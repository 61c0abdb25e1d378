/**
 * Garbage collection of population checkpoints (checkpoints.ts) on a replayed state: it keeps
 * exactly the folders a member can still return to (running segments' own and their sources, each
 * member's latest, and the generation before while the next is being asked one segment at a time)
 * and deletes the others, leaving folders of trials this process has not read yet.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import type { JournalRecord, Segment } from '../../../src/study/journal/journal.js';
import { StudyState } from '../../../src/study/journal/state.js';
import { collectCheckpoints, neededCheckpoints } from '../../../src/study/run/checkpoints.js';
import type { StudySpec } from '../../../src/study/spec/spec.js';
import { tempDir } from '../helpers.js';

const spec = { arms: [{ name: 'pbt', config: { kind: 'pbt', population: 4 } }], retries: 0, objective: { kind: 'command' } } as unknown as StudySpec;
const owner = { host: 'h', pid: 1, run: 'r' };
const at = '2026-12-06T00:00:00.000Z';

function asked(trial: number, member: number, generation: number, restore?: number): JournalRecord {
	const segment: Segment = { member, generation, end: (generation + 1) * 10, ...(restore === undefined ? {} : { restore, from_step: generation * 10 }) };
	return { type: 'asked', at, trial, arm: 'pbt', purpose: 'search', slot: generation * 4 + member, attempt: 1, params: { lr: 0.1 }, seed: 1, owner, segment };
}
function complete(trial: number, step: number): JournalRecord {
	return { type: 'complete', at, trial, value: trial, fields: {}, wall_ms: 1, pruned_at: step, checkpoint: { step, bytes: 1, sha256: 'x' } };
}
const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

test('keeps exactly what a member can return to, at every point of a generation', (t) => {
	const state = new StudyState();
	state.apply([0, 1, 2, 3].flatMap((m) => [asked(m, m, 0), complete(m, 10)]));
	t.deepEqual(sorted(neededCheckpoints(spec, state)), [0, 1, 2, 3], 'each member its latest');
	// generation 1 is asked one segment at a time: member 0 continues, member 1 exploits member 3
	state.apply([asked(4, 0, 1, 0), complete(4, 20), asked(5, 1, 1, 3)]);
	t.deepEqual(sorted(neededCheckpoints(spec, state)), [0, 1, 2, 3, 4, 5], 'generation 0 stays while generation 1 is not all asked');
	state.apply([asked(6, 2, 1, 2), asked(7, 3, 1, 3), complete(5, 20), complete(6, 20)]);
	t.deepEqual(sorted(neededCheckpoints(spec, state)), [3, 4, 5, 6, 7], 'all asked: 3 is the source of running 7 and member 3 latest; 0, 1, 2 can go');
	state.apply([complete(7, 20)]);
	t.deepEqual(sorted(neededCheckpoints(spec, state)), [4, 5, 6, 7], 'population folders once the generation has ended');
});

test('collectCheckpoints deletes the unneeded folders only, and none of a trial it has not read', (t) => {
	const dir = tempDir();
	for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 99]) {
		mkdirSync(join(dir, 'checkpoints', String(n)), { recursive: true });
		writeFileSync(join(dir, 'checkpoints', String(n), 'state.json'), '{}');
	}
	const state = new StudyState();
	state.apply([0, 1, 2, 3].flatMap((m) => [asked(m, m, 0), complete(m, 10)]));
	state.apply([asked(4, 0, 1, 0), asked(5, 1, 1, 3), asked(6, 2, 1, 2), asked(7, 3, 1, 3), complete(4, 20), complete(5, 20), complete(6, 20)]);
	t.deepEqual(
		collectCheckpoints(dir, spec, state).sort((a, b) => a - b),
		[0, 1, 2],
	);
	for (const n of [3, 4, 5, 6, 7, 99]) t.true(existsSync(join(dir, 'checkpoints', String(n))), `folder ${n} kept`);
});
