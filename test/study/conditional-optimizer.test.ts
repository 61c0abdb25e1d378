/**
 * studies/conditional-optimizer.yaml (a conditional space on the bandit agent) validates, and a tiny
 * copy of it (same space and arms, a few short lifetimes) runs end to end: every lifetime gets the
 * optimiser's own settings only, and the table shows them so.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { parse } from 'yaml';
import { activeParams } from '../../src/core/conditions.js';
import { parseStudyDocument } from '../../src/study/spec/spec.js';
import { runCli } from '../cli-capture.js';
import { root, tempDir, writeStudy } from './helpers.js';

const file = join(root, 'studies', 'conditional-optimizer.yaml');
const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown> & { objective: { bandit: Record<string, unknown> } };

test('the study file validates, with the optimiser settings conditional on the optimiser', (t) => {
	const spec = parseStudyDocument(doc, file);
	t.deepEqual(spec.space.adam_beta1?.when, { optimizer: ['adam'] });
	t.deepEqual(spec.space.adam_beta2?.when, { optimizer: ['adam'] });
	t.deepEqual(spec.space.rmsprop_decay?.when, { optimizer: ['rmsprop'] });
	t.deepEqual(
		spec.arms.map((a) => a.config.kind),
		['random', 'gp', 'tpe'],
	);
});

test.serial('a tiny copy runs: each lifetime has its optimiser settings only', async (t) => {
	const dir = tempDir();
	const tiny = writeStudy(dir, {
		...doc,
		objective: { bandit: { ...doc.objective.bandit, train_episodes: 32, eval_episodes: 8 } },
		budget: 3,
		reevaluate: 0,
		searchers: [
			{ kind: 'random', seed: 0 },
			{ kind: 'gp', seed: 0, n_startup: 2 },
		],
	});
	const results = join(dir, 'results');
	const run = await runCli(['run', tiny, '--results', results, '--quiet']);
	t.is(run.code, 0, run.stderr);
	const spec = parseStudyDocument(doc, file);
	const asked = readFileSync(join(results, 'conditional-optimizer', 'journal.jsonl'), 'utf8')
		.trimEnd()
		.split('\n')
		.map((l) => JSON.parse(l) as { type: string; params?: Record<string, string | number> })
		.filter((r) => r.type === 'asked');
	t.is(asked.length, 6);
	for (const r of asked) {
		const params = r.params ?? {};
		t.deepEqual(Object.keys(params).sort(), Object.keys(activeParams(spec.space, params)).sort());
		t.is('adam_beta1' in params, params.optimizer === 'adam');
		t.is('rmsprop_decay' in params, params.optimizer === 'rmsprop');
	}
	t.false(run.stdout.includes('undefined'), run.stdout);
});
