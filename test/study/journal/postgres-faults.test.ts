/**
 * Fault tests of the PostgreSQL storage with real worker processes on a real server started by the
 * test (test/postgres-server.ts; skipped, saying how to install it, when the binaries are missing):
 * a worker SIGKILLed mid-run leaves its lifetimes to the others, which re-run each once; 8 workers
 * on one random study number their trials without a duplicate or a gap.
 */
import { join } from 'node:path';
import test from 'ava';
import type { AskedRecord, CompleteRecord, JournalRecord } from '../../../src/study/journal/journal.js';
import { postgresForFile, storedRecords } from '../../postgres-server.js';
import { fixtures, spawnCli, tempDir, waitFor, writeStudy } from '../helpers.js';

const module = join(fixtures, 'objectives.js');
const { pgTest, url } = postgresForFile(test);

interface Attempts {
	/** pid of each `running` record of the trial, in order */
	readonly runs: number[];
	/** pid whose `running` record was the latest when each `complete` record was written */
	readonly completedBy: number[];
}

/** Per trial: who started it (each take-over is another `running` record) and who completed it. */
function attempts(rs: readonly JournalRecord[]): Map<number, Attempts> {
	const out = new Map<number, Attempts>();
	const of = (trial: number) => out.get(trial) ?? (out.set(trial, { runs: [], completedBy: [] }).get(trial) as Attempts);
	for (const r of rs) {
		if (r.type === 'running') of(r.trial).runs.push(r.owner.pid);
		if (r.type === 'complete') {
			const a = of(r.trial);
			a.completedBy.push(a.runs.at(-1) ?? -1);
		}
	}
	return out;
}

pgTest('3 workers on a 60-point grid, one SIGKILLed mid-run: every grid point completed once, its interrupted lifetimes re-run once', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'killed',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'grid', points: 60 },
		budget: 60,
		concurrency: 2,
	});
	// each lifetime sleeps 150 ms, so a worker almost always holds lifetimes in flight when killed
	const env = { FIXTURE_DELAY_MS: '150', METATUNE_STORAGE: url() };
	const workers = [0, 1, 2].map(() => spawnCli(['run', file, '--quiet'], env));
	const victim = workers[0] as (typeof workers)[0];
	// kill once the victim has completed 3 lifetimes and the study is far from done
	let completedWhenKilled = 0;
	await waitFor(
		async () => {
			const rs = await storedRecords(url(), 'killed').catch(() => []);
			const byVictim = [...attempts(rs).values()].flatMap((a) => a.completedBy).filter((p) => p === victim.pid).length;
			completedWhenKilled = rs.filter((r) => r.type === 'complete').length;
			return byVictim >= 3;
		},
		60_000,
		50,
	);
	victim.kill('SIGKILL');
	const killed = await victim.done;
	t.is(killed.signal, 'SIGKILL');
	t.true(completedWhenKilled < 45, `killed mid-run (${completedWhenKilled} of 60 complete)`);
	for (const w of workers.slice(1)) {
		const r = await w.done;
		t.is(r.code, 0, r.stderr);
	}
	const rs = await storedRecords(url(), 'killed');
	const asked = rs.filter((r): r is AskedRecord => r.type === 'asked');
	t.is(asked.length, 60, 'one asked record per grid point');
	t.is(new Set(asked.map((r) => r.params.x)).size, 60, 'each grid point asked once');
	const complete = rs.filter((r): r is CompleteRecord => r.type === 'complete');
	t.is(complete.length, 60, 'exactly 60 complete records');
	const sorted = (ns: number[]) => ns.sort((a, b) => a - b);
	t.deepEqual(sorted(complete.map((r) => r.trial)), sorted(asked.map((r) => r.trial)), 'every asked trial completed, each once');
	t.false(
		rs.some((r) => r.type === 'failed'),
		'nothing failed',
	);
	// interrupted: started by the victim, completed by someone else after exactly one take-over
	const all = attempts(rs);
	const interrupted = [...all].filter(([, a]) => a.runs.includes(victim.pid) && !a.completedBy.includes(victim.pid));
	t.true(interrupted.length >= 1, 'the victim was killed with lifetimes in flight');
	for (const [trial, a] of interrupted) {
		t.deepEqual(a.runs.length, 2, `trial ${trial}: started by the victim, taken over once (${a.runs.join(' -> ')})`);
		t.is(a.runs[0], victim.pid, `trial ${trial}: the victim started it`);
		t.not(a.completedBy[0], victim.pid, `trial ${trial}: completed by a survivor`);
	}
	// trials nobody interrupted ran once
	for (const [trial, a] of all) if (!interrupted.some(([i]) => i === trial)) t.is(a.runs.length, 1, `trial ${trial} started once`);
	const pids = workers.map((w) => w.pid);
	const perWorker = pids.map((p) => complete.filter((c) => all.get(c.trial)?.completedBy[0] === p).length);
	t.log(
		`killed with ${completedWhenKilled}/60 complete; completed per worker (victim first): ${perWorker.join(' + ')} = 60; interrupted and re-run once: ${interrupted.length} (trials ${interrupted.map(([i]) => i).join(', ')})`,
	);
});

// the 2000 trials: ~15 s for the 8 processes on a 2-core machine at load average 5 (~22 s
// inside the full parallel test run)
const randomTrials = 2000;

pgTest(`8 workers on a random study of ${randomTrials} trivial trials: trial numbers unique and gapless, each completed once`, async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'many',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 8 },
		budget: randomTrials,
		concurrency: 1,
	});
	const env = { METATUNE_STORAGE: url() };
	const started = Date.now();
	const workers = Array.from({ length: 8 }, () => spawnCli(['run', file, '--quiet'], env));
	for (const w of workers) {
		const r = await w.done;
		t.is(r.code, 0, r.stderr);
	}
	const wall = Date.now() - started;
	const rs = await storedRecords(url(), 'many');
	const asked = rs.filter((r): r is AskedRecord => r.type === 'asked');
	const trials = asked.map((r) => r.trial).sort((a, b) => a - b);
	t.deepEqual(
		trials,
		Array.from({ length: randomTrials }, (_, i) => i),
		'trial numbers 0..n-1, each once',
	);
	t.is(new Set(asked.map((r) => r.slot)).size, randomTrials, 'each search slot once');
	const complete = rs.filter((r): r is CompleteRecord => r.type === 'complete');
	t.is(complete.length, randomTrials);
	t.is(new Set(complete.map((r) => r.trial)).size, randomTrials, 'each trial completed once');
	t.is(rs.filter((r) => r.type === 'running').length, randomTrials, 'each trial started once');
	const pids = workers.map((w) => w.pid);
	const perWorker = pids.map((p) => asked.filter((r) => r.owner.pid === p).length);
	t.log(`${randomTrials} trials in ${wall} ms (8 processes, start-up included); per worker: ${perWorker.join(' + ')}`);
	t.true(
		perWorker.every((n) => n > 0),
		'every worker ran trials',
	);
});
