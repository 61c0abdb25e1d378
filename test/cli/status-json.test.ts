/**
 * `metatune status --format json` and `metatune list` on studies made by real runs: the JSON holds
 * every figure the text shows (arms n/N, best with params, failures with reasons and fates), with
 * stable keys; a study being run reads as running (its process named), and once that process is
 * killed, as interrupted, in status and list alike, and reading it writes nothing.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { readJournal } from '../../src/study/journal/journal.js';
import { runCli } from '../cli-capture.js';
import { fixtures, spawnCli, tempDir, waitFor, writeStudy } from '../study/helpers.js';

const module = join(fixtures, 'objectives.js');

const statusKeys = [
	'study',
	'where',
	'description',
	'objective',
	'metric',
	'direction',
	'budget',
	'repeats',
	'reevaluate',
	'retries',
	'state',
	'lifetimes',
	'failed_attempts',
	'pruning',
	'arms',
	'checkpoints',
	'running',
	'interrupted',
	'failed',
];

/** Every file under `dir` with its size and modification time: what a read-only command must leave as it was. */
function snapshot(dir: string): string[] {
	return readdirSync(dir, { recursive: true, encoding: 'utf8' })
		.sort()
		.map((p) => {
			const st = statSync(join(dir, p));
			return `${p} ${st.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`;
		});
}

test.serial('status --format json: every figure of the text view, stable keys, failures with reasons and what became of them', async (t) => {
	const dir = tempDir();
	const results = join(dir, 'results');
	// x = 0.1 throws on both attempts allowed (retries 1); x = 0.5 completes
	const file = writeStudy(
		dir,
		{
			name: 'mixed',
			description: 'one failing, one good',
			objective: { module, export: 'flaky' },
			space: { x: { type: 'float', low: 0, high: 1 } },
			searcher: { kind: 'grid', values: { x: [0.1, 0.5] } },
			budget: 2,
			retries: 1,
			concurrency: 1,
		},
		'mixed.yaml',
	);
	const ran = await runCli(['run', file, '--results', results, '--quiet']);
	t.is(ran.code, 0, ran.stderr);
	const text = await runCli(['status', 'mixed', '--results', results]);
	const json = await runCli(['status', 'mixed', '--results', results, '--format', 'json']);
	t.is(json.code, 0, json.stderr);
	const s = JSON.parse(json.stdout);
	t.deepEqual(Object.keys(s), statusKeys);
	t.like(s, { study: 'mixed', description: 'one failing, one good', metric: 'value', direction: 'maximize', budget: 2, retries: 1, state: 'complete', pruning: false });
	t.deepEqual(s.lifetimes, { ended: 2, total: 2, running: 0, interrupted: 0 });
	t.deepEqual(s.failed_attempts, { total: 2, retried: 1, gave_up: 1, to_retry: 0 });
	t.regex(text.stdout, /^2\/2 lifetimes ended \(complete\) \| 0 running \| 0 interrupted \| 2 failed attempts \(1 retried, 1 gave up\)$/m);
	t.is(s.arms.length, 1);
	const [arm] = s.arms;
	t.deepEqual(Object.keys(arm), ['name', 'searcher', 'ended', 'total', 'failed', 'pruned', 'env_steps', 'best']);
	t.like(arm, { searcher: 'grid', ended: 2, total: 2, failed: 1, pruned: 0, env_steps: null });
	t.deepEqual(arm.best.params, { x: 0.5 });
	t.is(arm.best.value, 0.5);
	t.is(arm.best.final, null);
	t.regex(text.stdout, new RegExp(`^${arm.name}\\s+grid\\s+2/2\\s+1\\s+0\\.5 \\(x=0\\.5\\)$`, 'm'));
	t.is(s.failed.length, 2);
	const [first, second] = s.failed;
	t.like(first, { arm: arm.name, purpose: 'search', params: { x: 0.1 }, reason: 'threw', message: 'bad x 0.1', fate: { kind: 'retried', trial: second.trial, outcome: 'failed', value: null } });
	t.like(second, { params: { x: 0.1 }, reason: 'threw', fate: { kind: 'gave up', attempts: 2 } });
	for (const f of s.failed) t.true(text.stdout.includes(`trial ${f.trial} (${f.arm}, search slot ${f.slot}, seed ${f.seed}): x=0.1 -- threw: bad x 0.1`), text.stdout);
	t.deepEqual([s.running, s.interrupted], [[], []]);
	t.is(s.where, join(results, 'mixed', 'journal.jsonl'));
});

test.serial('a study being run is running in status and list (naming its process); killed, it is interrupted; reading it writes nothing', async (t) => {
	const dir = tempDir();
	const results = join(dir, 'results');
	const file = writeStudy(dir, {
		name: 'busy',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 1 },
		budget: 40,
		concurrency: 1,
	});
	const journal = join(results, 'busy', 'journal.jsonl');
	const other = spawnCli(['run', file, '--results', results, '--quiet'], { FIXTURE_DELAY_MS: '300' });
	try {
		await waitFor(() => existsSync(journal) && readJournal(journal, () => undefined).some((r) => r.type === 'complete'), 30_000);
		const s = JSON.parse((await runCli(['status', 'busy', '--results', results, '--format', 'json'])).stdout);
		t.is(s.state, 'running');
		t.is(s.lifetimes.running, 1);
		t.is(s.running.length, 1);
		t.like(s.running[0], { pid: other.pid, arm: 'random', purpose: 'search' });
		t.regex(s.running[0].since, /^\d{4}-\d\d-\d\dT/);
		const listed = JSON.parse((await runCli(['list', '--results', results, '--format', 'json'])).stdout);
		t.like(listed, [{ study: 'busy', state: 'running', lifetimes: { total: 40 } }]);
		t.true(listed[0].lifetimes.ended >= 1 && listed[0].lifetimes.ended < 40, String(listed[0].lifetimes.ended));
	} finally {
		other.kill('SIGKILL');
		await other.done;
	}
	const before = snapshot(results);
	const s = JSON.parse((await runCli(['status', 'busy', '--results', results, '--format', 'json'])).stdout);
	t.is(s.state, 'interrupted');
	t.is(s.running.length, 0);
	t.true(s.interrupted.length >= 1, JSON.stringify(s.interrupted));
	t.is(s.lifetimes.interrupted, s.interrupted.length);
	const text = await runCli(['list', '--results', results]);
	t.is(text.code, 0, text.stderr);
	t.regex(text.stdout, new RegExp(`^busy\\s+interrupted\\s+${s.lifetimes.ended}/40\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s*$`, 'm'));
	t.deepEqual(snapshot(results), before, 'status and list wrote nothing');
});
