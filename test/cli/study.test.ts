/**
 * `metatune run | compare` as a user meets them: --fresh next to a live run, what --fresh says and
 * moves, failed lifetimes and the exit code when every lifetime failed, a study named twice in
 * compare, --results paths that cannot be output folders, and journals of a version this code does
 * not read.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../cli-capture.js';
import { journalVersion, readJournal } from '../../src/study/journal/journal.js';
import { fixtures, spawnCli, tempDir, waitFor, writeStudy } from '../study/helpers.js';

const module = join(fixtures, 'objectives.js');

const study = (dir: string, name: string, exported: string, extra: Record<string, unknown> = {}) =>
	writeStudy(
		dir,
		{ name, objective: { module, export: exported }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'grid', values: { x: [0.1, 0.5] } }, budget: 2, ...extra },
		`${name}.yaml`,
	);

test.serial('--fresh while another process runs the study: refused (exit 5), one line naming its pid and host and the fix; nothing archived', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'busy',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 1 },
		budget: 40,
		concurrency: 1,
	});
	const results = join(dir, 'results');
	const journal = join(results, 'busy', 'journal.jsonl');
	const other = spawnCli(['run', file, '--results', results, '--quiet'], { FIXTURE_DELAY_MS: '200' });
	try {
		await waitFor(() => existsSync(journal) && readJournal(journal, () => undefined).some((r) => r.type === 'complete'), 20_000);
		const fresh = await runCli(['run', file, '--results', results, '--fresh', '--quiet']);
		t.is(fresh.code, 5, fresh.stderr);
		t.is(fresh.stderr.trim().split('\n').length, 1, fresh.stderr);
		t.regex(fresh.stderr, new RegExp(`--fresh refused: .*pid ${other.pid} on host .*stop that run`));
		t.false(existsSync(join(results, 'busy', 'archive')), 'nothing archived');
	} finally {
		other.kill('SIGKILL');
		await other.done;
	}
	// once the other process is gone (SIGKILLed: its presence file remains, its pid does not), --fresh proceeds
	const after = await runCli(['run', file, '--results', results, '--fresh', '--quiet']);
	t.is(after.code, 0, after.stderr);
});

test.serial('--fresh says where the old journal went (also with --quiet) and moves report/ into the same archive entry', async (t) => {
	const dir = tempDir();
	const file = study(dir, 'again', 'quadratic');
	const results = join(dir, 'results');
	t.is((await runCli(['run', file, '--results', results, '--quiet'])).code, 0);
	mkdirSync(join(results, 'again', 'report'));
	writeFileSync(join(results, 'again', 'report', 'index.html'), '<html></html>');
	const fresh = await runCli(['run', file, '--results', results, '--fresh', '--quiet']);
	t.is(fresh.code, 0, fresh.stderr);
	const entries = readdirSync(join(results, 'again', 'archive'));
	t.is(entries.length, 1);
	const entry = join(results, 'again', 'archive', entries[0] as string);
	t.true(existsSync(join(entry, 'journal.jsonl')));
	t.true(existsSync(join(entry, 'report', 'index.html')));
	t.false(existsSync(join(results, 'again', 'report')), 'the old report no longer sits beside the new journal');
	const line = fresh.stderr.split('\n').find((l) => l.includes('--fresh'));
	t.truthy(line, fresh.stderr);
	t.true(line?.includes(join(entry, 'journal.jsonl')), line);
	t.regex(line ?? '', /report\//);
	t.false(fresh.stdout.includes('--fresh'), 'the archive line goes to stderr');
});

test.serial('every lifetime failed: exit 7, the count and the first reason with a pointer to status; a rerun says the budget is used up and points to --fresh', async (t) => {
	const dir = tempDir();
	const file = study(dir, 'doomed', 'throws');
	const results = join(dir, 'results');
	const first = await runCli(['run', file, '--results', results, '--quiet']);
	t.is(first.code, 7, first.stderr);
	t.regex(first.stderr, /every lifetime failed \(2 of 2\)/);
	t.regex(first.stderr, /threw: boom at x 0\.1/);
	t.regex(first.stderr, new RegExp(`metatune status doomed --results ${results.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
	const again = await runCli(['run', file, '--results', results, '--quiet']);
	t.is(again.code, 7, again.stderr);
	t.regex(again.stderr, /nothing left to run/);
	t.regex(again.stderr, /--fresh/);
	t.is(readJournal(join(results, 'doomed', 'journal.jsonl'), () => undefined).filter((r) => r.type === 'asked').length, 2, 'the rerun ran nothing');
});

test.serial('status of a study whose every search lifetime failed: complete, the re-evaluations it can never run not counted', async (t) => {
	const dir = tempDir();
	const file = study(dir, 'doomed2', 'throws', { reevaluate: 3 });
	const results = join(dir, 'results');
	t.is((await runCli(['run', file, '--results', results, '--quiet'])).code, 7);
	const status = await runCli(['status', 'doomed2', '--results', results]);
	t.is(status.code, 0, status.stderr);
	t.regex(status.stdout, /^2\/2 lifetimes ended \(complete\)/m);
});

test.serial('some lifetimes failed: exit 0 and one stderr line with the count and the first reason', async (t) => {
	const dir = tempDir();
	const file = study(dir, 'partly', 'flaky');
	const ran = await runCli(['run', file, '--results', join(dir, 'results'), '--quiet']);
	t.is(ran.code, 0, ran.stderr);
	t.regex(ran.stderr, /1 of 2 lifetime attempts failed in this run; first: trial \d \(grid, x=0\.1\) threw: bad x 0\.1; see `metatune status partly/);
});

test.serial('a circular result through the CLI: failed lifetimes naming the field, no internal error, the command ends', async (t) => {
	const dir = tempDir();
	const file = study(dir, 'circ', 'circular', { concurrency: 2, retries: 1 });
	const ran = await runCli(['run', file, '--results', join(dir, 'results'), '--quiet']);
	t.false(ran.stderr.includes('internal error'), ran.stderr);
	t.is(ran.code, 7, ran.stderr);
	t.regex(ran.stderr, /unstorable: field "self" cannot be stored as JSON \(circular\)/);
});

test.serial('compare names a study once however often (and however) it is named', async (t) => {
	const dir = tempDir();
	const file = study(dir, 'twice', 'quadratic');
	const results = join(dir, 'results');
	t.is((await runCli(['run', file, '--results', results, '--quiet'])).code, 0);
	const once = await runCli(['compare', 'twice', '--results', results]);
	const twice = await runCli(['compare', 'twice', 'twice', join(results, 'twice'), file, '--results', results]);
	t.is(twice.code, 0, twice.stderr);
	t.is(twice.stdout, once.stdout);
});

test('--results that cannot be an output folder: exit 2 at once with one line naming --results', async (t) => {
	const dir = tempDir();
	const file = study(dir, 'nowhere', 'quadratic');
	const afile = join(dir, 'afile');
	writeFileSync(afile, 'x');
	for (const results of ['/proc/metatune-x', afile, '/sys/metatune-x']) {
		const child = spawnCli(['run', file, '--results', results, '--quiet']);
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		const ran = await child.done;
		clearTimeout(timer);
		t.is(ran.code, 2, `${results}: ${ran.stderr}`);
		t.is(ran.stderr.trim().split('\n').length, 1, ran.stderr);
		t.regex(ran.stderr, /^metatune: --results: cannot use /);
	}
});

/** Set the `v` of the journal's study record (its first line), keeping every other byte. */
function setJournalVersion(journal: string, v: unknown): void {
	const [head, ...rest] = readFileSync(journal, 'utf8').split('\n');
	const record = JSON.parse(head as string) as Record<string, unknown>;
	if (record.type !== 'study') throw new Error(`${journal}: first line is not the study record`);
	writeFileSync(journal, [JSON.stringify({ ...record, v }), ...rest].join('\n'));
}

