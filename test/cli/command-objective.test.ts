/**
 * `metatune run` with a command objective, as a user meets it: the README's example study runs and
 * prints its table; bad command objectives are one line naming the field, exit 2, nothing written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../cli-capture.js';
import { root, tempDir, writeStudy } from '../study/helpers.js';

const python = spawnSync('python3', ['--version']).status === 0;
if (!python) console.log('command objective example skipped: python3 is not installed (apt-get install python3)');

(python ? test : test.skip)('the example command study (a Python program) runs and prints its table, ASHA pruning by signal', async (t) => {
	const results = tempDir();
	const r = await runCli(['run', join(root, 'studies', 'command-quadratic.yaml'), '--results', results, '--quiet']);
	t.is(r.code, 0, r.stderr);
	const lines = r.stdout.split('\n');
	t.regex(lines[0] ?? '', /^Method\s+Chosen\s+value \(mean, 95% CI\)/);
	t.regex(lines[2] ?? '', /^random\s+lr=[\d.e-]+, width=\d\s+[\d.]+ \[[\d.]+, [\d.]+\] n=3\s+[\d.]+\s+16 \+ 3\s/);
	t.regex(lines[3] ?? '', /^gp\s+lr=[\d.e-]+, width=\d\s+[\d.]+ \[[\d.]+, [\d.]+\] n=3\s+[\d.]+\s+16 \+ 3\s/);
	// the ASHA arm asks what random asks and stops most lifetimes by signal after their first reports
	t.regex(lines[4] ?? '', /^random-asha\s+lr=[\d.e-]+, width=\d\s+[\d.]+ \[[\d.]+, [\d.]+\] n=3\s+[\d.]+\s+16 \+ 3 \((\d+) pruned\)\s/);
});

for (const [title, objective, field] of [
	['an empty command', { command: [] }, 'objective.command'],
	['a missing program', { command: ['no-such-program-xyz', '{x}'] }, 'objective.command.0'],
	['an unknown placeholder', { command: ['node', '{y}'] }, 'objective.command.1'],
] as const) {
	test(`a study with ${title} is one line naming ${field}, exit 2, and nothing is written`, async (t) => {
		const dir = tempDir();
		const file = writeStudy(dir, { name: 'bad-command', objective, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random' }, budget: 2 });
		const results = join(dir, 'results');
		const r = await runCli(['run', file, '--results', results]);
		t.is(r.code, 2);
		const lines = r.stderr.trim().split('\n');
		t.is(lines.length, 1, r.stderr);
		t.true(lines[0]?.startsWith(`metatune: ${file}: ${field}: `), lines[0]);
		t.false(existsSync(results), 'no results folder');
	});
}
