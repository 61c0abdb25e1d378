/**
 * Incremental replay and batched, durable journal writes: only new bytes are read, records another
 * process appends are seen, torn and half-written lines are handled, the runner takes the lock once
 * per trial and fsyncs exactly the batches holding records a resume depends on.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { encodeRecord, Journal, readJournal, type AskedRecord, type JournalRecord } from '../../../src/study/journal/journal.js';
import { FileLock } from '../../../src/study/journal/lock.js';
import { Profile } from '../../../src/study/journal/profile.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { StudyState } from '../../../src/study/journal/state.js';
import { sessionOf, Study } from '../../../src/study/study.js';
import { JournalWriter } from '../../../src/study/journal/writer.js';
import { tempDir } from '../helpers.js';

const owner = { host: 'h', pid: 1, run: 'r' };
const asked = (trial: number, note = ''): AskedRecord => ({
	type: 'asked',
	at: 't',
	trial,
	arm: 'a',
	purpose: 'search',
	slot: trial,
	attempt: 1,
	params: { x: trial },
	seed: trial,
	owner,
	...(note ? { note } : {}),
});
const line = (r: JournalRecord) => `${JSON.stringify(r)}\n`;

/** Append text to a file from a separate node process. */
function appendFromAnotherProcess(path: string, text: string): void {
	execFileSync(process.execPath, ['-e', 'require("node:fs").appendFileSync(process.argv[1], process.argv[2])', path, text]);
}

test("readNew reads only the bytes appended since the last call, including another process's records and a line it completes later", (t) => {
	const path = join(tempDir(), 'journal.jsonl');
	appendFileSync(path, line(asked(0)) + line(asked(1)));
	const warnings: string[] = [];
	const journal = new Journal(path, (m) => warnings.push(m));
	t.deepEqual(journal.readNew(false), [asked(0), asked(1)]);
	t.deepEqual(journal.readNew(false), [], 'nothing new, nothing read again');
	const full = line(asked(2, 'from the other process'));
	appendFromAnotherProcess(path, line(asked(3)) + full.slice(0, 20));
	t.deepEqual(journal.readNew(false), [asked(3)], 'the half-written line waits (no lock: it may be a write in progress)');
	t.true(journal.hasPartialLine());
	appendFromAnotherProcess(path, full.slice(20));
	t.deepEqual(journal.readNew(false), [asked(2, 'from the other process')]);
	t.false(journal.hasPartialLine());
	t.deepEqual(warnings, []);
	journal.close();
});

