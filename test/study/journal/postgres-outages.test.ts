/**
 * Fault tests of leases and lost connections on a real PostgreSQL server started by the test
 * (test/postgres-server.ts; skipped, saying how to install it, when the binaries are missing):
 * (b) a worker SIGSTOPped past its lease has its lifetime re-run by another and its late result
 * refused; (c) the server stopped for 5 s mid-study: the workers reconnect and the study completes
 * with every lifetime once; a worker cut off for longer than its lease stops and exits (code 10);
 * a batch whose connection was cut before its commit, while another worker wrote, is decided again.
 */
import { join } from 'node:path';
import test from 'ava';
import pg from 'pg';
import type { AskedRecord, CompleteRecord, JournalRecord, RunningRecord } from '../../../src/study/journal/journal.js';
import { sessionOf, Study } from '../../../src/study/study.js';
import { postgresForFile, storedRecords } from '../../postgres-server.js';
import { fixtures, spawnCli, tempDir, waitFor, writeStudy } from '../helpers.js';

const module = join(fixtures, 'objectives.js');
const { pgTest, server, url } = postgresForFile(test);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lines = (text: string, pattern: RegExp) => text.split('\n').filter((l) => pattern.test(l));

/** Per trial: the `running` records (owner pid and run) and the complete records, in order. */
function byTrial(rs: readonly JournalRecord[]) {
	const out = new Map<number, { running: RunningRecord[]; complete: CompleteRecord[] }>();
	const of = (trial: number) => out.get(trial) ?? (out.set(trial, { running: [], complete: [] }).get(trial) as { running: RunningRecord[]; complete: CompleteRecord[] });
	for (const r of rs) {
		if (r.type === 'running') of(r.trial).running.push(r);
		if (r.type === 'complete') of(r.trial).complete.push(r);
	}
	return out;
}

/** Every grid point asked once, every asked trial completed exactly once. */
function checkOnce(t: import('ava').ExecutionContext, rs: readonly JournalRecord[], points: number): void {
	const asked = rs.filter((r): r is AskedRecord => r.type === 'asked');
	t.is(asked.length, points, 'one asked record per grid point');
	t.is(new Set(asked.map((r) => r.params.x)).size, points, 'each grid point asked once');
	const complete = rs.filter((r): r is CompleteRecord => r.type === 'complete');
	t.is(complete.length, points, `exactly ${points} complete records`);
	t.is(new Set(complete.map((r) => r.trial)).size, points, 'each trial completed once');
	t.false(
		rs.some((r) => r.type === 'failed'),
		'nothing failed',
	);
}

pgTest('(b) a worker SIGSTOPped past its lease: its lifetime is re-run by the other worker once, its late result refused', async (t) => {
	const dir = tempDir();
	const points = 16;
	const file = writeStudy(dir, {
		name: 'stalled',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'grid', points },
		budget: points,
		concurrency: 1,
	});
	const lease = 3;
	const env = { FIXTURE_DELAY_MS: '400', METATUNE_STORAGE: url() };
	const [a, b] = [0, 1].map(() => spawnCli(['run', file, '--quiet', '--lease', String(lease)], env)) as [ReturnType<typeof spawnCli>, ReturnType<typeof spawnCli>];
	// stop A once it has completed a lifetime and started another
	let stalledTrial = -1;
	await waitFor(
		async () => {
			const rs = await storedRecords(url(), 'stalled').catch(() => []);
			const mine = [...byTrial(rs)].filter(([, x]) => x.running.at(-1)?.owner.pid === a.pid);
			const open = mine.find(([, x]) => x.complete.length === 0);
			if (mine.some(([, x]) => x.complete.length > 0) && open !== undefined) stalledTrial = open[0];
			return stalledTrial >= 0;
		},
		60_000,
		20,
	);
	a.kill('SIGSTOP');
	const stoppedAt = Date.now();
	let takenOverMs = 0;
	try {
		// B takes the trial over once A's lease has passed, and completes it
		await waitFor(
			async () => {
				const x = byTrial(await storedRecords(url(), 'stalled')).get(stalledTrial);
				if (takenOverMs === 0 && x?.running.some((r) => r.owner.pid === b.pid)) takenOverMs = Date.now() - stoppedAt;
				return (x?.complete.length ?? 0) > 0;
			},
			30_000,
			50,
		);
		await sleep(Math.max(0, 2 * lease * 1000 - (Date.now() - stoppedAt)));
	} finally {
		a.kill('SIGCONT');
	}
	const stalledMs = Date.now() - stoppedAt;
	const [ra, rb] = await Promise.all([a.done, b.done]);
	t.is(ra.code, 0, ra.stderr);
	t.is(rb.code, 0, rb.stderr);
	const rs = await storedRecords(url(), 'stalled');
	checkOnce(t, rs, points);
	const x = byTrial(rs).get(stalledTrial) as { running: RunningRecord[]; complete: CompleteRecord[] };
	t.deepEqual(
		x.running.map((r) => r.owner.pid),
		[a.pid, b.pid],
		`trial ${stalledTrial}: started by A, taken over once by B`,
	);
	const bRun = x.running[1]?.owner.run;
	t.is(x.complete.length, 1);
	t.deepEqual(x.complete[0]?.lease, { run: bRun, take: 2 }, "the recorded result is B's re-run, under its lease");
	t.true(takenOverMs >= lease * 1000 - 500, `taken over after the lease (${takenOverMs} ms)`);
	const refusals = lines(ra.stderr, /result not recorded/);
	t.is(refusals.length, 1, ra.stderr);
	t.regex(refusals[0] as string, new RegExp(`trial ${stalledTrial}: result not recorded: its lease passed to pid ${b.pid}`));
	const perWorker = [a.pid, b.pid].map((p) => [...byTrial(rs).values()].filter((v) => v.running.at(-1)?.owner.pid === p).length);
	t.log(
		`A stopped ${stalledMs} ms (lease ${lease} s) holding trial ${stalledTrial}; B took it over after ${takenOverMs} ms and completed it; A's late result refused: ${refusals.length}; complete ${points}/${points}, per worker A + B: ${perWorker.join(' + ')}`,
	);
});

