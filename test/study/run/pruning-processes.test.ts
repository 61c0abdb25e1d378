/**
 * Pruning with real processes: two `metatune run` processes on one ASHA study, SIGKILLed at random
 * moments and restarted, end with the same lifetimes, values and pruning decisions as one
 * uninterrupted run, and no lifetime ends twice.
 */
import { join } from 'node:path';
import test from 'ava';
import { readJournal } from '../../../src/study/journal/journal.js';
import { StudyState } from '../../../src/study/journal/state.js';
import { fixtures, spawnCli, type Spawned, tempDir, writeStudy } from '../helpers.js';

const module = join(fixtures, 'objectives.js');

/** (arm, purpose, slot) -> params, seed, reports with their decisions, value and where it was pruned. */
function outcomes(path: string): { byslot: Record<string, string>; ends: number[] } {
	const records = readJournal(path, () => undefined);
	const state = new StudyState();
	state.apply(records);
	const byslot: Record<string, string> = {};
	for (const t of state.trials) {
		if (t.phase !== 'complete') continue;
		const reports = (t.reports ?? []).map((r) => [r.step, r.value, r.rung, r.decision]);
		byslot[`${t.asked.arm}/${t.asked.purpose}/${t.asked.slot}`] = JSON.stringify([t.asked.params, t.asked.seed, reports, t.complete?.value, t.complete?.pruned_at]);
	}
	const ends = records.filter((r) => r.type === 'complete' || r.type === 'failed').map((r) => (r as { trial: number }).trial);
	return { byslot, ends };
}

test('asha, two processes with concurrency 2, SIGKILLed at random moments: same trials, values and decisions as an uninterrupted run', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'asha-killed',
		objective: { module, export: 'curve' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 7 },
		pruner: { kind: 'asha', min_resource: 10, reduction_factor: 3, max_resource: 100 },
		budget: 14,
		reevaluate: 2,
		concurrency: 2,
	});
	const env = { FIXTURE_DELAY_MS: '25' };
	const clean = join(dir, 'clean');
	const reference = await spawnCli(['run', file, '--results', clean, '--quiet'], env).done;
	t.is(reference.code, 0, reference.stderr);

	const results = join(dir, 'results');
	const start = () => spawnCli(['run', file, '--results', results, '--quiet'], env);
	const procs: Spawned[] = [start(), start()];
	let kills = 0;
	for (let round = 0; round < 5; round++) {
		await new Promise((r) => setTimeout(r, 300 + Math.random() * 500));
		const i = Math.random() < 0.5 ? 0 : 1;
		(procs[i] as Spawned).kill('SIGKILL');
		await (procs[i] as Spawned).done;
		kills++;
		procs[i] = start();
	}
	const finals = await Promise.all(procs.map((p) => p.done));
	for (const f of finals) t.is(f.code, 0, f.stderr);
	const last = await spawnCli(['run', file, '--results', results, '--quiet'], env).done; // nothing left to do
	t.is(last.code, 0, last.stderr);

	const got = outcomes(join(results, 'asha-killed', 'journal.jsonl'));
	const want = outcomes(join(clean, 'asha-killed', 'journal.jsonl'));
	t.deepEqual(got.byslot, want.byslot);
	t.is(new Set(got.ends).size, got.ends.length, 'no lifetime ended twice');
	const pruned = Object.values(want.byslot).filter((v) => JSON.parse(v)[4] !== null).length;
	t.log(`${kills} SIGKILLs; ${Object.keys(got.byslot).length} lifetimes, ${pruned} pruned, ${got.ends.length} end records; decisions identical`);
	t.true(pruned > 0);
});
