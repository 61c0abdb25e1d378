/**
 * Following a journal file (src/serve/tail-file.ts): appended lines are applied as they come (a
 * line written in two parts only once whole), a corrupted line gives the warning `metatune status`
 * gives, and a journal replaced (`run --fresh`) or deleted while followed is read again from its
 * start or waited for, without stopping. A large journal is caught up on in batches, and the text
 * handed to the view worker parses to the same records.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { LiveStudy } from '../../src/serve/live-study.js';
import { FileTail } from '../../src/serve/tail-file.js';
import { placeAt } from '../../src/study/journal/check.js';
import { type JournalRecord, readJournalLines, recordsOfLines } from '../../src/study/journal/journal.js';
import { root, tempDir, waitFor } from '../study/helpers.js';

const source = readFileSync(join(root, 'results', 'discount-comparison', 'journal.jsonl'), 'utf8')
	.split('\n')
	.filter((l) => l !== '');

function follow(t: import('ava').ExecutionContext, path: string) {
	const warnings: string[] = [];
	let changes = 0;
	const live = new LiveStudy('s', path, join(path, '..'), (m) => warnings.push(m));
	const tail = new FileTail(path, live, () => changes++, 50);
	tail.start();
	t.teardown(() => tail.close());
	return { live, tail, warnings, changes: () => changes };
}

const trials = (live: LiveStudy) => live.state.trials.filter((x) => x !== undefined).length;

test('appended lines are applied as they are written; a line written in two parts only once it is whole', async (t) => {
	const dir = tempDir();
	const path = join(dir, 'journal.jsonl');
	writeFileSync(path, `${source.slice(0, 3).join('\n')}\n`);
	const { live, changes } = follow(t, path);
	t.is(trials(live), source.slice(0, 3).filter((l) => l.includes('"asked"')).length);
	const asked = source.findIndex((l, i) => i >= 3 && l.includes('"asked"'));
	const lines = source.slice(3, asked + 1);
	appendFileSync(path, `${lines.join('\n')}\n`);
	await waitFor(() => live.state.trials[JSON.parse(source[asked] as string).trial] !== undefined, 5000);
	const next = source.slice(asked + 1).find((l) => l.includes('"asked"')) as string;
	const half = Math.floor(next.length / 2);
	const seen = changes();
	appendFileSync(path, next.slice(0, half));
	await new Promise((r) => setTimeout(r, 300));
	t.is(live.state.trials[JSON.parse(next).trial], undefined, 'half a line is not read');
	t.is(changes(), seen);
	appendFileSync(path, `${next.slice(half)}\n`);
	await waitFor(() => live.state.trials[JSON.parse(next).trial] !== undefined, 5000);
	t.deepEqual(live.warnings, []);
});

test('a corrupted line: the same warning as the CLI readers, and the records after it still come', async (t) => {
	const dir = tempDir();
	const path = join(dir, 'journal.jsonl');
	writeFileSync(path, `${source.slice(0, 5).join('\n')}\nnot json at all\n${source.slice(5, 10).join('\n')}\n`);
	const cli: string[] = [];
	readJournalLines(path, (m) => cli.push(m));
	const { live } = follow(t, path);
	t.true(cli.length >= 1);
	t.deepEqual(live.warnings.slice(0, cli.length), cli);
	t.is(trials(live), source.slice(0, 10).filter((l) => l.includes('"asked"')).length);
});

test('a journal replaced (run --fresh) is read again from its start; a deleted one is waited for, then followed again', async (t) => {
	const dir = tempDir();
	const study = join(dir, 'study');
	mkdirSync(study);
	const path = join(study, 'journal.jsonl');
	writeFileSync(path, `${source.join('\n')}\n`);
	const { live } = follow(t, path);
	const all = trials(live);
	t.true(all > 10);
	// --fresh: the journal moves to archive/, a new one starts
	mkdirSync(join(study, 'archive'));
	renameSync(path, join(study, 'archive', 'journal.jsonl'));
	writeFileSync(path, `${source.slice(0, 4).join('\n')}\n`);
	await waitFor(() => trials(live) < all, 5000);
	t.is(trials(live), source.slice(0, 4).filter((l) => l.includes('"asked"')).length);
	t.regex(live.warnings.join('\n'), /the journal was replaced/);
	rmSync(study, { recursive: true });
	await waitFor(() => live.warnings.some((w) => /the journal is gone/.test(w)), 5000);
	t.is(live.stored(), undefined);
	mkdirSync(study);
	writeFileSync(path, `${source.slice(0, 6).join('\n')}\n`);
	await waitFor(() => live.stored() !== undefined && !live.warnings.some((w) => /gone/.test(w)), 5000);
	t.is(trials(live), source.slice(0, 6).filter((l) => l.includes('"asked"')).length);
});

test('a journal is caught up on in batches, its progress shown meanwhile; the text of each batch parses to the same records for the view worker', async (t) => {
	const dir = tempDir();
	const path = join(dir, 'journal.jsonl');
	// a corrupted line and a blank one inside: both readers skip them, and the places after them agree
	writeFileSync(path, `${source.slice(0, 12).join('\n')}\nnot json at all\n\n${source.slice(12).join('\n')}\n`);
	const whole = readJournalLines(path, () => undefined).records;
	const live = new LiveStudy('s', path, dir, () => undefined);
	const batches: { records: readonly JournalRecord[]; again: JournalRecord[] }[] = [];
	live.onChange((change) => {
		if (change.kind === 'records' && change.lines !== undefined) batches.push({ records: change.records, again: recordsOfLines(path, change.lines.text, change.lines.firstLine) });
	});
	const progress: number[] = [];
	const tail = new FileTail(path, live, () => progress.push(live.loading?.read ?? -1), 60_000, 7);
	tail.start();
	t.teardown(() => tail.close());
	t.not(live.loading, undefined, 'one batch read at start, the rest to come');
	await waitFor(() => live.loading === undefined, 5000);
	t.true(batches.length >= 3);
	t.is(progress.at(-1), -1, 'the end of the read is a change too');
	const read = progress.slice(0, -1);
	t.deepEqual(
		read,
		[...read].sort((a, b) => a - b),
	);
	t.deepEqual(
		batches.flatMap((b) => b.records),
		whole,
	);
	for (const b of batches) {
		t.deepEqual(b.again, b.records);
		t.deepEqual(
			b.again.map((_, i) => placeAt(b.again, i)),
			b.records.map((_, i) => placeAt(b.records, i)),
		);
	}
	t.is(placeAt(whole, whole.length - 1), `line ${source.length + 2}`);
	t.is(placeAt(whole, 12), 'line 15', 'the first record after the corrupted and the blank line');
	t.is(trials(live), whole.filter((r) => r.type === 'asked').length);
});
