/**
 * `metatune init` as a newcomer meets it: in an empty folder it writes a study file and an objective
 * (JavaScript or Python), and the written study runs through the real CLI from that folder and
 * prints a table with both arms. It refuses to overwrite: one line naming the file, exit 2, nothing
 * written.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { root, tempDir } from '../study/helpers.js';

interface Run {
	readonly code: number | null;
	readonly stdout: string;
	readonly stderr: string;
}

/** `metatune <args>` through the installed entry point (bin/metatune.js), from folder `cwd`. */
function metatune(cwd: string, args: readonly string[]): Promise<Run> {
	const child = spawn(process.execPath, [join(root, 'bin', 'metatune.js'), ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
	child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const python = spawnSync('python3', ['--version']).status === 0;
if (!python) console.log('init --objective python skipped: python3 is not installed (apt-get install python3)');

for (const [kind, name, objective, available] of [
	['js', 'my-study', 'objective.mjs', true],
	['python', 'lr-search', 'train.py', python],
] as const) {
	(available ? test : test.skip)(`init --objective ${kind} writes a study that runs from its folder and prints both arms`, async (t) => {
		const dir = tempDir('metatune-init-');
		const args = kind === 'js' ? ['init'] : ['init', '--objective', kind, '--name', name];
		const written = await metatune(dir, args);
		t.is(written.code, 0, written.stderr);
		t.is(
			written.stdout,
			`wrote ${name}.yaml (the study: params to search, searchers, budget)\nwrote ${objective} (the objective: replace its toy score with your training)\nnext: npx metatune run ${name}.yaml\n`,
		);
		t.deepEqual(readdirSync(dir).sort(), [`${name}.yaml`, objective].sort());
		const study = readFileSync(join(dir, `${name}.yaml`), 'utf8');
		t.is(study.split('\n')[0], '# yaml-language-server: $schema=node_modules/metatune/studies/study.schema.json');
		t.regex(study, /type: float, low: [\d.]+, high: [\d.]+, log: true/);
		t.regex(study, /type: int,/);
		t.regex(study, /type: categorical,/);

		const run = await metatune(dir, ['run', `${name}.yaml`, '--quiet']);
		t.is(run.code, 0, run.stderr);
		const lines = run.stdout.split('\n');
		t.regex(lines[0] ?? '', /^Method\s+Chosen\s+value \(mean, 95% CI\)/);
		const row = /^(random|gp)\s+lr=[\d.e-]+, layers=[1-4], activation=(relu|tanh)\s+[\d.]+ \[[\d.]+, [\d.]+\] n=3\s+[\d.]+\s+12 \+ 3\s/;
		t.deepEqual(
			[lines[2], lines[3]].map((line) => row.exec(line ?? '')?.[1]),
			['random', 'gp'],
			run.stdout,
		);
		t.true(existsSync(join(dir, 'results', name, 'journal.jsonl')), 'the results are in the folder the study was run from');
	});
}

test('init refuses to overwrite: one line naming the existing file, exit 2, nothing else written', async (t) => {
	for (const [existing, args] of [
		['my-study.yaml', ['init']],
		['objective.mjs', ['init']],
		['train.py', ['init', '--objective', 'python']],
	] as const) {
		const dir = tempDir('metatune-init-');
		writeFileSync(join(dir, existing), 'mine\n');
		const r = await metatune(dir, args);
		t.is(r.code, 2, existing);
		t.is(r.stdout, '');
		t.regex(r.stderr, new RegExp(`^metatune: ${existing.replace('.', '\\.')}: already exists; init writes only new files \\([^\\n]+\\)\\n$`));
		t.is(readFileSync(join(dir, existing), 'utf8'), 'mine\n', 'the existing file is unchanged');
		t.deepEqual(readdirSync(dir), [existing], 'no other file was written');
	}
});

test('init refuses a --name that is not a study name, writing nothing', async (t) => {
	const dir = tempDir('metatune-init-');
	const r = await metatune(dir, ['init', '--name', '../escape']);
	t.is(r.code, 2);
	t.regex(r.stderr, /^metatune: --name: use letters, digits, \. _ - .*got '\.\.\/escape'\)\n$/);
	t.deepEqual(readdirSync(dir), []);
});
