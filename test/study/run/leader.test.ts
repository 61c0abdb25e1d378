/**
 * Workers of one study on one host electing a leader that decides and records for all (runStudy
 * `electLeader`: run/elected.ts, leader.ts, follower.ts), as real processes on a real PostgreSQL
 * server started by the test (skipped, saying how to install it, when the binaries are missing):
 * every trial numbered once and ended once, every record the leader's; a follower SIGKILLed
 * mid-lifetime has its lifetime re-run; the leader SIGKILLed leaves the followers to finish the
 * study (one of them leads next); the file journal refuses the option.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import pg from 'pg';
import type { AskedRecord, CompleteRecord, JournalRecord, ReportRecord, RunningRecord } from '../../../src/study/journal/journal.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudySpec } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';
import { postgresForFile, storedRecords } from '../../postgres-server.js';
import { tempDir } from '../../temp.js';
import { fixtures, root, spawnCli, waitFor, writeStudy } from '../helpers.js';

const { pgTest, url } = postgresForFile(test);

interface Worker {
	readonly child: ChildProcess;
	readonly pid: number;
	/** lifetimes this process has started so far (its `started` lines) */
	readonly started: () => number;
	/** resolves with the exit code (null when killed), the run summary printed last and what the process wrote to stderr */
	readonly done: Promise<{ readonly code: number | null; readonly summary: { completed: number; done: boolean } | undefined; readonly stderr: string }>;
}

