/**
 * The disk a pbt study holds (docs/online-tuning.md, "Checkpoints on disk"): a command objective's
 * population of 4 run at concurrency 2, its checkpoints/ folder listed every few milliseconds while
 * it runs, never holds more than population + concurrency folders (one checkpoint per member, and one
 * folder per running segment: the copy being made or the checkpoint being written), and at the end
 * exactly one per member.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { spawnCli, tempDir } from '../helpers.js';
import { populationStudy } from './population-helpers.js';

test('a pbt study never holds more than population + concurrency checkpoint folders', async (t) => {
	const dir = tempDir();
	const population = 4;
	const concurrency = 2;
	const file = populationStudy(dir, 'disk', { population }, { PBT_DELAY: '0.01' }, 80, { concurrency });
	const root = join(dir, 'results', 'disk', 'checkpoints');
	const counts: number[] = [];
	const poll = setInterval(() => {
		try {
			if (existsSync(root)) counts.push(readdirSync(root).length);
		} catch {
			// listed while being deleted: the next listing counts
		}
	}, 2);
	const run = await spawnCli(['run', file, '--results', join(dir, 'results'), '--quiet']).done;
	clearInterval(poll);
	t.is(run.code, 0, run.stderr);
	t.true(counts.length > 50, `${counts.length} listings`);
	const peak = Math.max(...counts);
	t.log(`peak ${peak} folders in ${counts.length} listings`);
	t.true(peak <= population + concurrency, `peak ${peak} folders`);
	t.is(readdirSync(root).length, population);
});
