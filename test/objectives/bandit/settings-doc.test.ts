/**
 * The docs' table (docs/objectives.md) of the bandit objective's settings is the one generated from the validation's
 * schema, and every setting of the schema is described. After changing the schema, paste the output
 * of `banditSettingsTable()` between the bandit-settings markers of docs/objectives.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { banditSettingsTable, settingDocs } from '../../../src/objectives/bandit/settings-doc.js';
import { banditObjectiveSchema } from '../../../src/objectives/bandit/settings.js';

test('docs/objectives.md bandit settings table equals the one generated from banditObjectiveSchema', (t) => {
	const readme = readFileSync(join(import.meta.dirname, '../../../docs/objectives.md'), 'utf8');
	const block = /<!-- bandit-settings:begin -->\n([\s\S]*?)\n<!-- bandit-settings:end -->/.exec(readme)?.[1];
	t.truthy(block, 'docs/objectives.md has the bandit-settings block');
	t.is(block, banditSettingsTable());
});

test('every setting of the schema has a description and a row, and no other does', (t) => {
	const names = Object.keys(banditObjectiveSchema.shape).sort();
	t.deepEqual(Object.keys(settingDocs).sort(), names);
	const rows = banditSettingsTable()
		.split('\n')
		.slice(2)
		.map((r) => /^\| `([a-z0-9_]+)` \|/.exec(r)?.[1]);
	t.deepEqual([...rows].sort(), names);
	// ranges come from the schema: lr must be > 0, hidden 1..1024
	t.regex(banditSettingsTable(), /\| `lr` \| number \| 0\.02 \| > 0 \|/);
	t.regex(banditSettingsTable(), /\| `hidden` \| int \| 48 \| >= 1, <= 1024 \|/);
});
