/** Bad pruner settings: one line naming the field and the fix, exit 2, nothing written. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../cli-capture.js';
import { tempDir, writeStudy } from '../study/helpers.js';

const base = { name: 'bad-pruner', objective: { module: './objective.js' }, space: { x: { type: 'float', low: 0, high: 1 } }, budget: 4 };

for (const [title, doc, field, says] of [
	['an unknown kind', { pruner: { kind: 'sha', min_resource: 10 } }, 'pruner.kind', /median.*asha.*hyperband/],
	['asha without min_resource', { pruner: { kind: 'asha' } }, 'pruner.min_resource', /number/],
	['a reduction factor of 1', { pruner: { kind: 'asha', min_resource: 10, reduction_factor: 1 } }, 'pruner.reduction_factor', />= 2/],
	['max_resource below min_resource', { pruner: { kind: 'hyperband', min_resource: 100, max_resource: 10 } }, 'pruner.max_resource', /above min_resource/],
	['a misspelt setting', { pruner: { kind: 'median', warmup: 3 } }, 'pruner.warmup', /unknown field/],
	['min_trials 0', { pruner: { kind: 'median', min_trials: 0 } }, 'pruner.min_trials', />= 1/],
	['a negative min_resource in an arm', { searchers: [{ kind: 'random', pruner: { kind: 'asha', min_resource: -1 } }] }, 'searchers.0.pruner.min_resource', /must be > 0/],
	[
		'a pruner on a meta-gradient arm',
		{ objective: { bandit: { task: 'two-armed' } }, space: { gamma: { type: 'float', low: 0.1, high: 0.99 } }, searchers: [{ kind: 'metagradient', pruner: { kind: 'median' } }] },
		'searchers.0.pruner',
		/grid, random or gp/,
	],
] as const) {
	test(`${title}: one line naming ${field}, exit 2, nothing written`, async (t) => {
		const dir = tempDir();
		const file = writeStudy(dir, { ...base, searcher: { kind: 'random' }, ...doc, ...('searchers' in doc ? { searcher: undefined } : {}) });
		const results = join(dir, 'results');
		const r = await runCli(['run', file, '--results', results]);
		t.is(r.code, 2, r.stderr);
		const lines = r.stderr.trim().split('\n');
		t.is(lines.length, 1, r.stderr);
		t.true(lines[0]?.startsWith(`metatune: ${file}: ${field}: `), lines[0]);
		t.regex(lines[0] ?? '', says);
		t.false(existsSync(results), 'no results folder');
	});
}
