import test from 'ava';
import { formatExport, lifetimeRows, runnerColumns } from '../../src/report/export.js';
import { csvHeader, finishedStudy, readCsv } from './helpers.js';

/** One grid lifetime per gamma; the objective logs fields named like the runner's own columns. */
const colliding = (metric = 'value') =>
	finishedStudy({ name: 'collide', metric, space: { gamma: { type: 'float', low: 0.5, high: 0.6 } }, searchers: [{ kind: 'grid', values: { gamma: [0.5, 0.6] } }], budget: 2, reevaluate: 0 }, () => ({
		value: 1,
		score: 3,
		status: 'diverged',
		seed: 42,
		'param.gamma': 7,
		wall_ms: 999999,
		commit: 'user',
		'field.seed': 'mine',
		env_steps: 5,
	}));

test('export csv: the runner columns keep the journal values; colliding user fields get a field. prefix', async (t) => {
	const stored = await colliding();
	const rows = lifetimeRows(stored);
	const text = formatExport(rows, 'csv');
	const header = csvHeader(text);
	t.is(new Set(header).size, header.length, 'every column once');
	const records = readCsv(text);
	t.is(records.length, 2);
	for (const [i, r] of records.entries()) {
		const row = rows[i];
		t.is(r.status, 'complete');
		t.is(r.seed, String(row?.seed));
		t.not(r.seed, '42');
		t.is(r['param.gamma'], String(row?.params.gamma));
		t.is(r.wall_ms, String(row?.wall_ms));
		t.is(r.commit, 'abc123');
		t.is(r.value, '1');
		// the user's fields, under their documented names
		t.is(r['field.status'], 'diverged');
		t.is(r['field.seed'], '42');
		t.is(r['field.param.gamma'], '7');
		t.is(r['field.wall_ms'], '999999');
		t.is(r['field.commit'], 'user');
		t.is(r['field.field.seed'], 'mine');
		t.is(r.env_steps, '5');
		t.is(r.score, '3');
	}
	t.false(header.includes('field.value'), 'the metric itself, logged as value, is not repeated');
});

test('export csv: a user value that is not the study metric is kept as field.value, even when it equals the metric', async (t) => {
	const stored = await colliding('score');
	const records = readCsv(formatExport(lifetimeRows(stored), 'csv', 'score'));
	t.true(records.every((r) => r.value === '3' && r['field.value'] === '1' && r.score === '3'));
	const equal = await finishedStudy(
		{ name: 'equal', metric: 'score', space: { gamma: { type: 'float', low: 0.5, high: 0.6 } }, searchers: [{ kind: 'grid', values: { gamma: [0.5, 0.6] } }], budget: 2, reevaluate: 0 },
		() => ({ value: 3, score: 3 }),
	);
	const rows = readCsv(formatExport(lifetimeRows(equal), 'csv', 'score'));
	t.deepEqual(
		rows.map((r) => [r.value, r['field.value']]),
		[
			['3', '3'],
			['3', '3'],
		],
	);
});

test('export json: runner values at the top level, the user fields as logged under fields', async (t) => {
	const stored = await colliding();
	const json = JSON.parse(formatExport(lifetimeRows(stored), 'json')) as Record<string, unknown>[];
	const journal = stored.state.trials.map((tr) => tr?.complete?.wall_ms);
	t.deepEqual(
		json.map((r) => r.wall_ms),
		journal,
	);
	t.true(json.every((r) => r.status === 'complete' && (r.fields as Record<string, unknown>).status === 'diverged' && (r.fields as Record<string, unknown>).wall_ms === 999999));
});

test('export: runnerColumns names every top-level column of a lifetime row', async (t) => {
	const stored = await colliding();
	const row = lifetimeRows(stored)[0] ?? {};
	t.deepEqual(
		Object.keys(row).filter((k) => k !== 'params' && k !== 'fields'),
		[...runnerColumns],
	);
});
