/**
 * What a run says and cleans up about other processes: the presence files and lock tickets of a
 * killed process are removed (on resume and with --fresh), a lock naming a live pid that is not
 * running the study is broken after a second with a warning, a wait for a real holder is reported,
 * and a zero-length journal is not started over silently.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { LockError } from '../../../src/core/errors.js';
import { FileLock } from '../../../src/study/journal/lock.js';
import { readJournal } from '../../../src/study/journal/journal.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';
import { fixtures, spawnCli, tempDir, waitFor, writeStudy } from '../helpers.js';

const doc = {
	name: 'o',
	objective: { module: join(fixtures, 'objectives.js'), export: 'quadratic' },
	space: { x: { type: 'float', low: 0, high: 1 } },
	searcher: { kind: 'grid', points: 6 },
	budget: 6,
};
const objective = (p: Record<string, unknown>) => Number(p.x);

/** Start `run` in a child process and SIGKILL it once it has completed a lifetime; returns the run id it left in owners/. */
async function killMidRun(file: string, results: string): Promise<string[]> {
	const journal = join(results, 'o', 'journal.jsonl');
	const child = spawnCli(['run', file, '--results', results, '--quiet', '--concurrency', '1'], { FIXTURE_DELAY_MS: '200' });
	await waitFor(() => {
		try {
			return readFileSync(journal, 'utf8').includes('"type":"complete"');
		} catch {
			return false;
		}
	}, 30_000);
	child.kill('SIGKILL');
	await child.done;
	return readdirSync(join(results, 'o', 'owners')).sort();
}

test('the owners files of a SIGKILLed run are removed on resume and with --fresh', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, doc);
	const results = join(dir, 'results');
	const owners = join(results, 'o', 'owners');
	const left = await killMidRun(file, results);
	t.is(left.length, 2, `a killed run leaves its presence file and lock ticket: ${left.join(', ')}`);
	const resumed = await Study.open(parseStudyDocument(doc), { resultsDir: results });
	t.false(
		readdirSync(owners).some((f) => left.includes(f)),
		'removed when the study is opened again',
	);
	t.true((await runStudy(resumed, { objective, concurrency: 1 })).done);
	resumed.close();
	t.deepEqual(readdirSync(owners), [], 'and nothing of the resumed run is left either');
	const leftAgain = await killMidRun(file, join(dir, 'results2'));
	t.is(leftAgain.length, 2);
	const fresh = await Study.open(parseStudyDocument(doc), { resultsDir: join(dir, 'results2'), fresh: true });
	t.truthy(fresh.archived);
	fresh.close();
	t.deepEqual(readdirSync(join(dir, 'results2', 'o', 'owners')), [], 'removed by --fresh too');
});

test('a lock file naming a live pid that does not run the study is broken within seconds, with a warning', async (t) => {
	const results = tempDir();
	const spec = parseStudyDocument(doc);
	const first = await Study.open(spec, { resultsDir: results });
	first.close();
	// this test's own pid: alive, but it announced no presence file for run "feedbeef"
	writeFileSync(join(results, 'o', 'journal.lock'), `${JSON.stringify({ host: hostname(), pid: process.pid, run: 'feedbeef' })}\n`);
	const warnings: string[] = [];
	const started = Date.now();
	const study = await Study.open(spec, { resultsDir: results, warn: (m) => warnings.push(m) });
	const waited = Date.now() - started;
	study.close();
	t.true(waited < 5000, `waited ${waited} ms (a 15 s stale limit before)`);
	t.is(warnings.length, 1, warnings.join('\n'));
	t.regex(warnings[0] ?? '', new RegExp(`journal\\.lock: the study lock names pid ${process.pid} on host .*, which is not running this study \\(no presence file\\); breaking it as abandoned`));
});

test('waiting for a lock held by a process that runs the study is reported once, naming it', async (t) => {
	const dir = tempDir();
	const owners = join(dir, 'owners');
	mkdirSync(owners);
	const holder = { host: hostname(), pid: process.pid, run: 'cafe0001' };
	writeFileSync(join(owners, 'cafe0001.json'), JSON.stringify(holder));
	writeFileSync(join(dir, 'journal.lock'), JSON.stringify(holder));
	const warnings: string[] = [];
	const lock = new FileLock(
		join(dir, 'journal.lock'),
		{ host: hostname(), pid: process.pid, run: 'cafe0002' },
		{
			timeoutMs: 2500,
			notRunning: (h) => typeof h.run === 'string' && !readdirSync(owners).includes(`${h.run}.json`),
			warn: (m) => warnings.push(m),
		},
	);
	await t.throwsAsync(
		lock.withLock(() => undefined),
		{ instanceOf: LockError },
	);
	lock.dispose();
	t.is(warnings.length, 1);
	t.regex(warnings[0] ?? '', new RegExp(`waiting for the study lock, held by pid ${process.pid} on host .*; a lock older than 15 s is broken as abandoned`));
});

test('a zero-length journal is started over with a warning, not silently', async (t) => {
	const results = tempDir();
	mkdirSync(join(results, 'o'));
	writeFileSync(join(results, 'o', 'journal.jsonl'), '');
	const warnings: string[] = [];
	const study = await Study.open(parseStudyDocument(doc), { resultsDir: results, warn: (m) => warnings.push(m) });
	study.close();
	t.is(warnings.length, 1);
	t.regex(warnings[0] ?? '', /journal\.jsonl: the journal is empty \(0 bytes\): starting the study from its first lifetime; if it held lifetimes, stop now and restore it from a backup$/);
	t.is(readJournal(join(results, 'o', 'journal.jsonl'))[0]?.type, 'study');
	// a new study (no journal yet) starts without a word
	const quiet: string[] = [];
	const other = await Study.open(parseStudyDocument({ ...doc, name: 'new' }), { resultsDir: results, warn: (m) => quiet.push(m) });
	other.close();
	t.deepEqual(quiet, []);
});
