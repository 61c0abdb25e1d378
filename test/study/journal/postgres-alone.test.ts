/**
 * A worker that is its study's only writer decides in one round trip (pg-storage.ts `ahead`: one
 * call of metatune_append_alone that appends only if nothing was written since its last read), on a
 * real PostgreSQL server started by the test (test/postgres-server.ts; skipped, saying how to install
 * it, when the binaries are missing): another worker's write meanwhile makes it decide again on the
 * current study, and a call cut off before its answer is settled, so the records stay gapless and
 * each decision is written once.
 */
import { join } from 'node:path';
import test from 'ava';
import pg from 'pg';
import type { AskedRecord } from '../../../src/study/journal/journal.js';
import { sessionOf, Study } from '../../../src/study/study.js';
import { postgresForFile, storedRecords } from '../../postgres-server.js';
import { fixtures, waitFor } from '../helpers.js';

const module = join(fixtures, 'objectives.js');
const { pgTest, url } = postgresForFile(test);

const spec = (name: string) => ({ name, objective: { module, export: 'quadratic' }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 4 }, budget: 8 });

/** Ask and tell `n` trials in a row: the worker's decisions find nothing new, so the next one is made ahead of the lock. */
async function alone(study: Study, n: number): Promise<void> {
	for (let i = 0; i < n; i++) {
		const trial = await study.ask();
		if (trial === undefined) throw new Error('the study ended early');
		await study.tell(trial.number, 0.5);
	}
}

const asked = async (name: string) => (await storedRecords(url(), name)).filter((r): r is AskedRecord => r.type === 'asked');

pgTest('a worker deciding ahead of the lock while another wrote decides again on the current study', async (t) => {
	const a = await Study.open(spec('ahead-conflict'), { storage: url(), warn: () => undefined });
	await alone(a, 3);
	const b = await Study.open(spec('ahead-conflict'), { storage: url(), warn: () => undefined });
	try {
		const trialB = await b.ask();
		const trialA = await a.ask();
		t.is(trialB?.number, 3, "B's trial follows A's three");
		t.is(trialA?.number, 4, "A's decision, made ahead on a study B had moved on, was made again after B's");
		const rs = await asked('ahead-conflict');
		t.deepEqual(
			rs.map((r) => [r.trial, r.slot, r.owner.run]),
			[0, 1, 2, 3, 4].map((n) => [n, n, n === 3 ? sessionOf(b).me.run : sessionOf(a).me.run]),
		);
		t.is((await a.tell(4, 0.25)).state, 'complete');
		t.is((await b.tell(3, 0.75)).state, 'complete');
	} finally {
		a.close();
		b.close();
	}
});

pgTest("a worker's call ahead of the lock cut off before its answer: its records are written once, gapless", async (t) => {
	const warnings: string[] = [];
	const a = await Study.open(spec('ahead-cut'), { storage: url(), warn: (m) => warnings.push(m) });
	const admin = new pg.Client(url());
	await admin.connect();
	try {
		await alone(a, 3);
		// the call's INSERT waits behind this lock; its connection is ended there
		await admin.query('BEGIN');
		await admin.query('LOCK TABLE metatune_records IN SHARE MODE');
		const ask = a.ask();
		let pid = 0;
		await waitFor(
			async () => {
				await admin.query('SELECT pg_stat_clear_snapshot()');
				const rows = await admin.query<{ pid: number }>(
					`SELECT pid FROM pg_stat_activity WHERE application_name = 'metatune' AND wait_event_type = 'Lock' AND query LIKE 'SELECT * FROM metatune_append_alone%'`,
				);
				pid = rows.rows[0]?.pid ?? 0;
				return pid !== 0;
			},
			10_000,
			10,
		);
		await admin.query('SELECT pg_terminate_backend($1)', [pid]);
		await admin.query('COMMIT');
		const trial = await ask;
		t.is(trial?.number, 3);
		const rs = await asked('ahead-cut');
		t.deepEqual(
			rs.map((r) => r.trial),
			[0, 1, 2, 3],
			'each decision written once, gapless',
		);
		t.is(warnings.filter((m) => /lost the connection/.test(m)).length, 1, warnings.join('\n'));
		t.is((await a.tell(3, 0.5)).state, 'complete');
		await alone(a, 1);
		t.deepEqual(
			(await asked('ahead-cut')).map((r) => r.trial),
			[0, 1, 2, 3, 4],
		);
	} finally {
		await admin.end();
		a.close();
	}
});

pgTest("the decision functions are created again over an older version's, never over a later one's", async (t) => {
	const admin = new pg.Client(url());
	await admin.connect();
	const fn = 'metatune_append_alone(bigint,bigint,json,text,text,integer,double precision)';
	const comment = async () => (await admin.query<{ c: string }>(`SELECT obj_description(to_regprocedure('${fn}'), 'pg_proc') AS c`)).rows[0]?.c;
	try {
		(await Study.open(spec('functions-version'), { storage: url(), warn: () => undefined })).close();
		t.is(await comment(), 'metatune decision functions 1');
		await admin.query(`COMMENT ON FUNCTION ${fn} IS 'metatune decision functions 0'`);
		(await Study.open(spec('functions-version'), { storage: url(), warn: () => undefined })).close();
		t.is(await comment(), 'metatune decision functions 1', 'an older version is replaced');
		await admin.query(`COMMENT ON FUNCTION ${fn} IS 'metatune decision functions 2'`);
		(await Study.open(spec('functions-version'), { storage: url(), warn: () => undefined })).close();
		t.is(await comment(), 'metatune decision functions 2', 'a later version is left as it is');
	} finally {
		await admin.query(`COMMENT ON FUNCTION ${fn} IS 'metatune decision functions 1'`);
		await admin.end();
	}
});
