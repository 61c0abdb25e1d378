/**
 * A worker that is its study's only writer decides in one round trip (pg-storage.ts `ahead`: one
 * call of metatune_append_alone that appends only if nothing was written since its last read), on a
 * real PostgreSQL server started by the test (test/postgres-server.ts; skipped, saying how to install
 * it, when the binaries are missing): another worker's write meanwhile makes it decide again on the
 * current study, and a call cut off before its answer is settled, so the records stay gapless and
 * each decision is written once.
 *
 * A run with `pipeline` (runner.ts) starts each lifetime while its decision is written (writer.ts):
 * another worker writing while a lifetime runs on a decision not yet answered gets that lifetime
 * given up (its result never recorded), the study gapless and exact; a process SIGKILLed in a
 * lifetime whose decision was never written is resumed by another, which decides that trial again,
 * identically.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import pg from 'pg';
import type { AskedRecord, CompleteRecord, JournalRecord } from '../../../src/study/journal/journal.js';
import { textLiteral } from '../../../src/study/journal/pg-storage.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudySpec } from '../../../src/study/spec/spec.js';
import { sessionOf, Study } from '../../../src/study/study.js';
import { postgresForFile, storedRecords } from '../../postgres-server.js';
import { fixtures, root, waitFor } from '../helpers.js';

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
		t.is(await comment(), 'metatune decision functions 2');
		await admin.query(`COMMENT ON FUNCTION ${fn} IS 'metatune decision functions 1'`);
		(await Study.open(spec('functions-version'), { storage: url(), warn: () => undefined })).close();
		t.is(await comment(), 'metatune decision functions 2', 'an older version is replaced');
		await admin.query(`COMMENT ON FUNCTION ${fn} IS 'metatune decision functions 3'`);
		(await Study.open(spec('functions-version'), { storage: url(), warn: () => undefined })).close();
		t.is(await comment(), 'metatune decision functions 3', 'a later version is left as it is');
	} finally {
		await admin.query(`COMMENT ON FUNCTION ${fn} IS 'metatune decision functions 2'`);
		await admin.end();
	}
});

const pipelineSpec = (name: string, budget: number) => parseStudySpec({ name, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 7 }, budget });

/** The study's records with their seq numbers, read directly. */
async function stored(name: string): Promise<{ seq: number; record: JournalRecord }[]> {
	const client = new pg.Client(url());
	await client.connect();
	try {
		const rows = await client.query<{ seq: string; record: JournalRecord }>(
			'SELECT r.seq, r.record FROM metatune_records r JOIN metatune_studies s ON s.id = r.study WHERE s.name = $1 ORDER BY r.seq',
			[name],
		);
		return rows.rows.map((r) => ({ seq: Number(r.seq), record: r.record }));
	} finally {
		await client.end();
	}
}

/**
 * Gapless seq numbers, one asked record per trial and attempt, and every trial complete once with the
 * value its params give (value = x); returns each trial's x and the run that completed it.
 */
function checkExact(t: ExecutionContext, rows: readonly { seq: number; record: JournalRecord }[], budget: number): { x: Map<number, number>; completedBy: Map<number, string | undefined> } {
	t.deepEqual(
		rows.map((r) => r.seq),
		rows.map((_, i) => i),
		'seq numbers without a gap',
	);
	const asked = rows.map((r) => r.record).filter((r): r is AskedRecord => r.type === 'asked');
	const complete = rows.map((r) => r.record).filter((r): r is CompleteRecord => r.type === 'complete');
	t.is(new Set(asked.map((r) => `${r.trial}/${r.attempt}`)).size, asked.length, 'each trial and attempt asked once');
	const params = new Map(asked.map((r) => [r.trial, Number(r.params.x)]));
	t.deepEqual(
		complete.map((r) => r.trial).sort((a, b) => a - b),
		[...Array(budget).keys()],
		'every trial complete, once',
	);
	for (const r of complete) t.is(r.value, params.get(r.trial) as number, `trial ${r.trial}: the value of its own params`);
	return { x: params, completedBy: new Map(complete.map((r) => [r.trial, r.lease?.run])) };
}

