/**
 * A conditional study end to end through the CLI: every arm (random, gp, grid; median and asha pruners) runs
 * lifetimes that get exactly their active params (the fixture objective fails otherwise), the
 * journal stores them so, and the readers show an inactive param as absent: status and compare leave
 * it out, export gives an empty CSV cell and no JSON key, the report's slice of a conditional param
 * says it shows the lifetimes where it is active. A journal giving an inactive param a value, or
 * leaving an active one out, is a corrupted record.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { activeParams } from '../../../src/core/conditions.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { paramsProblem } from '../../../src/study/journal/check.js';
import { runCli } from '../../cli-capture.js';
import { readCsv } from '../../report/helpers.js';
import { fixtures, tempDir, writeStudy } from '../helpers.js';

const doc = {
	name: 'cond',
	objective: { module: join(fixtures, 'objectives.js'), export: 'conditional' },
	space: {
		optimizer: { type: 'categorical', choices: ['adam', 'sgd'] },
		lr: { type: 'float', low: 0, high: 1 },
		beta: { type: 'float', low: 0.8, high: 0.99, when: { optimizer: 'adam' } },
		momentum: { type: 'float', low: 0, high: 0.9, when: { optimizer: 'sgd' } },
	},
	searchers: [
		{ kind: 'random', seed: 1 },
		{ kind: 'gp', seed: 1, n_startup: 3, pruner: { kind: 'asha', min_resource: 10, max_resource: 100 } },
		{ kind: 'grid', points: 2, shuffle: true },
	],
	budget: 6,
	concurrency: 2,
	pruner: { kind: 'median', warmup_steps: 20, min_trials: 2 },
};
const spec = parseStudyDocument(doc, 'cond.yaml');
const dir = tempDir();
const file = writeStudy(dir, doc, 'cond.yaml');
const results = join(dir, 'results');
const journal = join(results, 'cond', 'journal.jsonl');

const finished = (async () => {
	const ran = await runCli(['run', file, '--results', results, '--quiet']);
	if (ran.code !== 0) throw new Error(ran.stderr);
	return readFileSync(journal, 'utf8').trimEnd().split('\n');
})();

const asked = async () => (await finished).map((l) => JSON.parse(l) as { type: string; params?: Record<string, number | string> }).filter((r) => r.type === 'asked');

test.serial('every lifetime ran with exactly its active params, and the journal holds those', async (t) => {
	const records = await asked();
	t.is(records.length, 18);
	for (const r of records) t.deepEqual(Object.keys(r.params ?? {}).sort(), Object.keys(activeParams(spec.space, r.params ?? {})).sort());
	t.true(
		records.some((r) => r.params?.optimizer === 'sgd'),
		'both branches ran',
	);
	const status = await runCli(['status', 'cond', '--results', results]);
	t.is(status.code, 0, status.stderr);
	t.regex(status.stdout, /18\/18 lifetimes ended \(complete\) \| 0 running \| 0 interrupted \| 0 failed attempts/);
	t.false(status.stdout.includes('undefined'), status.stdout);
});

test.serial('compare and status leave an inactive param out', async (t) => {
	await finished;
	const compare = await runCli(['compare', 'cond', '--results', results]);
	t.is(compare.code, 0, compare.stderr);
	t.false(compare.stdout.includes('undefined'), compare.stdout);
	for (const line of compare.stdout.split('\n').filter((l) => /^(random|gp|grid) /.test(l))) t.false(/beta=/.test(line) && /momentum=/.test(line), line);
	const json = await runCli(['compare', 'cond', '--results', results, '--format', 'json']);
	for (const row of JSON.parse(json.stdout) as { chosen: Record<string, unknown> | null }[]) {
		if (row.chosen !== null) t.false('beta' in row.chosen && 'momentum' in row.chosen);
	}
});

test.serial('export: an empty CSV cell, no JSON key', async (t) => {
	await finished;
	const csv = await runCli(['export', 'cond', '--results', results, '--format', 'csv']);
	const rows = readCsv(csv.stdout.trimEnd());
	t.is(rows.length, 18);
	const header = csv.stdout.split('\n')[0] ?? '';
	t.regex(header, /seed,param\.optimizer,param\.lr,param\.beta,param\.momentum,value/);
	for (const row of rows) t.is(row['param.beta'] === '', row['param.optimizer'] === 'sgd', JSON.stringify(row));
	for (const row of rows) t.is(row['param.momentum'] === '', row['param.optimizer'] === 'adam', JSON.stringify(row));
	const json = await runCli(['export', 'cond', '--results', results, '--format', 'json']);
	for (const row of JSON.parse(json.stdout) as { params: Record<string, unknown> }[]) t.is('beta' in row.params, row.params.optimizer === 'adam');
});

test.serial("report: a conditional param's slice shows the lifetimes where it is active, and says so", async (t) => {
	await finished;
	const out = join(dir, 'report');
	const report = await runCli(['report', 'cond', '--results', results, '--out', out]);
	t.is(report.code, 0, report.stderr);
	const html = readFileSync(join(out, 'report.html'), 'utf8');
	t.regex(html, /Only lifetimes where beta is active \(optimizer = adam\) are shown/);
	t.regex(html, /Only lifetimes where momentum is active \(optimizer = sgd\) are shown/);
});

test('the journal check: an inactive param given, or an active one missing, is refused', (t) => {
	t.is(paramsProblem(spec.space, { optimizer: 'adam', lr: 0.5, beta: 0.9 }), undefined);
	t.is(paramsProblem(spec.space, { optimizer: 'sgd', lr: 0.5, momentum: 0.1 }), undefined);
	t.is(paramsProblem(spec.space, { optimizer: 'sgd', lr: 0.5, momentum: 0.1, beta: 0.9 }), 'param beta = 0.9 is given but inactive (its condition when {optimizer:[adam]} is false)');
	t.is(paramsProblem(spec.space, { optimizer: 'adam', lr: 0.5 }), 'param beta is missing');
});

for (const [what, edit] of [
	['an inactive param given a value', (params: string) => params.replace(/"momentum":[0-9.e-]+/, '"momentum":0.5,"beta":0.9')],
	['an active param left out', (params: string) => params.replace(/,"momentum":[0-9.e-]+/, '')],
] as const) {
	test.serial(`a journal with ${what} is refused by run as a corrupted record (exit 3)`, async (t) => {
		const lines = [...(await finished)];
		const i = lines.findIndex((l) => l.includes('"type":"asked"') && l.includes('"optimizer":"sgd"'));
		const edited = (lines[i] as string).replace(/"params":\{[^}]*\}/, (p) => edit(p));
		t.not(edited, lines[i]);
		lines[i] = edited;
		const copy = join(tempDir(), 'results');
		mkdirSync(join(copy, 'cond'), { recursive: true });
		writeFileSync(join(copy, 'cond', 'journal.jsonl'), `${lines.join('\n')}\n`);
		const run = await runCli(['run', file, '--results', copy, '--quiet']);
		t.is(run.code, 3, run.stderr);
		t.regex(run.stderr, new RegExp(`corrupted .*line ${i + 1}\\b`));
		t.regex(run.stderr, /beta|momentum/);
	});
}
