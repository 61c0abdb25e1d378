/**
 * The README's "Your own objective" shows exactly what `metatune init` writes (test/cli/init.test.ts
 * runs those files through the real command line from an empty folder), so the front page and the
 * command can never drift apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { objectiveFile, studyFile } from '../../src/cli/init-templates.js';
import { root } from '../study/helpers.js';

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.split('\n## Your own objective\n')[1]?.split('\n## ')[0] ?? '';
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1] as string, text: m[2] as string }));

function block(lang: string, index = 0): string {
	return blocks.filter((b) => b.lang === lang)[index]?.text ?? `(README.md, Your own objective: no ${lang} block number ${index + 1})`;
}

test('the JavaScript objective and its study file are the ones init writes', (t) => {
	t.is(block('js'), objectiveFile('js').text);
	t.is(block('yaml', 0), studyFile('my-study', 'js').text);
});

test('the Python program is the one init --objective python writes, and its study differs only in the objective', (t) => {
	t.is(block('python'), objectiveFile('python').text);
	const objectiveLines = block('yaml', 1).trimEnd().split('\n');
	const python = studyFile('my-study', 'python').text.split('\n');
	t.true(objectiveLines.length === 2 && objectiveLines.every((line) => python.includes(line)), objectiveLines.join('\n'));
});