/** Connections the server holds for metatune processes now. */
async function metatuneConnections(): Promise<number> {
	const c = new pg.Client(url());
	await c.connect();
	try {
		return Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'metatune'`)).rows[0]?.n);
	} finally {
		await c.end();
	}
}

pgTest('(c) the server stopped for 5 s mid-study: 3 workers reconnect, one line each, and every lifetime runs once', async (t) => {
	const dir = tempDir();
	const points = 48;
	const file = writeStudy(dir, {
		name: 'restarted',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'grid', points },
		budget: points,
		concurrency: 2,
	});
	const env = { FIXTURE_DELAY_MS: '300', METATUNE_STORAGE: url() };
	const workers = [0, 1, 2].map(() => spawnCli(['run', file, '--quiet'], env));
	let completeAtHalt = 0;
	let connections = 0;
	await waitFor(
		async () => {
			const rs = await storedRecords(url(), 'restarted').catch(() => []);
			completeAtHalt = rs.filter((r) => r.type === 'complete').length;
			if (completeAtHalt >= 6) connections = Math.max(connections, await metatuneConnections());
			return completeAtHalt >= 6 && new Set(rs.filter((r) => r.type === 'running').map((r) => (r as RunningRecord).owner.pid)).size === 3;
		},
		60_000,
		50,
	);
	const server0 = server();
	server0.halt();
	const haltedAt = Date.now();
	try {
		await sleep(5_000);
	} finally {
		server0.resume();
	}
	const downMs = Date.now() - haltedAt;
	for (let i = 0; i < 5; i++) {
		await sleep(200);
		connections = Math.max(connections, await metatuneConnections());
	}
	const results = await Promise.all(workers.map((w) => w.done));
	for (const r of results) t.is(r.code, 0, r.stderr);
	const rs = await storedRecords(url(), 'restarted');
	checkOnce(t, rs, points);
	for (const [trial, x] of byTrial(rs)) t.is(x.running.length, 1, `trial ${trial} started once (no worker was taken for gone)`);
	const outageLines = results.map((r) => lines(r.stderr, /lost the connection/).length);
	t.true(
		outageLines.every((n) => n <= 1),
		`at most one line per worker for the outage (${outageLines.join(', ')})`,
	);
	t.true(
		outageLines.some((n) => n === 1),
		'the outage was noticed',
	);
	t.true(completeAtHalt < points - 10, `stopped mid-study (${completeAtHalt} of ${points} complete)`);
	t.true(connections >= 1 && connections <= 3, `one connection per worker process (at most ${connections} seen for 3 processes)`);
	t.log(
		`server stopped at ${completeAtHalt}/${points} complete, down ${downMs} ms; outage lines per worker: ${outageLines.join(' + ')}; complete ${points}/${points}, each started once; connections seen at most: ${connections} for 3 processes`,
	);
});

pgTest('a worker that cannot reach the server for longer than its lease stops its lifetimes and exits with code 10 and one line', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'cutoff',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'grid', points: 4 },
		budget: 4,
		concurrency: 2,
	});
	const lease = 2;
	// lifetimes of 20 s: the worker exits long before they would end
	const w = spawnCli(['run', file, '--quiet', '--lease', String(lease)], { FIXTURE_DELAY_MS: '20000', METATUNE_STORAGE: url() });
	await waitFor(async () => (await storedRecords(url(), 'cutoff').catch(() => [])).filter((r) => r.type === 'running').length >= 2, 60_000, 50);
	const server0 = server();
	server0.halt();
	const haltedAt = Date.now();
	let r: Awaited<typeof w.done>;
	try {
		r = await w.done;
	} finally {
		server0.resume();
	}
	const exitMs = Date.now() - haltedAt;
	t.is(r.code, 10, r.stderr);
	const errors = lines(r.stderr, /^metatune: error|no answer from the server/);
	t.is(errors.length, 1, r.stderr);
	t.regex(errors[0] as string, new RegExp(`no answer from the server for [\\d.]+ s, longer than this worker's lease \\(${lease} s; .*\\): its lifetimes are stopped`));
	t.is(lines(r.stderr, /lost the connection/).length, 1, r.stderr);
	t.true(exitMs < 10_000, `exited ${exitMs} ms after the server stopped, before its 20 s lifetimes could end`);
	t.log(`server stopped; the worker (lease ${lease} s) exited with code ${r.code} after ${exitMs} ms: ${errors[0]}`);
});

