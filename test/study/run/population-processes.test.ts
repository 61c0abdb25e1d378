/**
 * Durability of pbt on a command objective: two `metatune run` processes on one study, SIGKILLed at
 * seeded random moments and started again, record the same population history (every segment's
 * params, seed, exploit/explore decisions, restored checkpoint, value and checkpoint digest) as one
 * uninterrupted process, and each checkpoint the journal refers to as a member's last still exists.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { Rng } from '../../../src/core/rng.js';
import { spawnCli, tempDir, type Spawned } from '../helpers.js';
import { folders, history, populationStudy, records } from './population-helpers.js';

test('two processes SIGKILLed at random moments and restarted give the population history of an uninterrupted run', async (t) => {
	const dir = tempDir();
	const env = { PBT_DELAY: '0.03' };
	const file = populationStudy(dir, 'durable', {}, env, 80);
	const results = join(dir, 'results');
	const journal = join(results, 'durable', 'journal.jsonl');
	const start = (): Spawned => spawnCli(['run', file, '--results', results, '--quiet']);
	const running: Spawned[] = [start(), start()];
	const rng = new Rng(11);
	let kills = 0;
	for (let round = 0; round < 4; round++) {
		await new Promise((r) => setTimeout(r, 800 + rng.int(1500)));
		const victim = rng.int(2);
		(running[victim] as Spawned).kill('SIGKILL');
		const ended = await (running[victim] as Spawned).done;
		if (ended.signal === 'SIGKILL') kills++;
		running[victim] = start();
	}
	const ends = await Promise.all(running.map((p) => p.done));
	for (const e of ends) t.is(e.code, 0, e.stderr);
	t.true(kills >= 2, `killed mid-run ${kills} times`);
	const asked = records(journal).filter((r) => r.type === 'asked');
	const runs = records(journal).filter((r) => r.type === 'running');
	t.log(`${asked.length} segments asked by ${new Set(asked.map((a) => a.owner.pid)).size} processes; ${runs.length - asked.length} runs of a segment started again after a kill`);

	const cleanResults = join(dir, 'clean');
	const clean = await spawnCli(['run', file, '--results', cleanResults, '--quiet']).done;
	t.is(clean.code, 0, clean.stderr);
	const killed = history(journal);
	t.deepEqual(killed, history(join(cleanResults, 'durable', 'journal.jsonl')));
	t.is(Object.keys(killed).length, 16);
	// no decision taken twice: one asked record per slot unless a kill left its lifetime unended
	const failed = records(journal).filter((r) => r.type === 'failed');
	t.deepEqual(failed, [], 'a kill fails no lifetime');
	// the checkpoints the members end with are all there
	for (const trial of folders(join(cleanResults, 'durable'))) t.true(existsSync(join(cleanResults, 'durable', 'checkpoints', String(trial))));
	t.deepEqual(folders(join(results, 'durable')).length, 4);
});
