import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { InputError, LockError, StudyChangedError } from '../../../src/core/errors.js';
import { Journal, readJournal, type JournalRecord } from '../../../src/study/journal/journal.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';
import { tempDir } from '../helpers.js';

const doc = {
	name: 'j',
	objective: { module: './unused.js' },
	space: { x: { type: 'float', low: 0, high: 1 }, k: { type: 'categorical', choices: ['a', 'b'] } },
	searcher: { kind: 'random', seed: 3 },
	budget: 6,
};

const objective = (p: Record<string, unknown>) => Number(p.x);

test('replay restores every complete record; a torn last line is skipped with a warning', async (t) => {
	const results = tempDir();
	const study = await Study.open(parseStudyDocument(doc), { resultsDir: results });
	await runStudy(study, { objective, concurrency: 2 });
	study.close();
	const path = join(results, 'j', 'journal.jsonl');
	const before = readJournal(path);
	t.is(before.filter((r) => r.type === 'complete').length, 6);
	appendFileSync(path, '{"type":"complete","at":"2026-01-01T00:00:00Z","tri'); // torn write
	const warnings: string[] = [];
	const after = readJournal(path, (m) => warnings.push(m));
	t.deepEqual(after, before);
	t.is(warnings.length, 1);
	t.regex(warnings[0] ?? '', /incomplete/);
	// Under the lock the torn fragment is closed with a newline, so later appends stay valid lines.
	const journal = new Journal(path, (m) => warnings.push(m));
	t.deepEqual(journal.readNew(true), before);
	t.regex(warnings[1] ?? '', /torn write/);
	const extra: JournalRecord = { type: 'failed', at: 'now', trial: 99, reason: 'threw', message: 'x', wall_ms: 1 };
	journal.append([extra], true);
	t.deepEqual(journal.readNew(true), [extra]);
	journal.close();
	const replayed = readJournal(path, (m) => warnings.push(m));
	t.deepEqual(replayed, [...before, extra]);
	t.regex(warnings.at(-1) ?? '', /not valid JSON/);
});

test('resuming a finished study runs nothing; a compatible change (budget) extends it', async (t) => {
	const results = tempDir();
	const first = await Study.open(parseStudyDocument(doc), { resultsDir: results });
	t.is((await runStudy(first, { objective, concurrency: 1 })).completed, 6);
	first.close();
	const again = await Study.open(parseStudyDocument(doc), { resultsDir: results });
	t.is((await runStudy(again, { objective, concurrency: 1 })).completed, 0);
	again.close();
	const more = await Study.open(parseStudyDocument({ ...doc, budget: 8 }), { resultsDir: results });
	t.is((await runStudy(more, { objective, concurrency: 2 })).completed, 2);
	const params = more.trials().map((tr) => tr.asked.params.x);
	t.is(new Set(params).size, 8, 'random continues its sequence, no replayed points');
	more.close();
});

test('an incompatible change throws StudyChangedError naming it; --fresh archives the old journal', async (t) => {
	const results = tempDir();
	const s = await Study.open(parseStudyDocument(doc), { resultsDir: results });
	await runStudy(s, { objective, concurrency: 1 });
	s.close();
	const changed = { ...doc, space: { ...doc.space, x: { type: 'float', low: 0, high: 2 } } };
	const error = await t.throwsAsync(Study.open(parseStudyDocument(changed, 's.yaml'), { resultsDir: results, file: 's.yaml' }), { instanceOf: StudyChangedError });
	t.deepEqual(error?.changes, ['space.x.high: 1 -> 2']);
	t.regex(error?.message ?? '', /--fresh/);
	const fresh = await Study.open(parseStudyDocument(changed), { resultsDir: results, fresh: true });
	t.is(fresh.trials().length, 0);
	fresh.close();
	const archived = readdirSync(join(results, 'j', 'archive'));
	t.is(archived.length, 1);
	const entry = join(results, 'j', 'archive', archived[0] as string);
	t.is(fresh.archived?.journal, join(entry, 'journal.jsonl'));
	t.is(
		readFileSync(join(entry, 'journal.jsonl'), 'utf8')
			.split('\n')
			.filter((l) => l.includes('"complete"')).length,
		6,
	);
});

test('fresh while another Study of the study is open: LockError naming its pid, nothing archived; after it closes, fresh archives', async (t) => {
	const results = tempDir();
	const running = await Study.open(parseStudyDocument(doc), { resultsDir: results });
	await runStudy(running, { objective, concurrency: 1 });
	const error = await t.throwsAsync(Study.open(parseStudyDocument(doc), { resultsDir: results, fresh: true }), { instanceOf: LockError });
	t.regex(error?.message ?? '', new RegExp(`--fresh refused: the study is being run by this process \\(pid ${process.pid} on host `));
	t.false(existsSync(join(results, 'j', 'archive')));
	t.is(running.trials().length, 6, 'the open study keeps its journal');
	running.close();
	const fresh = await Study.open(parseStudyDocument(doc), { resultsDir: results, fresh: true });
	t.truthy(fresh.archived);
	t.is(fresh.trials().length, 0);
	fresh.close();
});

test('resultsDir that cannot be a folder: InputError naming it, at once', async (t) => {
	const dir = tempDir();
	writeFileSync(join(dir, 'afile'), 'x');
	for (const resultsDir of [join(dir, 'afile'), '/sys/metatune-x']) {
		await t.throwsAsync(Study.open(parseStudyDocument(doc), { resultsDir }), { instanceOf: InputError, message: /^resultsDir: cannot use / });
	}
});

test('a journal without a study record is refused', async (t) => {
	const results = tempDir();
	const dir = join(results, 'j');
	const { mkdirSync } = await import('node:fs');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'journal.jsonl'), '{"type":"running","at":"x","trial":0,"owner":{"host":"h","pid":1,"run":"r"}}\n');
	await t.throwsAsync(Study.open(parseStudyDocument(doc), { resultsDir: results }), { message: /no study record/ });
	t.true(existsSync(join(dir, 'journal.jsonl')));
});