pgTest('a batch cut off before its commit while another worker wrote is decided again on the current study', async (t) => {
	const doc = { name: 'replayed', objective: { module, export: 'quadratic' }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 4 }, budget: 6 };
	const warnings: string[] = [];
	const a = await Study.open(doc, { storage: url(), warn: (m) => warnings.push(m) });
	const b = await Study.open(doc, { storage: url(), warn: () => undefined });
	const admin = new pg.Client(url());
	await admin.connect();
	try {
		const waitingInsert = async (except?: number) => {
			let pid = 0;
			await waitFor(
				async () => {
					await admin.query('SELECT pg_stat_clear_snapshot()'); // else a transaction sees its first snapshot throughout
					const rows = await admin.query<{ pid: number }>(
						`SELECT pid FROM pg_stat_activity WHERE application_name = 'metatune' AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO metatune_records%' AND pid <> $1`,
						[except ?? 0],
					);
					pid = rows.rows[0]?.pid ?? 0;
					return pid !== 0;
				},
				10_000,
				10,
			);
			return pid;
		};
		// A's INSERT waits behind this lock, holding the study row; B waits for the row
		await admin.query('BEGIN');
		await admin.query('LOCK TABLE metatune_records IN SHARE MODE');
		const askA = a.ask();
		const pidA = await waitingInsert();
		const askB = b.ask();
		await admin.query('SELECT pg_terminate_backend($1)', [pidA]);
		await waitingInsert(pidA); // B got the row and decided the same trial number A had
		await admin.query('COMMIT');
		const [trialA, trialB] = await Promise.all([askA, askB]);
		t.is(trialB?.number, 0, 'B recorded trial 0');
		t.is(trialA?.number, 1, "A's decision was made again after B's: trial 1");
		const asked = (await storedRecords(url(), 'replayed')).filter((r): r is AskedRecord => r.type === 'asked');
		t.deepEqual(
			asked.map((r) => [r.trial, r.slot, r.owner.run]),
			[
				[0, 0, sessionOf(b).me.run],
				[1, 1, sessionOf(a).me.run],
			],
		);
		t.is(warnings.filter((m) => /lost the connection/.test(m)).length, 1, warnings.join('\n'));
		const told = await a.tell(1, 0.5);
		t.is(told.state, 'complete');
		t.log(`A cut off before its commit: trial ${trialA?.number} (slot ${asked[1]?.slot}) after B's trial ${trialB?.number}; warnings: ${warnings.join(' | ')}`);
	} finally {
		await admin.end();
		a.close();
		b.close();
	}
});
