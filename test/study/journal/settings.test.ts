/**
 * Changing a study's mutable fields (budget, reevaluate) between runs: the journal records the new
 * values (a `settings` record) and status, the view's counts and the report's settings read them.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { studyStatus } from '../../../src/report/status.js';
import { settingsRows } from '../../../src/report/plots/settings.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { loadStoredStudy } from '../../../src/study/stored.js';
import { Study } from '../../../src/study/study.js';
import { armCounts } from '../../../src/study/view.js';
import { tempDir } from '../helpers.js';

const doc = (budget: number, reevaluate: number) => ({
	name: 'grown',
	objective: { module: 'unused.js' },
	space: { x: { type: 'float', low: 0, high: 1 } },
	searchers: [{ kind: 'random', seed: 1 }],
	budget,
	reevaluate,
});

async function runAll(results: string, budget: number, reevaluate: number): Promise<number> {
	const study = await Study.open(parseStudyDocument(doc(budget, reevaluate)), { resultsDir: results });
	let n = 0;
	try {
		for (let t = await study.ask(); t !== undefined; t = await study.ask()) {
			await study.tell(t.number, Number(t.params.x));
			n++;
		}
	} finally {
		study.close();
	}
	return n;
}

test('a raised budget and reevaluate are recorded in the journal and counted against', async (t) => {
	const results = tempDir('metatune-settings-');
	t.is(await runAll(results, 2, 0), 2);
	t.is(await runAll(results, 3, 1), 2); // one more search lifetime, one re-evaluation
	const stored = loadStoredStudy('grown', { resultsDir: results });
	t.is(stored.spec.budget, 3);
	t.is(stored.spec.reevaluate, 1);
	t.deepEqual(
		armCounts(stored).map((c) => [c.ended, c.total]),
		[[4, 4]],
	);
	const text = studyStatus(stored);
	t.regex(text, /budget 3 per arm, repeats 1, reevaluate 1/);
	t.regex(text, /^4\/4 lifetimes ended \(complete\)/m);
	// the report's settings rows agree with its table
	const budget = settingsRows(stored).find(([k]) => k === 'Budget')?.[1] ?? '';
	t.regex(budget, /^3 lifetimes per arm, 1 per configuration, 1 re-evaluations/);
	const records = readFileSync(join(results, 'grown', 'journal.jsonl'), 'utf8')
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l) as { type: string; spec?: { budget: number } });
	t.deepEqual(
		records.filter((r) => r.type === 'settings').map((r) => r.spec?.budget),
		[3],
	);
});

test('reopening with unchanged settings writes no settings record', async (t) => {
	const results = tempDir('metatune-settings-');
	await runAll(results, 2, 0);
	await runAll(results, 2, 0);
	const text = readFileSync(join(results, 'grown', 'journal.jsonl'), 'utf8');
	t.false(text.includes('"type":"settings"'));
});

test('a lowered budget never shows more lifetimes ended than planned', async (t) => {
	const results = tempDir('metatune-settings-');
	await runAll(results, 3, 0);
	t.is(await runAll(results, 2, 0), 0);
	const stored = loadStoredStudy('grown', { resultsDir: results });
	t.regex(studyStatus(stored), /^3\/3 lifetimes ended \(complete\)/m);
});