test.serial('a journal of another version: compare, status, report and run refuse it with one line naming the file and the version (exit 3)', async (t) => {
	const dir = tempDir();
	const file = study(dir, 'future', 'quadratic');
	const results = join(dir, 'results');
	t.is((await runCli(['run', file, '--results', results, '--quiet'])).code, 0);
	const journal = join(results, 'future', 'journal.jsonl');
	const before = readFileSync(journal, 'utf8');
	t.is((await runCli(['compare', 'future', '--results', results])).code, 0, 'the journal as written is read');
	setJournalVersion(journal, 99);
	const newer = `metatune: ${journal}: journal version 99 is newer than this metatune reads (${journalVersion}); upgrade metatune\n`;
	for (const args of [
		['compare', 'future'],
		['compare', 'future', '--format', 'markdown'],
		['status', 'future'],
		['report', 'future'],
		['run', file, '--quiet'],
	]) {
		const ran = await runCli([...args, '--results', results]);
		t.is(ran.code, 3, `${args.join(' ')}: ${ran.stderr}`);
		t.is(ran.stderr, newer, args.join(' '));
		t.is(ran.stdout, '', args.join(' '));
	}
	t.false(existsSync(join(results, 'future', 'report')), 'report wrote nothing');
	t.is(readFileSync(journal, 'utf8'), before.replace('"v":1,', '"v":99,'), 'run appended nothing');
	for (const v of [0, '1', null]) {
		setJournalVersion(journal, v);
		const ran = await runCli(['status', 'future', '--results', results]);
		t.is(ran.code, 3, ran.stderr);
		t.is(ran.stderr, `metatune: ${journal}: journal version ${JSON.stringify(v)} is not one this metatune reads (${journalVersion}); it was not written by metatune\n`);
	}
});
