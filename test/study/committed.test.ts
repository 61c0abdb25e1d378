/**
 * The committed study files still open their committed journals: `metatune run studies/<x>.yaml`
 * resumes them (nothing left to run) instead of refusing them as changed. A schema change that adds
 * a defaulted field to a searcher's or tuner's settings changes every spec's hash and fails here.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { openStudyFile } from '../../src/study/open.js';
import { root, tempDir } from './helpers.js';

for (const name of [
	'discount-comparison',
	'discount-two-armed',
	'online-two-armed',
	'online-eleven-armed',
	'online-two-armed-from-0.3',
	'pruning-eleven-armed',
	'pruning-gp-choice',
	...['independent', 'dependent-uniform', 'dependent-easy', 'dependent-medium', 'dependent-hard', 'eleven-armed'].map((task) => `agent-${task}`),
	...['', '-seed1', '-seed2', '-seed3', '-seed4', '-start-seed0', '-start-seed1', '-start-seed2', '-start-seed3', '-start-seed4'].map((s) => `pbt-cartpole${s}`),
]) {
	test(`studies/${name}.yaml opens results/${name}/journal.jsonl as the same study`, async (t) => {
		const results = tempDir();
		cpSync(join(root, 'results', name, 'journal.jsonl'), join(results, name, 'journal.jsonl'), { recursive: true });
		const study = await openStudyFile(join(root, 'studies', `${name}.yaml`), { resultsDir: results, warn: () => undefined });
		t.is(await study.ask(), undefined, 'complete: nothing left to ask');
		t.true(study.trials().length > 0);
		study.close();
	});
}
