/** A corrupted record in the middle of a journal: the runner refuses (never writes past it), readers warn, --fresh recovers. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { StateError } from '../../../src/core/errors.js';
import { readJournal } from '../../../src/study/journal/journal.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudySpec } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';
import { tempDir } from '../helpers.js';

const spec = parseStudySpec({
	name: 'c',
	objective: { module: './unused.js' },
	space: { x: { type: 'float', low: 0, high: 1 } },
	searcher: { kind: 'grid', points: 5 },
	budget: 5,
});
const objective = (p: Record<string, unknown>) => Number(p.x);

/** A finished 5-lifetime grid study; returns its journal path. */
async function finished(results: string): Promise<string> {
	const study = await Study.open(spec, { resultsDir: results });
	await runStudy(study, { objective, concurrency: 1 });
	study.close();
	return join(results, 'c', 'journal.jsonl');
}

/** Replace line `n` (1-based) of the file with `edit(line)`. */
function editLine(path: string, n: number, edit: (line: string) => string): void {
	const lines = readFileSync(path, 'utf8').split('\n');
	lines[n - 1] = edit(lines[n - 1] as string);
	writeFileSync(path, lines.join('\n'));
}

/** The line number of trial `trial`'s asked record. */
function askedLine(path: string, trial: number): number {
	return (
		readFileSync(path, 'utf8')
			.split('\n')
			.findIndex((l) => l.includes('"type":"asked"') && l.includes(`"trial":${trial},`)) + 1
	);
}

for (const [what, edit, message] of [
	['overwritten with X', (l: string) => 'X'.repeat(l.length), /corrupted record at line (\d+) \(not valid JSON/],
	['cut short like a torn write', (l: string) => l.slice(0, 30), /corrupted record at line (\d+): the asked record of trial 1 is missing/],
] as const) {
	test(`an asked record in the middle ${what}: run refuses with one line naming it and writes nothing`, async (t) => {
		const results = tempDir();
		const path = await finished(results);
		const line = askedLine(path, 1);
		t.true(line > 1);
		editLine(path, line, edit);
		const before = readFileSync(path);
		const warnings: string[] = [];
		const error = await t.throwsAsync(
			async () => {
				const study = await Study.open(spec, { resultsDir: results, warn: (m) => warnings.push(m) });
				// without the check the study opens and then appends without bound: stop it after 20 lifetimes
				const stop = new AbortController();
				let started = 0;
				try {
					await runStudy(study, { objective, concurrency: 1, stop: stop.signal, onEvent: (e) => e.type === 'started' && ++started > 20 && stop.abort() });
				} finally {
					study.close();
				}
			},
			{ instanceOf: StateError },
		);
		t.regex(error?.message ?? '', message);
		t.is(Number(message.exec(error?.message ?? '')?.[1]), line);
		t.regex(error?.message ?? '', /--fresh/);
		t.false((error?.message ?? '').includes('torn write'));
		t.false((error?.message ?? '').includes('\n'));
		t.deepEqual(readFileSync(path), before, 'the journal is unchanged');
	});
}

test('readers warn "corrupted record at line N" (not "torn write"); --fresh archives the journal and starts over', async (t) => {
	const results = tempDir();
	const path = await finished(results);
	const line = askedLine(path, 2);
	editLine(path, line, (l) => 'X'.repeat(l.length));
	const warnings: string[] = [];
	t.is(readJournal(path, (m) => warnings.push(m)).length, 1 + 5 * 3 - 1);
	t.is(warnings.length, 1);
	t.regex(warnings[0] ?? '', new RegExp(`corrupted record at line ${line} `));
	t.notRegex(warnings[0] ?? '', /torn/);
	const fresh = await Study.open(spec, { resultsDir: results, fresh: true });
	t.is((await runStudy(fresh, { objective, concurrency: 1 })).completed, 5);
	fresh.close();
});

test('a torn write closed on resume stays readable: the study resumes past it exactly', async (t) => {
	const results = tempDir();
	const study = await Study.open(spec, { resultsDir: results });
	const first = await study.ask();
	t.truthy(first);
	study.close();
	const path = join(results, 'c', 'journal.jsonl');
	// a process died mid-append: the next asked record is cut short (no newline)
	writeFileSync(path, `${readFileSync(path, 'utf8')}{"type":"asked","at":"2026-01-01T00:00:00Z","tri`);
	const resumed = await Study.open(spec, { resultsDir: results, warn: () => undefined });
	t.is((await runStudy(resumed, { objective, concurrency: 1 })).completed, 5);
	resumed.close();
	const warnings: string[] = [];
	const records = readJournal(path, (m) => warnings.push(m));
	t.is(records.filter((r) => r.type === 'complete').length, 5);
	t.is(warnings.length, 1);
	t.regex(warnings[0] ?? '', /not valid JSON \(an incomplete record/);
});
