/**
 * The server's incremental study model (src/serve/live-study.ts, lifetimes.ts) against the batch
 * readers: record by record, the per-arm counts equal `armCounts` over the replayed study, and the
 * lifetime table sorts, filters and pages every trial.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { LiveStudy } from '../../src/serve/live-study.js';
import { readJournal } from '../../src/study/journal/journal.js';
import { loadStoredStudy } from '../../src/study/stored.js';
import { armCounts } from '../../src/study/view.js';
import { root } from '../study/helpers.js';

const committed = readdirSync(join(root, 'results'), { withFileTypes: true })
	.filter((e) => e.isDirectory())
	.map((e) => e.name);

test('record by record, the live counts equal armCounts of the whole replay for every committed study', (t) => {
	t.true(committed.length >= 5);
	for (const name of committed) {
		const journal = join(root, 'results', name, 'journal.jsonl');
		const records = readJournal(journal, () => undefined);
		const live = new LiveStudy(name, journal, join(root, 'results', name), () => undefined);
		// in uneven batches, as a tail reads them
		for (let i = 0; i < records.length; i += 1 + (i % 7)) live.apply(records.slice(i, i + 1 + (i % 7)));
		const batch = armCounts(loadStoredStudy(journal, { warn: () => undefined }));
		t.deepEqual(
			live.armTallies().map(({ arm, ended, total, failed, best }) => ({ arm, ended, total, failed, best })),
			batch,
			name,
		);
		t.is(live.lifetimes.query({ sort: 'trial', dir: 'asc', filter: '', page: 0, size: 10 }).total, records.filter((r) => r.type === 'asked').length, name);
	}
});

test('the lifetime table sorts by any column, filters by text and pages, server-side', (t) => {
	const journal = join(root, 'results', 'discount-comparison', 'journal.jsonl');
	const records = readJournal(journal);
	const live = new LiveStudy('d', journal, '', () => undefined);
	live.apply(records);
	const complete = records.filter((r) => r.type === 'complete').map((r) => (r as { value: number }).value);
	const byValue = live.lifetimes.query({ sort: 'value', dir: 'desc', filter: '', page: 0, size: 5 });
	t.deepEqual(
		byValue.rows.map((r) => r.value),
		[...complete].sort((a, b) => b - a).slice(0, 5),
	);
	const asc = live.lifetimes.query({ sort: 'value', dir: 'asc', filter: '', page: 0, size: 500 });
	t.is(asc.rows[0]?.value, Math.min(...complete));
	const grid = live.lifetimes.query({ sort: 'trial', dir: 'asc', filter: 'grid', page: 0, size: 500 });
	t.true(grid.matched > 0 && grid.matched < grid.total);
	t.true(grid.rows.every((r) => r.arm === 'grid'));
	const pages = [0, 1, 2].map((page) => live.lifetimes.query({ sort: 'trial', dir: 'asc', filter: '', page, size: 10 }).rows.map((r) => r.trial));
	t.deepEqual(pages.flat(), [...Array(30).keys()]);
	const last = live.lifetimes.query({ sort: 'trial', dir: 'asc', filter: '', page: 999, size: 10 });
	t.is(last.page, Math.ceil(last.total / 10) - 1, 'a page past the end gives the last page');
});

test('a record appended later updates its row (once the bounded re-sort rate allows: next_ms) and the counts without a replay', async (t) => {
	const journal = join(root, 'results', 'discount-comparison', 'journal.jsonl');
	const records = readJournal(journal);
	const cut = records.findIndex((r) => r.type === 'complete');
	const live = new LiveStudy('d', journal, '', () => undefined);
	live.apply(records.slice(0, cut));
	const trial = (records[cut] as { trial: number }).trial;
	const row = () => live.lifetimes.query({ sort: 'trial', dir: 'asc', filter: '', page: 0, size: 500 }).rows.find((r) => r.trial === trial);
	t.not(row()?.state, 'complete');
	const before = live.version;
	live.apply([records[cut] as (typeof records)[number]]);
	const wait = live.lifetimes.query({ sort: 'trial', dir: 'asc', filter: '', page: 0, size: 500 }).next_ms;
	if (wait > 0) await new Promise((r) => setTimeout(r, wait + 5));
	t.is(row()?.state, 'complete');
	t.is(live.lifetimes.query({ sort: 'trial', dir: 'asc', filter: '', page: 0, size: 500 }).next_ms, 0);
	t.true(live.version > before);
	t.is(
		live.armTallies().reduce((s, a) => s + a.ended, 0),
		1,
	);
});