test('a torn last line is skipped under the lock, closed with a newline, and later writes stay valid lines', (t) => {
	const path = join(tempDir(), 'journal.jsonl');
	appendFileSync(path, line(asked(0)));
	const warnings: string[] = [];
	const journal = new Journal(path, (m) => warnings.push(m));
	t.deepEqual(journal.readNew(true), [asked(0)]);
	appendFromAnotherProcess(path, line(asked(1)).slice(0, 30)); // a writer died mid-append
	t.deepEqual(journal.readNew(true), []);
	t.is(warnings.length, 1);
	t.regex(warnings[0] ?? '', /line 2 is a torn write \(30 bytes/);
	const encoded = encodeRecord(asked(2));
	journal.write([encoded.line]);
	t.deepEqual(journal.readNew(true), [], 'own writes are not read back');
	journal.close();
	const records: string[] = [];
	t.deepEqual(
		readJournal(path, (m) => records.push(m)),
		[asked(0), asked(2)],
	);
	t.regex(records[0] ?? '', /line 2 is not valid JSON/);
});

test('a multi-byte character split across reads (64 KiB chunks, or a write in progress) is decoded intact', (t) => {
	const path = join(tempDir(), 'journal.jsonl');
	const big = asked(0, 'é'.repeat(40_000)); // 80 KB of two-byte characters: crosses the 64 KiB chunk
	const text = line(big) + line(asked(1, 'ünïcødé ✓'));
	const bytes = Buffer.from(text);
	const cut = bytes.length - 5; // inside the last line's multi-byte characters
	appendFileSync(path, bytes.subarray(0, cut));
	const journal = new Journal(path, () => t.fail('no warning expected'));
	t.deepEqual(journal.readNew(false), [big]);
	appendFileSync(path, bytes.subarray(cut));
	t.deepEqual(journal.readNew(false), [asked(1, 'ünïcødé ✓')]);
	journal.close();
});

const doc = {
	name: 'r',
	objective: { module: './unused.js' },
	space: { x: { type: 'float', low: 0, high: 1 } },
	searcher: { kind: 'random', seed: 1 },
	budget: 12,
};

test("two studies on one journal (two processes) see each other's records incrementally and never reuse a trial number", async (t) => {
	const results = tempDir();
	const a = await Study.open(parseStudyDocument(doc), { resultsDir: results });
	const b = await Study.open(parseStudyDocument(doc), { resultsDir: results });
	const ta = await a.ask();
	const tb = await b.ask();
	t.deepEqual([ta?.number, tb?.number], [0, 1]);
	t.notDeepEqual(ta?.params, tb?.params, "b continued the random sequence after a's trial");
	await a.tell(0, 0.5);
	t.is(b.trials().find((tr) => tr.asked.trial === 0)?.phase, 'complete', "b replays a's complete record without the lock");
	await b.tell(1, 0.25);
	await runStudy(b, { objective: () => 1, concurrency: 2 });
	await runStudy(a, { objective: () => 1, concurrency: 1 });
	const records = readJournal(a.journalPath);
	const numbers = records.filter((r): r is AskedRecord => r.type === 'asked').map((r) => r.trial);
	t.deepEqual(numbers, [...numbers.keys()], 'trial numbers 0..n-1, each once');
	t.is(records.filter((r) => r.type === 'complete').length, 12);
	t.deepEqual(
		a.trials().map((tr) => tr.phase),
		b.trials().map((tr) => tr.phase),
	);
	a.close();
	b.close();
});

test('the runner takes the lock once per trial and fsyncs the study record plus one batch per trial', async (t) => {
	const results = tempDir();
	const profile = new Profile();
	const study = await Study.open(parseStudyDocument(doc), { resultsDir: results, profile });
	const opened = { ...sessionOf(study).lockStats };
	const synced = profile.calls.fsync;
	t.is(synced, 1, 'the study record');
	const summary = await runStudy(study, { objective: (p) => Number(p.x), concurrency: 1 });
	t.is(summary.completed, 12);
	const { batches, ops } = sessionOf(study).lockStats;
	// one next() to start, then one finishAndNext per trial (the last one answers "done")
	t.is(ops - opened.ops, 13);
	t.is(batches - opened.batches, 13);
	t.is(profile.calls.fsync - synced, 13, 'every batch held an asked or complete record');
	const text = readFileSync(study.journalPath, 'utf8');
	t.is(text.split('\n').filter((l) => l.includes('"type":"running"')).length, 12);
	t.true(
		readdirSync(join(results, 'r', 'owners')).some((f) => f.endsWith('.lock')),
		'the lock ticket, while open',
	);
	study.close();
	t.deepEqual(readdirSync(join(results, 'r', 'owners')), [], 'presence file and lock ticket removed on close');
});

test('lanes finishing while a batch holds the lock share the next lock hold (concurrency 4)', async (t) => {
	const study = await Study.open(parseStudyDocument({ ...doc, budget: 40 }), { resultsDir: tempDir() });
	const before = { ...sessionOf(study).lockStats };
	const summary = await runStudy(study, { objective: async (p) => Number(p.x), concurrency: 4 });
	t.is(summary.completed, 40);
	const batches = sessionOf(study).lockStats.batches - before.batches;
	const ops = sessionOf(study).lockStats.ops - before.ops;
	t.true(ops >= 44, `${ops} operations`);
	t.true(batches < ops, `${batches} lock holds for ${ops} operations`);
	t.log(`${batches} lock holds for ${ops} journal operations`);
	study.close();
});

test('a failed journal write rejects its batch and every later operation (the state may be ahead of the file)', async (t) => {
	const dir = tempDir();
	const path = join(dir, 'journal.jsonl');
	appendFileSync(path, '');
	const journal = new Journal(path);
	const failing = Object.assign(Object.create(journal) as Journal, {
		write: () => {
			throw new Error('ENOSPC: no space left on device');
		},
	});
	const writer = new JournalWriter(failing, new FileLock(join(dir, 'journal.lock'), owner), new StudyState());
	await t.throwsAsync(
		writer.submit((stage) => stage(asked(0)), false),
		{ message: /ENOSPC/ },
	);
	await t.throwsAsync(
		writer.submit(() => 1, false),
		{ message: /ENOSPC/ },
	);
	t.is(statSync(path).size, 0);
	journal.close();
});
