/**
 * The generated documentation files in the repository are what `npm run docs` writes from today's
 * code: a schema or command change without a re-run fails here, naming the file, the first line that
 * differs and the command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { generatedFiles, repositoryRoot } from '../../docs/generate.js';

for (const file of generatedFiles) {
	test(`${file.path} is the generated one`, (t) => {
		const committed = readFileSync(join(repositoryRoot, file.path), 'utf8').split('\n');
		const rendered = file.render().split('\n');
		const line = rendered.findIndex((text, i) => text !== committed[i]);
		const first = line < 0 ? committed.length : line;
		t.true(
			committed.length === rendered.length && line < 0,
			`${file.path} differs from what the code generates from line ${first + 1} on: run \`npm run docs\` and commit the result\n  committed: ${committed[first] ?? '(end of file)'}\n  generated: ${rendered[first] ?? '(end of file)'}`,
		);
	});
}

test('the reference page lists every field, e.g. categorical choices, pbt population and the bandit hidden size', (t) => {
	const page = generatedFiles.find((f) => f.path === 'docs/reference/study-file.md')?.render() ?? '';
	t.regex(page, /### `type: categorical`\n\nOne of a list of values\.\n\n\| field \|.*\n\|---.*\n\| `choices` \| list of number or string or boolean \| \*\*required\*\* \| at least 1 item \|/);
	t.regex(page, /\| `population` \| int \| `3` \| >= 2, <= 64 \|/);
	t.regex(page, /\| `hidden` \| int \| `48` \| >= 1, <= 1024 \| LSTM units \|/);
	t.regex(page, /\| `acquisition` \| string \| `log_ei` \| `log_ei`, `ucb` \|/);
	t.regex(page, /## Checked when the study loads\n\n.*\n\n- `space`: a float or int param has `low` <= `high`/);
});
