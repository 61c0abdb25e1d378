/**
 * The PostgreSQL storage on a real server started by the test (test/postgres-server.ts; skipped,
 * saying how to install it, when the binaries are missing): the same study gives the same lifetimes
 * and table as on a file journal, two worker processes share one grid exactly once, and a storage
 * that cannot be reached is one line and an exit code with nothing written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import pg from 'pg';
import type { AskedRecord, CompleteRecord, JournalRecord } from '../../../src/study/journal/journal.js';
import { readJournal } from '../../../src/study/journal/journal.js';
import { runCli } from '../../cli-capture.js';
import { postgresForFile, storedRecords } from '../../postgres-server.js';
import { fixtures, spawnCli, tempDir, writeStudy } from '../helpers.js';

const module = join(fixtures, 'objectives.js');
const { pgTest, url } = postgresForFile(test);

const records = (study: string) => storedRecords(url(), study);

/** Each complete lifetime by arm/purpose/slot: its params, seed and value (what must not depend on the storage). */
function outcomes(rs: readonly JournalRecord[]): Record<string, string> {
	const asked = new Map(rs.filter((r): r is AskedRecord => r.type === 'asked').map((r) => [r.trial, r]));
	const out: [string, string][] = [];
	for (const c of rs) {
		if (c.type !== 'complete') continue;
		const a = asked.get(c.trial) as AskedRecord;
		out.push([`${a.arm}/${a.purpose}/${a.slot}`, JSON.stringify([a.params, a.seed, c.value])]);
	}
	return Object.fromEntries(out.sort(([a], [b]) => a.localeCompare(b)));
}

/** The comparison table as CSV without its last column (wall time, which differs between two runs). */
const withoutWall = (csv: string) =>
	csv
		.trimEnd()
		.split('\n')
		.map((l) => l.slice(0, l.lastIndexOf(',')))
		.join('\n');

pgTest('a study run on PostgreSQL gives the same lifetimes and comparison table as on a file journal', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'same',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searchers: [
			{ kind: 'random', seed: 3 },
			{ kind: 'grid', points: 6 },
		],
		budget: 6,
		reevaluate: 2,
		concurrency: 2,
	});
	const results = join(dir, 'results');
	const onFile = await runCli(['run', file, '--results', results, '--quiet']);
	t.is(onFile.code, 0, onFile.stderr);
	const started = Date.now();
	const onPg = await runCli(['run', file, '--storage', url(), '--results', join(dir, 'unused'), '--quiet']);
	t.log(`run on PostgreSQL: ${Date.now() - started} ms for 16 lifetimes`);
	t.is(onPg.code, 0, onPg.stderr);
	t.false(existsSync(join(dir, 'unused')), 'nothing written under --results');
	t.is(onPg.stdout.split('\n')[0], onFile.stdout.split('\n')[0]);
	const stored = await records('same');
	t.deepEqual(outcomes(stored), outcomes(readJournal(join(results, 'same', 'journal.jsonl'))));
	t.is(Object.keys(outcomes(stored)).length, 16);
	const fileTable = await runCli(['compare', 'same', '--results', results, '--format', 'csv']);
	const pgTable = await runCli(['compare', file, '--format', 'csv'].concat(['--storage', url()]));
	t.is(pgTable.code, 0, pgTable.stderr);
	t.is(withoutWall(pgTable.stdout), withoutWall(fileTable.stdout));
	t.log(withoutWall(pgTable.stdout));
	const status = await runCli(['status', 'same', '--storage', url()]);
	t.is(status.code, 0, status.stderr);
	t.regex(status.stdout, /Study same \(postgresql:\/\/metatune@127\.0\.0\.1:\d+\/postgres \(study same\)\)/);
	// METATUNE_STORAGE stands for --storage
	process.env.METATUNE_STORAGE = url();
	try {
		const viaEnv = await runCli(['export', 'same', '--format', 'json']);
		t.is(viaEnv.code, 0, viaEnv.stderr);
		t.is((JSON.parse(viaEnv.stdout) as unknown[]).length, 16);
	} finally {
		delete process.env.METATUNE_STORAGE;
	}
});

pgTest('an ASHA study on PostgreSQL records the same reports and pruning decisions as on a file journal', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'asha-pg',
		objective: { module, export: 'curve' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 5 },
		pruner: { kind: 'asha', min_resource: 10, reduction_factor: 3, max_resource: 100 },
		budget: 12,
		reevaluate: 2,
		concurrency: 2,
	});
	const results = join(dir, 'results');
	const onFile = await runCli(['run', file, '--results', results, '--quiet']);
	t.is(onFile.code, 0, onFile.stderr);
	const onPg = await runCli(['run', file, '--storage', url(), '--quiet']);
	t.is(onPg.code, 0, onPg.stderr);
	const decisions = (rs: readonly JournalRecord[]) => {
		const asked = new Map(rs.filter((r): r is AskedRecord => r.type === 'asked').map((r) => [r.trial, r]));
		const slot = (trial: number) => {
			const a = asked.get(trial) as AskedRecord;
			return `${a.purpose}/${a.slot}`;
		};
		const reports = rs.flatMap((r) => (r.type === 'report' ? [`${slot(r.trial)} ${r.step} ${r.value} ${r.rung ?? '-'} ${r.decision ?? '-'}`] : []));
		const ends = rs.flatMap((r) => (r.type === 'complete' ? [`${slot(r.trial)} ${r.value} ${r.pruned_at ?? '-'}`] : []));
		return { reports: reports.sort(), ends: ends.sort() };
	};
	const pg = decisions(await records('asha-pg'));
	t.deepEqual(pg, decisions(readJournal(join(results, 'asha-pg', 'journal.jsonl'))));
	const pruned = pg.ends.filter((e) => !e.endsWith(' -')).length;
	t.log(`${pg.reports.length} reports, ${pruned} of ${pg.ends.length} lifetimes pruned, the same on both storages`);
	t.true(pruned > 0);
});

