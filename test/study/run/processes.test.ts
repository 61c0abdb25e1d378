/**
 * Real processes: a run SIGKILLed mid-way and rerun ends exactly at budget with the same results as
 * an uninterrupted run; two `metatune run` processes on one grid study cover it exactly once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { readJournal, type AskedRecord, type CompleteRecord } from '../../../src/study/journal/journal.js';
import { fixtures, spawnCli, tempDir, waitFor, writeStudy } from '../helpers.js';

const module = join(fixtures, 'objectives.js');

function completes(path: string): CompleteRecord[] {
	return existsSync(path) ? readJournal(path, () => undefined).filter((r): r is CompleteRecord => r.type === 'complete') : [];
}

/** (arm, purpose, slot) -> params, seed, value of every completed lifetime. */
function outcomes(path: string): Record<string, string> {
	const records = readJournal(path, () => undefined);
	const asked = new Map(records.filter((r): r is AskedRecord => r.type === 'asked').map((r) => [r.trial, r]));
	const out = new Map<string, string>();
	for (const c of records) {
		if (c.type !== 'complete') continue;
		const a = asked.get(c.trial) as AskedRecord;
		out.set(`${a.arm}/${a.purpose}/${a.slot}`, JSON.stringify([a.params, a.seed, c.value]));
	}
	return Object.fromEntries([...out].sort(([a], [b]) => a.localeCompare(b)));
}

test('SIGKILL mid-study, rerun: no complete trial re-runs, interrupted ones re-run with their params and seed, exactly budget, same results as uninterrupted', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'killed',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searchers: [
			{ kind: 'random', seed: 4 },
			{ kind: 'grid', points: 10 },
		],
		budget: 10,
		reevaluate: 2,
		concurrency: 2,
	});
	const results = join(dir, 'results');
	const journal = join(results, 'killed', 'journal.jsonl');
	const first = spawnCli(['run', file, '--results', results, '--quiet'], { FIXTURE_DELAY_MS: '60' });
	// the CLI and each worker compile the sources with tsx as they start: beside a full test run on 2
	// cores that alone has taken over 20 s, so the wait allows a minute (it bounds only the wait)
	await waitFor(() => completes(journal).length >= 6, 60_000);
	first.kill('SIGKILL');
	const killed = await first.done;
	t.is(killed.signal, 'SIGKILL');
	const before = completes(journal);
	t.true(before.length < 24, 'killed before the end');
	const second = spawnCli(['run', file, '--results', results, '--quiet']);
	const rerun = await second.done;
	t.is(rerun.code, 0, rerun.stderr);
	t.regex(rerun.stdout, /Method/);
	const records = readJournal(journal, () => undefined);
	const after = records.filter((r): r is CompleteRecord => r.type === 'complete');
	// complete records from before the kill are untouched, and no trial completed twice
	t.deepEqual(after.slice(0, before.length), before);
	t.is(new Set(after.map((c) => c.trial)).size, after.length);
	const asked = records.filter((r): r is AskedRecord => r.type === 'asked');
	for (const arm of ['random', 'grid']) {
		const search = asked.filter((a) => a.arm === arm && a.purpose === 'search');
		t.is(search.length, 10, `${arm}: exactly budget asked`);
		t.is(after.filter((c) => search.some((a) => a.trial === c.trial)).length, 10, `${arm}: exactly budget complete`);
	}
	// the same study run without interruption gives the same lifetimes and values
	const clean = join(dir, 'clean');
	const third = spawnCli(['run', file, '--results', clean, '--quiet']);
	t.is((await third.done).code, 0);
	t.deepEqual(outcomes(journal), outcomes(join(clean, 'killed', 'journal.jsonl')));
});

test('two processes on one grid study cover the grid exactly once between them', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'shared',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'grid', points: 16 },
		budget: 16,
		concurrency: 2,
	});
	const results = join(dir, 'results');
	const env = { FIXTURE_DELAY_MS: '150' };
	const a = spawnCli(['run', file, '--results', results, '--quiet'], env);
	const b = spawnCli(['run', file, '--results', results, '--quiet'], env);
	const [ra, rb] = await Promise.all([a.done, b.done]);
	t.is(ra.code, 0, ra.stderr);
	t.is(rb.code, 0, rb.stderr);
	const journal = join(results, 'shared', 'journal.jsonl');
	const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
	t.true(
		lines.every((l) => JSON.parse(l) !== null),
		'every line is valid JSON',
	);
	const records = readJournal(journal);
	const asked = records.filter((r): r is AskedRecord => r.type === 'asked');
	t.is(asked.length, 16);
	t.is(new Set(asked.map((r) => r.params.x)).size, 16, 'each grid point once');
	t.is(new Set(records.filter((r) => r.type === 'complete').map((r) => (r as CompleteRecord).trial)).size, 16);
	const pids = new Set(asked.map((r) => r.owner.pid));
	t.log(`trials per process: ${[...pids].map((p) => asked.filter((r) => r.owner.pid === p).length).join(' + ')}`);
	t.is(pids.size, 2, 'both processes ran lifetimes');
});