/** every worker started, killed when this test process exits (a test that failed midway leaves none running, or stopped) */
const children = new Set<ChildProcess>();
process.on('exit', () => {
	for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function startWorker(name: string, trials: number, delayMs: number, lease = 30): Worker {
	const child = spawn(process.execPath, ['--import', 'tsx', join(fixtures, 'leader-worker.ts'), url(), name, String(trials), String(delayMs), String(lease)], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.add(child);
	let out = '';
	let stderr = '';
	child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
	const started = () => out.split('\n').filter((l) => l.startsWith('started ')).length;
	child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const done = new Promise<{ code: number | null; summary: { completed: number; done: boolean } | undefined; stderr: string }>((resolve) =>
		child.on('close', (code) => {
			const last = out.trim().split('\n').at(-1);
			resolve({ code, summary: last?.startsWith('{') ? JSON.parse(last) : undefined, stderr });
		}),
	);
	return { child, pid: child.pid as number, started, done };
}

/** This study's leader entries (pg-leader.ts). */
async function leaders(name: string): Promise<{ run: string; pid: number; socket: string }[]> {
	const client = new pg.Client(url());
	await client.connect();
	try {
		const rows = await client.query<{ run: string; pid: number; socket: string }>('SELECT l.run, l.pid, l.socket FROM metatune_leaders l JOIN metatune_studies s ON s.id = l.study WHERE s.name = $1', [
			name,
		]);
		return rows.rows;
	} catch {
		return []; // no table yet
	} finally {
		await client.end();
	}
}

/** Every trial 0..n-1 asked once and completed once. */
function assertComplete(t: import('ava').ExecutionContext, rs: readonly JournalRecord[], n: number): void {
	const asked = rs.filter((r): r is AskedRecord => r.type === 'asked');
	t.deepEqual(
		asked.map((r) => r.trial).sort((a, b) => a - b),
		Array.from({ length: n }, (_, i) => i),
		'trial numbers 0..n-1, each asked once',
	);
	const complete = rs.filter((r): r is CompleteRecord => r.type === 'complete');
	t.deepEqual(
		complete.map((r) => r.trial).sort((a, b) => a - b),
		Array.from({ length: n }, (_, i) => i),
		'each trial completed once',
	);
	t.false(
		rs.some((r) => r.type === 'failed'),
		'nothing failed',
	);
}

/** pid of the process whose objective evaluated each completed trial */
const evaluatedBy = (rs: readonly JournalRecord[]) => rs.filter((r): r is CompleteRecord => r.type === 'complete').map((r) => Number(r.fields.pid));

pgTest('3 processes electing a leader: one leader records everything, the followers evaluate and write nothing', async (t) => {
	t.timeout(60_000);
	const trials = 40;
	const workers = [0, 1, 2].map(() => startWorker('led', trials, 80));
	const ends = await Promise.all(workers.map((w) => w.done));
	for (const e of ends) t.is(e.code, 0, e.stderr);
	const rs = await storedRecords(url(), 'led');
	assertComplete(t, rs, trials);
	const owners = new Set(rs.filter((r): r is RunningRecord | AskedRecord => r.type === 'running' || r.type === 'asked').map((r) => r.owner.pid));
	t.is(owners.size, 1, 'every asked and running record is of one process');
	const leader = [...owners][0] as number;
	t.true(
		workers.some((w) => w.pid === leader),
		'the leader is one of the workers',
	);
	const by = evaluatedBy(rs);
	for (const w of workers) t.true(by.includes(w.pid), `worker ${w.pid} evaluated lifetimes`);
	t.is(rs.filter((r) => r.type === 'running').length, trials, 'each trial started once');
	const reports = rs.filter((r): r is ReportRecord => r.type === 'report');
	t.is(reports.length, 2 * trials, 'two reports per lifetime, those of the followers relayed by the leader');
	t.is(new Set(reports.map((r) => `${r.trial}:${r.step}`)).size, 2 * trials, 'each report recorded once');
	t.deepEqual(
		ends.map((e) => e.summary?.done),
		[true, true, true],
		'every process saw the study done',
	);
	t.is(
		ends.reduce((s, e) => s + (e.summary?.completed ?? 0), 0),
		trials,
		'the summaries count each lifetime once, for the process that evaluated it',
	);
	t.deepEqual(await leaders('led'), [], 'the leader removed its entry');
});

/** SIGKILL `victim`; the other workers exit 0 and study `name` holds every one of its `trials` once: its records. */
async function killAndFinish(t: ExecutionContext, workers: readonly Worker[], victim: Worker, name: string, trials: number): Promise<JournalRecord[]> {
	victim.child.kill('SIGKILL');
	t.is((await victim.done).code, null);
	for (const w of workers.filter((w) => w !== victim)) {
		const end = await w.done;
		t.is(end.code, 0, end.stderr);
	}
	const rs = await storedRecords(url(), name);
	assertComplete(t, rs, trials);
	return rs;
}

pgTest('a follower SIGKILLed mid-lifetime: its lifetime is re-run and the study completes', async (t) => {
	t.timeout(60_000);
	const trials = 30;
	// a lifetime of 150 ms, the victim killed as soon as it says it started its fourth: mid-lifetime
	const workers = [0, 1].map(() => startWorker('follower-killed', trials, 150));
	let leader = 0;
	await waitFor(async () => {
		leader = (await leaders('follower-killed'))[0]?.pid ?? 0;
		return leader !== 0;
	}, 20_000);
	const victim = workers.find((w) => w.pid !== leader) as Worker;
	await waitFor(() => victim.started() >= 4, 30_000, 2);
	const rs = await killAndFinish(t, workers, victim, 'follower-killed', trials);
	const runs = new Map<number, number>();
	for (const r of rs) if (r.type === 'running') runs.set(r.trial, (runs.get(r.trial) ?? 0) + 1);
	const rerun = [...runs].filter(([, n]) => n > 1).map(([trial]) => trial);
	t.is(rerun.length, 1, `the victim's lifetime was started again (trials started twice: ${rerun.join(', ')})`);
	t.false(evaluatedBy(rs).slice(-5).includes(victim.pid), 'the victim completed nothing at the end');
});

pgTest('the leader SIGKILLed: the followers finish the study, one of them leading, nothing recorded twice', async (t) => {
	t.timeout(60_000);
	const trials = 40;
	const workers = [0, 1].map(() => startWorker('leader-killed', trials, 30));
	let leader = 0;
	let socket = '';
	await waitFor(async () => {
		const entry = (await leaders('leader-killed'))[0];
		leader = entry?.pid ?? 0;
		socket = entry?.socket ?? '';
		return leader !== 0;
	}, 20_000);
	await waitFor(async () => (await storedRecords(url(), 'leader-killed')).filter((r) => r.type === 'complete').length >= 6, 30_000);
	const victim = workers.find((w) => w.pid === leader) as Worker;
	const rs = await killAndFinish(t, workers, victim, 'leader-killed', trials);
	const owners = new Set(rs.filter((r): r is RunningRecord => r.type === 'running').map((r) => r.owner.pid));
	t.true(owners.has(leader), 'the first leader recorded');
	t.true(
		[...owners].some((p) => p !== leader),
		'a follower recorded after the leader died',
	);
	t.true(existsSync(dirname(socket)) === false, `the killed leader's socket folder ${dirname(socket)} was removed by the next leader`);
});

pgTest('the leader SIGSTOPped past its lease: the followers finish the study without it; resumed, it records nothing twice', async (t) => {
	t.timeout(60_000);
	const trials = 40;
	const lease = 2;
	const workers = [0, 1].map(() => startWorker('leader-stopped', trials, 30, lease));
	let leader = 0;
	await waitFor(async () => {
		leader = (await leaders('leader-stopped'))[0]?.pid ?? 0;
		return leader !== 0;
	}, 20_000);
	await waitFor(async () => (await storedRecords(url(), 'leader-stopped')).filter((r) => r.type === 'complete').length >= 6, 30_000);
	const victim = workers.find((w) => w.pid === leader) as Worker;
	victim.child.kill('SIGSTOP');
	const stoppedAt = Date.now();
	try {
		// the followers alone complete the study while the leader is stopped
		await waitFor(async () => (await storedRecords(url(), 'leader-stopped')).filter((r) => r.type === 'complete').length >= trials, 40_000, 100);
	} finally {
		victim.child.kill('SIGCONT');
	}
	t.log(`the leader stopped for ${Date.now() - stoppedAt} ms (lease ${lease} s) while the followers completed the study`);
	for (const w of workers) {
		const end = await w.done;
		t.is(end.code, 0, end.stderr);
	}
	assertComplete(t, await storedRecords(url(), 'leader-stopped'), trials);
});

pgTest('metatune run --leader, 2 processes, a module objective in worker threads: one leader records, every trial once', async (t) => {
	t.timeout(60_000);
	const trials = 16;
	const file = writeStudy(tempDir(), {
		name: 'cli-led',
		objective: { module: join(fixtures, 'objectives.js'), export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 3 },
		budget: trials,
		concurrency: 1,
	});
	const runs = [0, 1].map(() => spawnCli(['run', file, '--quiet', '--leader'], { METATUNE_STORAGE: url(), FIXTURE_DELAY_MS: '40' }));
	for (const r of runs) {
		const end = await r.done;
		t.is(end.code, 0, end.stderr);
	}
	const rs = await storedRecords(url(), 'cli-led');
	assertComplete(t, rs, trials);
	const owners = new Set(rs.filter((r): r is RunningRecord => r.type === 'running').map((r) => r.owner.pid));
	t.is(owners.size, 1, 'every running record is of one process');
});

test('the file journal refuses electLeader with one line', async (t) => {
	const spec = parseStudySpec({ name: 'file-leader', space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 1 }, budget: 2 });
	const study = await Study.open(spec, { resultsDir: tempDir() });
	try {
		const error = await t.throwsAsync(runStudy(study, { electLeader: true, objective: (p) => Number(p.x) }));
		t.regex(error?.message ?? '', /^electLeader: .*only a study stored in PostgreSQL/);
	} finally {
		study.close();
	}
});
