/**
 * `Journal.readNew(locked, atLeast)`: a reader catching up on a large journal in batches (serve's
 * tail-file.ts) gets the same records, in order, with the same warnings and line numbers, as one
 * read of the whole file; only the last batch may be shorter, and an empty one means the end.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { Journal, type JournalRecord } from '../../../src/study/journal/journal.js';
import { tempDir } from '../helpers.js';

const owner = { host: 'h', pid: 1, run: 'r' };

test('reading in batches gives the records and warnings of one read of the whole journal', (t) => {
	const path = join(tempDir(), 'journal.jsonl');
	const lines: string[] = [];
	for (let trial = 0; trial < 6000; trial++) {
		lines.push(JSON.stringify({ type: 'asked', at: 'now', trial, arm: 'a', purpose: 'search', slot: trial, attempt: 1, params: { x: trial / 6000 }, seed: trial, owner }));
		lines.push(trial === 4321 ? '{"type":"complete","at":"now","trial":4321,"value":"oops"}' : JSON.stringify({ type: 'complete', at: 'now', trial, value: trial, fields: {}, wall_ms: 1 }));
	}
	writeFileSync(path, `${lines.join('\n')}\n{"type":"comp`);
	const wholeWarnings: string[] = [];
	const whole = new Journal(path, (m) => wholeWarnings.push(m), true).readNew(false);
	t.is(whole.length, 11_999);
	t.is(wholeWarnings.length, 1);
	const batchWarnings: string[] = [];
	const journal = new Journal(path, (m) => batchWarnings.push(m), true);
	const batches: JournalRecord[][] = [];
	for (let b = journal.readNew(false, 1000); b.length > 0; b = journal.readNew(false, 1000)) batches.push(b);
	t.true(batches.length >= 10, `${batches.length} batches`);
	for (const b of batches.slice(0, -1)) t.true(b.length >= 1000);
	t.deepEqual(batches.flat(), whole);
	t.deepEqual(batchWarnings, wholeWarnings);
	t.true(journal.hasPartialLine(), 'the torn last line is left for a later read');
});