pgTest('another worker writes while a lifetime runs on a decision sent ahead: that lifetime is given up, the study gapless and exact', async (t) => {
	const name = 'pipeline-conflict';
	const budget = 12;
	const a = await Study.open(pipelineSpec(name, budget), { storage: url(), warn: () => undefined });
	const b = await Study.open(pipelineSpec(name, budget), { storage: url(), warn: () => undefined });
	const runs: { trial: number; x: number }[] = [];
	try {
		const summary = await runStudy(a, {
			pipeline: true,
			concurrency: 1,
			commit: 'test',
			objective: async (params, context) => {
				runs.push({ trial: context.trial, x: Number(params.x) });
				// a report of the given-up lifetime finds its decision refused: it is answered stop, not recorded
				await context.report?.(1, Number(params.x));
				// after the 6th lifetime's report, B asks and tells a trial: A's next decision, sent ahead, is refused
				if (runs.length === 6) {
					const other = await b.ask();
					if (other === undefined) throw new Error('B found nothing to ask');
					await b.tell(other.number, Number(other.params.x));
				}
				return Number(params.x);
			},
		});
		const { completedBy } = checkExact(t, await stored(name), budget);
		const givenUp = runs.filter((r) => completedBy.get(r.trial) !== sessionOf(a).me.run);
		t.is(givenUp.length, 1, `one lifetime of A ran on a decision that was not written (B's trial): ${JSON.stringify(runs)}`);
		t.is(runs.length, budget, "A ran every trial but B's, and the given-up one");
		t.is(summary.completed, budget - 1, "A completed every trial but B's; the given-up lifetime is not counted");
		const reports = (await stored(name)).map((r) => r.record).filter((r) => r.type === 'report');
		t.deepEqual(
			reports.map((r) => r.trial).sort((x, y) => x - y),
			[...completedBy]
				.filter(([, run]) => run === sessionOf(a).me.run)
				.map(([trial]) => trial)
				.sort((x, y) => x - y),
			"one report per trial A completed; none of the given-up lifetime's",
		);
		t.true(summary.done);
	} finally {
		a.close();
		b.close();
	}
});