pgTest('two worker processes on one grid study on PostgreSQL run every grid point exactly once', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'shared',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'grid', points: 24 },
		budget: 24,
		concurrency: 2,
	});
	const env = { FIXTURE_DELAY_MS: '100', METATUNE_STORAGE: url() };
	const [ra, rb] = await Promise.all([spawnCli(['run', file, '--quiet'], env).done, spawnCli(['run', file, '--quiet'], env).done]);
	t.is(ra.code, 0, ra.stderr);
	t.is(rb.code, 0, rb.stderr);
	const rs = await records('shared');
	const asked = rs.filter((r): r is AskedRecord => r.type === 'asked');
	t.is(asked.length, 24);
	t.is(new Set(asked.map((r) => r.trial)).size, 24, 'trial numbers unique');
	t.is(new Set(asked.map((r) => r.params.x)).size, 24, 'each grid point once');
	const complete = rs.filter((r): r is CompleteRecord => r.type === 'complete');
	t.is(complete.length, 24);
	t.is(new Set(complete.map((r) => r.trial)).size, 24, 'each trial completed once');
	const pids = new Set(asked.map((r) => r.owner.pid));
	t.log(`grid points per process: ${[...pids].map((p) => asked.filter((r) => r.owner.pid === p).length).join(' + ')}`);
	t.is(pids.size, 2, 'both processes ran lifetimes');
});

pgTest('a bad URL, an unknown role or an unreachable server: one line, an exit code, nothing written', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, { name: 'unreached', objective: { module, export: 'quadratic' }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 1 }, budget: 2 });
	const results = join(dir, 'results');
	const port = new URL(url()).port;
	const cases: [string, number, RegExp][] = [
		['postgresql://metatune@/', 2, /--storage: .* is not a URL/],
		[`postgresql://nobody@127.0.0.1:${port}/postgres`, 10, /cannot connect: login refused: .*nobody/],
		['postgresql://metatune@127.0.0.1:1/postgres', 10, /cannot connect: connection refused/],
	];
	for (const [storage, code, message] of cases) {
		const r = await runCli(['run', file, '--results', results, '--storage', storage, '--quiet']);
		t.is(r.code, code, `${storage}: ${r.stderr}`);
		const lines = r.stderr.trimEnd().split('\n');
		t.is(lines.length, 1, r.stderr);
		t.regex(lines[0] as string, message);
	}
	t.false(existsSync(results), 'nothing written under --results');
	t.deepEqual(await records('unreached').catch(() => []), []);
});

pgTest('a role that may not create in the schema: one line saying what to do, exit 10, nothing written', async (t) => {
	const admin = new pg.Client(url());
	await admin.connect();
	try {
		await admin.query('CREATE ROLE plain LOGIN');
		await admin.query('CREATE DATABASE plain_db');
	} finally {
		await admin.end();
	}
	const dir = tempDir();
	const file = writeStudy(dir, { name: 'no-create', objective: { module, export: 'quadratic' }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 1 }, budget: 2 });
	const storage = `postgresql://plain@127.0.0.1:${new URL(url()).port}/plain_db`;
	const r = await runCli(['run', file, '--results', join(dir, 'results'), '--storage', storage, '--quiet']);
	t.is(r.code, 10, r.stderr);
	const lines = r.stderr.trimEnd().split('\n');
	t.is(lines.length, 1, r.stderr);
	t.regex(lines[0] as string, /permission denied for schema public: creating metatune's tables and functions needs the right to create in the schema; .*GRANT CREATE ON SCHEMA.*; nothing was written/);
});

pgTest('storage copy: file -> PostgreSQL -> file gives the same records and the same table', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'trip',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searchers: [
			{ kind: 'random', seed: 5 },
			{ kind: 'grid', points: 4 },
		],
		budget: 4,
		reevaluate: 1,
	});
	const a = join(dir, 'a');
	const b = join(dir, 'b');
	t.is((await runCli(['run', file, '--results', a, '--quiet'])).code, 0);
	const there = await runCli(['storage', 'copy', 'trip', '--from', a, '--to', url()]);
	t.is(there.code, 0, there.stderr);
	const back = await runCli(['storage', 'copy', 'trip', '--from', url(), '--to', b]);
	t.is(back.code, 0, back.stderr);
	const original = readJournal(join(a, 'trip', 'journal.jsonl'));
	t.is(original.length, 1 + 3 * 10, 'study record + asked, running, complete of (4 + 1) x 2 lifetimes');
	t.deepEqual(await records('trip'), original);
	t.deepEqual(readJournal(join(b, 'trip', 'journal.jsonl')), original);
	const tables = await Promise.all([runCli(['compare', 'trip', '--results', a]), runCli(['compare', 'trip', '--storage', url()]), runCli(['compare', 'trip', '--results', b])]);
	t.is(tables[1].stdout, tables[0].stdout);
	t.is(tables[2].stdout, tables[0].stdout);
	const again = await runCli(['storage', 'copy', 'trip', '--from', a, '--to', url()]);
	t.is(again.code, 2, 'a study already there is refused');
	t.regex(again.stderr, /already holds that study/);
});
