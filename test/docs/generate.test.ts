/**
 * The generated documentation files in the repository are what `npm run docs` writes from today's
 * code: a schema change without a re-run fails here, naming the file and the command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { generatedFiles } from '../../docs/generate.js';

const root = join(import.meta.dirname, '../..');

for (const file of generatedFiles) {
	test(`${file.path} is the generated one`, (t) => {
		const committed = readFileSync(join(root, file.path), 'utf8');
		t.true(committed === file.render(), `${file.path} differs from what the code generates; run \`npm run docs\` and commit the result`);
	});
}

test('the reference page lists every field, e.g. categorical choices, pbt population and the bandit hidden size', (t) => {
	const page = generatedFiles.find((f) => f.path === 'docs/reference/study-file.md')?.render() ?? '';
	t.regex(page, /### `type: categorical`\n\nOne of a list of values\.\n\n\| field \|.*\n\|---.*\n\| `choices` \| list of number or string or boolean \| \*\*required\*\* \| at least 1 item \|/);
	t.regex(page, /\| `population` \| int \| `3` \| >= 2, <= 8 \|/);
	t.regex(page, /\| `hidden` \| int \| `48` \| >= 1, <= 1024 \| LSTM units \|/);
	t.regex(page, /\| `acquisition` \| string \| `log_ei` \| `log_ei`, `ucb` \|/);
	t.regex(page, /## Checked when the study loads\n\n.*\n\n- `space`: a float or int param has `low` <= `high`/);
});
