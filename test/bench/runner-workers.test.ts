/**
 * `metatune bench runner --workers`: N real worker processes on one study, on a PostgreSQL server
 * started by the test (skipped, saying how to install it, when the binaries are missing) and on the
 * file journal; the whole budget is completed once between them and the bench's studies are removed.
 */
import test from 'ava';
import pg from 'pg';
import { benchRunnerWorkers, formatRunnerWorkers } from '../../src/bench/runner-workers.js';
import { runCli } from '../cli-capture.js';
import { postgresForFile } from '../postgres-server.js';

const { pgTest, url: serverUrl } = postgresForFile(test);

async function studyNames(url: string): Promise<string[]> {
	const client = new pg.Client(url);
	await client.connect();
	try {
		const exists = await client.query(`SELECT to_regclass('metatune_studies') IS NOT NULL AS ok`);
		if (exists.rows[0]?.ok !== true) return [];
		return (await client.query<{ name: string }>('SELECT name FROM metatune_studies')).rows.map((r) => r.name);
	} finally {
		await client.end();
	}
}

pgTest('bench runner --workers 1,3 on PostgreSQL: every trial completed once between the processes; its studies are removed', async (t) => {
	const url = serverUrl();
	const r = await benchRunnerWorkers({ trials: 60, workers: [1, 3], warmup: 3, storage: url, pipeline: true });
	t.deepEqual(
		r.points.map((p) => [p.workers, p.completed, p.perWorker.length, p.perWorker.reduce((s, n) => s + n, 0)]),
		[
			[1, 60, 1, 60],
			[3, 60, 3, 60],
		],
	);
	for (const p of r.points) t.true(p.msPerTrial > 0 && Math.abs(p.msPerTrial * p.completed - p.wallMs) < 1e-6);
	t.regex(r.settings, /^PostgreSQL \d+.*, fsync off, synchronous_commit on$/);
	t.deepEqual(await studyNames(url), [], 'the bench studies and their warm-ups are dropped');
	const text = formatRunnerWorkers(r);
	// WAL flushes per trial (none with fsync off); ms per flush only with track_wal_io_timing on
	for (const p of r.points) t.true(p.flushes !== undefined && p.flushes.perTrial >= 0 && p.flushes.msEach === undefined, JSON.stringify(p.flushes));
	t.regex(text, /concurrency 1 per worker, pipelined \(runStudy pipeline\)/);
	t.regex(text, /\n {6}3 {6}60 +\d+\.\d\d +\d+\.\d{3} +\d+ +\d+\.\d\d +- {2}\d+ \+ \d+ \+ \d+$/);
	t.log(text);
});

test('bench runner --workers on the file journal; bad --workers and --storage without --workers exit 2', async (t) => {
	const r = await benchRunnerWorkers({ trials: 20, workers: [2], warmup: 0, pipeline: false });
	t.is(r.points[0]?.completed, 20);
	t.regex(formatRunnerWorkers(r), /concurrency 1 per worker \(after/, '--no-pipeline: the default runner');
	t.regex(r.settings, /file journal/);
	for (const [args, message] of [
		[['--workers', '1,0'], /--workers: expected a comma-separated list/],
		[['--workers', 'two'], /--workers: expected a comma-separated list/],
		[['--storage', 'postgresql://x@y/z'], /--storage: bench runner uses it only with --workers/],
	] as const) {
		const out = await runCli(['bench', 'runner', ...args]);
		t.is(out.code, 2, out.stderr);
		t.regex(out.stderr, message);
	}
});

pgTest('bench runner --workers 3 --leader: one leader decides for all, every trial completed once; --leader without a PostgreSQL --storage exits 2', async (t) => {
	const url = serverUrl();
	const r = await benchRunnerWorkers({ trials: 40, workers: [3], warmup: 2, storage: url, pipeline: true, leader: true });
	t.deepEqual(
		r.points.map((p) => [p.workers, p.completed, p.perWorker.length, p.perWorker.reduce((s, n) => s + n, 0)]),
		[[3, 40, 3, 40]],
	);
	t.regex(formatRunnerWorkers(r), /concurrency 1 per worker, one leader deciding for all \(runStudy electLeader\)/);
	t.deepEqual(await studyNames(url), [], 'the bench studies and their warm-ups are dropped');
	const out = await runCli(['bench', 'runner', '--workers', '2', '--leader']);
	t.is(out.code, 2, out.stderr);
	t.regex(out.stderr, /--leader: only with --workers and a PostgreSQL --storage/);
});
