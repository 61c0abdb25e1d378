/**
 * Format compatibility of the committed studies (as Optuna's journal log-compatibility tests): the
 * journals under results/ replayed by this code give, line for line, the comparison tables README.md
 * shows for them. A change in how any record is read (a value, a status, a seed, a wall time) changes
 * a cell and fails here; so does a README table edited away from what the journal holds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../cli-capture.js';
import { root } from '../study/helpers.js';

const committed = ['discount-comparison', 'discount-two-armed'];

/** The first markdown table after the README paragraph that opens with `studies/<name>.yaml`, by line. */
function readmeTable(readme: string, name: string): string[] {
	const lines = readme.split('\n');
	const mention = lines.findIndex((l) => l.startsWith(`\`studies/${name}.yaml\``));
	if (mention < 0) throw new Error(`README.md: no paragraph opening with \`studies/${name}.yaml\``);
	let i = mention + 1;
	while (i < lines.length && !(lines[i] as string).startsWith('|')) {
		if ((lines[i] as string).startsWith('#')) throw new Error(`README.md: no table after the mention of ${name} (line ${mention + 1}) before the next heading`);
		i++;
	}
	const table: string[] = [];
	while (i < lines.length && (lines[i] as string).startsWith('|')) table.push(lines[i++] as string);
	return table;
}

for (const name of committed) {
	test(`results/${name}/journal.jsonl replays to the README's table, line for line`, async (t) => {
		t.true(existsSync(join(root, 'results', name, 'journal.jsonl')), 'the committed journal is there');
		const expected = readmeTable(readFileSync(join(root, 'README.md'), 'utf8'), name);
		t.true(expected.length >= 3, `README.md: the table of ${name} has a header, a rule and rows`);
		const ran = await runCli(['compare', name, '--results', join(root, 'results'), '--format', 'markdown']);
		t.is(ran.code, 0, ran.stderr);
		t.is(ran.stderr, '', 'no warnings while replaying');
		t.deepEqual(ran.stdout.replace(/\n$/, '').split('\n'), expected);
	});
}