pgTest('a process SIGKILLed in a lifetime whose decision was never written: a resumed run decides that trial again, identically', async (t) => {
	const name = 'pipeline-killed';
	const budget = 40;
	const hang = 8;
	const child = spawn(process.execPath, ['--import', 'tsx', join(fixtures, 'pipeline-worker.ts'), url(), name, String(hang)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
	const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
	const lines: string[] = [];
	child.stdout.on('data', (d: Buffer) =>
		lines.push(
			...d
				.toString()
				.split('\n')
				.filter((l) => l !== ''),
		),
	);
	const admin = new pg.Client(url());
	await admin.connect();
	try {
		// once the lifetime before the hanging one runs and its decision is written, block the next write
		await waitFor(() => lines.length >= hang - 1, 30_000);
		const before = lines[hang - 2]?.split(' ') ?? [];
		await waitFor(async () => (await stored(name)).some((r) => r.record.type === 'asked' && r.record.trial === Number(before[1])), 10_000);
		await admin.query('BEGIN');
		await admin.query('LOCK TABLE metatune_records IN SHARE MODE');
		// the hanging lifetime starts on a decision whose write waits behind the lock
		await waitFor(() => lines.length >= hang, 10_000);
		const [, trial, x] = (lines[hang - 1] as string).split(' ');
		child.kill('SIGKILL');
		t.is(await exited, 'SIGKILL');
		// the write waiting for the lock is ended with its connection: that decision is never written
		await waitFor(async () => {
			await admin.query('SELECT pg_stat_clear_snapshot()');
			const ended = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'metatune' AND wait_event_type = 'Lock'`);
			return ended.rowCount === 1;
		}, 10_000);
		await admin.query('COMMIT');
		t.false(
			(await stored(name)).some((r) => r.record.type === 'asked' && r.record.trial === Number(trial)),
			'the decision of the killed lifetime was not written',
		);
		const study = await Study.open(pipelineSpec(name, budget), { storage: url(), warn: () => undefined });
		try {
			const summary = await runStudy(study, { pipeline: true, concurrency: 1, commit: 'test', objective: (params) => Number(params.x) });
			t.true(summary.done);
		} finally {
			study.close();
		}
		const { x: params } = checkExact(t, await stored(name), budget);
		t.is(params.get(Number(trial)), Number(x), 'the trial decided again with the params the killed lifetime ran');
	} finally {
		child.kill('SIGKILL');
		await admin.end();
	}
});

pgTest('a run stopped while its last decision is sent ahead and refused: every lifetime it counts has its end recorded', async (t) => {
	const name = 'pipeline-stopped';
	const budget = 12;
	const a = await Study.open(pipelineSpec(name, budget), { storage: url(), warn: () => undefined });
	const b = await Study.open(pipelineSpec(name, budget), { storage: url(), warn: () => undefined });
	const stop = new AbortController();
	let lifetimes = 0;
	try {
		const summary = await runStudy(a, {
			pipeline: true,
			concurrency: 1,
			commit: 'test',
			stop: stop.signal,
			objective: async (params) => {
				// in the 6th lifetime B writes, then the run is stopped: A's last call, the end of this
				// lifetime sent ahead with the decision to stop, finds B's records and is not written
				if (++lifetimes === 6) {
					await new Promise((resolve) => setTimeout(resolve, 50));
					const other = await b.ask();
					if (other === undefined) throw new Error('B found nothing to ask');
					await b.tell(other.number, Number(other.params.x));
					stop.abort();
				}
				return Number(params.x);
			},
		});
		t.true(summary.stopped);
		const complete = (await stored(name)).map((r) => r.record).filter((r): r is CompleteRecord => r.type === 'complete');
		const byA = complete.filter((r) => r.lease?.run === sessionOf(a).me.run);
		t.is(byA.length, summary.completed, `the run counted ${summary.completed} lifetimes and recorded ${byA.length} ends`);
		t.is(complete.length, byA.length + 1, "and B's trial");
	} finally {
		a.close();
		b.close();
	}
});

pgTest('a wait sent ahead and refused is made again: the lane runs the retry another worker freed, and the study ends', async (t) => {
	const name = 'pipeline-wait';
	const budget = 4;
	const retrying = (n: string) => parseStudySpec({ name: n, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 7 }, budget, retries: 1 });
	const a = await Study.open(retrying(name), { storage: url(), warn: () => undefined });
	const b = await Study.open(retrying(name), { storage: url(), warn: () => undefined });
	try {
		// B holds trial 0; A runs the rest of the budget, and in its last lifetime B's trial fails: A's
		// decision sent ahead (wait for trial 0) is refused, and the one made again is trial 0's retry
		const held = await b.ask();
		if (held === undefined) throw new Error('B found nothing to ask');
		let lifetimes = 0;
		const ran: number[] = [];
		const summary = await runStudy(a, {
			pipeline: true,
			concurrency: 1,
			commit: 'test',
			pollMs: 20,
			objective: async (params, context) => {
				ran.push(context.trial);
				if (++lifetimes === budget - 1) {
					await new Promise((resolve) => setTimeout(resolve, 50));
					await b.tell(held.number, new Error('B gives up'));
				}
				return Number(params.x);
			},
		});
		t.true(summary.done, JSON.stringify(summary));
		// trial 0's retry is a new trial (attempt 2) with trial 0's params; A ran each of its lifetimes once
		const records = (await stored(name)).map((r) => r.record);
		const asked = records.filter((r): r is AskedRecord => r.type === 'asked');
		const retry = asked.find((r) => r.attempt === 2);
		t.deepEqual(retry?.params, asked.find((r) => r.trial === held.number)?.params, 'the retry runs the failed trial again');
		t.deepEqual(ran, [1, 2, 3, retry?.trial], `A's lifetimes: ${JSON.stringify(ran)}`);
		t.deepEqual(
			records
				.filter((r): r is CompleteRecord => r.type === 'complete')
				.map((r) => r.trial)
				.sort((x, y) => x - y),
			[1, 2, 3, retry?.trial],
			'every lifetime A ran complete once',
		);
	} finally {
		a.close();
		b.close();
	}
});

/** Strings a literal must carry as written: quotes, backslashes, the dollar tag (inside, and as a suffix that would join the closing tag), other dollars, non-ASCII, a newline. */
const awkward = { quote: "it's", backslash: 'a\\b \\', tag: 'x $metatune$ y', suffix: 'ends in $metatune', dollars: '$$ $1 $', unicode: 'é 😀', newline: 'a\nb' };

test('textLiteral: dollar-quoted unless the tag would end it early, then escapeLiteral', (t) => {
	t.is(textLiteral('["it\'s", "a\\\\b"]'), '$metatune$["it\'s", "a\\\\b"]$metatune$');
	t.is(textLiteral(awkward.tag), pg.escapeLiteral(awkward.tag));
	t.is(textLiteral(awkward.suffix), pg.escapeLiteral(awkward.suffix));
	t.is(textLiteral('$metatune'), pg.escapeLiteral('$metatune'));
	t.is(textLiteral(awkward.dollars), `$metatune$${awkward.dollars}$metatune$`);
});

/** Fields of trial i: the even ones without the tag (their literal is dollar-quoted), the odd ones with it (escapeLiteral's). */
const fieldsOf = (i: number): Record<string, string> => {
	if (i % 2 === 1) return { ...awkward, tag: `${awkward.tag} ${i}` };
	const { tag: _, ...rest } = awkward;
	return rest;
};

pgTest('records with quotes, backslashes and dollar tags are stored as written by decisions under the lock', async (t) => {
	// two workers taking turns: each decision finds the other's records, so every one is made under the lock (records inserted as a literal)
	const a = await Study.open(spec('awkward-fields'), { storage: url(), warn: () => undefined });
	const b = await Study.open(spec('awkward-fields'), { storage: url(), warn: () => undefined });
	try {
		for (let i = 0; i < 6; i++) {
			const worker = i % 2 === 0 ? a : b;
			const trial = await worker.ask();
			if (trial === undefined) throw new Error('the study ended early');
			t.is((await worker.tell(trial.number, { value: trial.number, ...fieldsOf(trial.number) })).state, 'complete');
		}
	} finally {
		a.close();
		b.close();
	}
	const complete = (await storedRecords(url(), 'awkward-fields')).filter((r): r is CompleteRecord => r.type === 'complete');
	t.is(complete.length, 6);
	for (const r of complete) t.deepEqual(r.fields, { value: r.trial, ...fieldsOf(r.trial) });
});
