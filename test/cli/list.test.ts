/**
 * `metatune list` over a results folder and over a PostgreSQL database (a real server:
 * test/postgres-server.ts): one line per study with its state, lifetimes and last activity, the
 * same fields as JSON; a study never run is "not started", a journal this code cannot read is
 * listed as unreadable with why, archived studies (`run --fresh`) are left out, and a misspelt
 * --results folder gets a "did you mean".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { openStudyFile } from '../../src/study/open.js';
import { runCli } from '../cli-capture.js';
import { postgresForFile } from '../postgres-server.js';
import { fixtures, tempDir, writeStudy } from '../study/helpers.js';

const { pgTest, url } = postgresForFile(test);
const module = join(fixtures, 'objectives.js');

const studyFile = (dir: string, name: string, extra: Record<string, unknown> = {}) =>
	writeStudy(
		dir,
		{
			name,
			objective: { module, export: 'quadratic' },
			space: { x: { type: 'float', low: 0, high: 1 } },
			searchers: [
				{ kind: 'grid', values: { x: [0.1, 0.5] } },
				{ kind: 'random', seed: 3 },
			],
			budget: 2,
			...extra,
		},
		`${name}.yaml`,
	);

test.serial('list: complete, not started and unreadable studies under --results, as text and JSON', async (t) => {
	const dir = tempDir();
	const results = join(dir, 'results');
	const done = studyFile(dir, 'done', { description: 'two arms, both done' });
	t.is((await runCli(['run', done, '--results', results, '--quiet'])).code, 0);
	// opened and closed without running: a journal with only its study record
	(await openStudyFile(studyFile(dir, 'idle'), { resultsDir: results, warn: () => undefined })).close();
	mkdirSync(join(results, 'broken'));
	writeFileSync(join(results, 'broken', 'journal.jsonl'), '{"type":"study","v":999}\n');
	mkdirSync(join(results, 'not-a-study')); // no journal: not listed

	const text = await runCli(['list', '--results', results]);
	t.is(text.code, 0, text.stderr);
	const lines = text.stdout.trimEnd().split('\n');
	t.regex(lines[0] ?? '', /^Study\s+State\s+Lifetimes\s+Per arm\s+Last activity \(UTC\)\s+Description$/);
	t.is(lines.length, 5, text.stdout);
	t.regex(lines[2] ?? '', /^broken\s+unreadable\s+-\s+-\s+.*journal.*version 999/);
	// a complete study's arms are all done: no per-arm counts
	t.regex(lines[3] ?? '', /^done\s+complete\s+4\/4\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+two arms, both done$/);
	t.regex(lines[4] ?? '', /^idle\s+not started\s+0\/4\s+grid 0\/2, random 0\/2\s+\d{4}-\d\d-\d\d \d\d:\d\d$/);

	const json = JSON.parse((await runCli(['list', '--results', results, '--format', 'json'])).stdout);
	t.deepEqual(
		json.map((r: { study: string; state: string }) => [r.study, r.state]),
		[
			['broken', 'unreadable'],
			['done', 'complete'],
			['idle', 'not started'],
		],
	);
	const [broken, complete, idle] = json;
	t.deepEqual(Object.keys(complete), ['study', 'state', 'lifetimes', 'arms', 'last_activity', 'description', 'where', 'problem']);
	t.deepEqual(complete.arms, [
		{ name: 'grid', ended: 2, total: 2 },
		{ name: 'random', ended: 2, total: 2 },
	]);
	t.deepEqual(complete.lifetimes, { ended: 4, total: 4 });
	t.regex(complete.last_activity, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	t.true(idle.last_activity > complete.last_activity, 'idle was opened after done ran');
	t.is(idle.description, null);
	t.is(broken.lifetimes, null);
	t.truthy(broken.problem);
	t.is(broken.where, join(results, 'broken', 'journal.jsonl'));
});

test.serial('list: an empty results folder says so; a missing one is exit 2 with the nearest folder', async (t) => {
	const dir = tempDir();
	mkdirSync(join(dir, 'results'));
	const empty = await runCli(['list', '--results', join(dir, 'results')]);
	t.is(empty.code, 0, empty.stderr);
	t.is(empty.stdout, `no studies in ${join(dir, 'results')}/\n`);
	t.is((await runCli(['list', '--results', join(dir, 'results'), '--format', 'json'])).stdout, '[]\n');
	const typo = await runCli(['list', '--results', join(dir, 'reslts')]);
	t.is(typo.code, 2);
	t.is(typo.stderr, `metatune: --results: no folder ${join(dir, 'reslts')}/; did you mean --results ${join(dir, 'results')}/?\n`);
});

pgTest('list --storage: the studies in the database (archived ones left out) with the same fields; a misspelt study name gets a did you mean', async (t) => {
	const dir = tempDir();
	const results = join(dir, 'results');
	const done = studyFile(dir, 'quickstart', { description: 'in the database' });
	t.is((await runCli(['run', done, '--storage', url(), '--quiet'])).code, 0);
	t.is((await runCli(['run', done, '--storage', url(), '--quiet', '--fresh'])).code, 0); // the first run is archived
	const text = await runCli(['list', '--storage', url(), '--results', results]);
	t.is(text.code, 0, text.stderr);
	const lines = text.stdout.trimEnd().split('\n');
	t.is(lines.length, 3, text.stdout);
	t.regex(lines[2] ?? '', /^quickstart\s+complete\s+4\/4\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+in the database$/);
	const json = JSON.parse((await runCli(['list', '--storage', url(), '--format', 'json'])).stdout);
	t.like(json, [{ study: 'quickstart', state: 'complete', lifetimes: { ended: 4, total: 4 }, where: `${url()} (study quickstart)`, problem: null }]);
	const typo = await runCli(['status', 'quickstrat', '--storage', url()]);
	t.is(typo.code, 2);
	t.is(typo.stderr, `metatune: no study 'quickstrat' in ${url()}; did you mean 'quickstart'?\n`);
});
