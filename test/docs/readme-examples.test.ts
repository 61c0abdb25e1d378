/**
 * The README's "Your own objective" examples run as a newcomer would run them: the JavaScript
 * objective and the Python program, each with the study file under it, copied into an empty folder
 * and run with the real command line. The table shows both arms with their re-evaluations.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { root, tempDir } from '../study/helpers.js';

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.split('## Your own objective')[1]?.split('\n## ')[0] ?? '';
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] as string, text: m[2] as string }));

function example(lang: string, index = 0): string {
	const found = blocks.filter((b) => b.lang === lang)[index];
	if (found === undefined) throw new Error(`README.md, Your own objective: no ${lang} block number ${index + 1}`);
	return found.text;
}

function run(dir: string, study: string) {
	return spawnSync(process.execPath, [join(root, 'bin', 'metatune.js'), 'run', study, '--quiet'], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
}

test('the JavaScript example: objective.mjs and its study run from an empty folder', (t) => {
	const dir = tempDir('metatune-readme-js-');
	writeFileSync(join(dir, 'objective.mjs'), example('js'));
	writeFileSync(join(dir, 'my-study.yaml'), example('yaml', 0));
	const r = run(dir, 'my-study.yaml');
	t.is(r.status, 0, r.stderr);
	t.regex(r.stdout, /^random\s+lr=[\d.e-]+, layers=\d, optimizer=(adam|sgd)\s.*\s20 \+ 3\b/m);
	t.regex(r.stdout, /^gp\s+lr=[\d.e-]+, layers=\d, optimizer=(adam|sgd)\s.*\s20 \+ 3\b/m);
	t.true(existsSync(join(dir, 'results', 'my-study', 'journal.jsonl')), 'the journal is under the folder it ran in');
});

const python = spawnSync('python3', ['--version']).status === 0;
(python ? test : test.skip)('the Python example: train.py and its study run from an empty folder', (t) => {
	const dir = tempDir('metatune-readme-py-');
	writeFileSync(join(dir, 'train.py'), example('python'));
	writeFileSync(join(dir, 'my-python-study.yaml'), example('yaml', 1));
	const r = run(dir, 'my-python-study.yaml');
	t.is(r.status, 0, r.stderr);
	t.regex(r.stdout, /^random\s+lr=[\d.e-]+, layers=\d\s.*\s20 \+ 3\b/m);
	t.regex(r.stdout, /^gp\s+lr=[\d.e-]+, layers=\d\s.*\s20 \+ 3\b/m);
});
