/**
 * Hostile journals: each corruption a tester found (params outside the space or missing, a value
 * that is not a finite number, a renamed seed key, an unknown arm, report lines duplicated, swapped
 * or deleted, a second end record). `run` must refuse each (exit 3) naming the line, and every
 * reader (status, compare, export, report, list) must warn in the same words and still exit 0.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { recordProblem } from '../../../src/study/journal/check.js';
import { journalVersion } from '../../../src/study/journal/journal.js';
import { runCli } from '../../cli-capture.js';
import { fixtures, tempDir, writeStudy } from '../helpers.js';

const module = join(fixtures, 'objectives.js');
const dir = tempDir();
const file = writeStudy(
	dir,
	{ name: 'hostile', objective: { module, export: 'curve' }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'grid', values: { x: [0.1, 0.5, 0.7] } }, budget: 3, concurrency: 1 },
	'hostile.yaml',
);

/** The finished study's journal lines (run once, copied for every case). */
const finished = (async () => {
	const results = join(dir, 'results');
	const ran = await runCli(['run', file, '--results', results, '--quiet']);
	if (ran.code !== 0) throw new Error(ran.stderr);
	return readFileSync(join(results, 'hostile', 'journal.jsonl'), 'utf8')
		.trimEnd()
		.split('\n');
})();

const isTrial = (line: string, type: string, trial: number) => line.includes(`"type":"${type}"`) && line.includes(`"trial":${trial},`);
const index = (lines: readonly string[], type: string, trial: number, nth = 0) => lines.map((l, i) => (isTrial(l, type, trial) ? i : -1)).filter((i) => i >= 0)[nth] as number;

/** An edit of the journal's lines, returning the 1-based line the corruption is found at. */
type Edit = (lines: string[]) => number;

const replaceIn =
	(type: string, trial: number, from: RegExp, to: string): Edit =>
	(lines) => {
		const i = index(lines, type, trial);
		const edited = (lines[i] as string).replace(from, to);
		if (edited === lines[i]) throw new Error(`${from} not in ${lines[i]}`);
		lines[i] = edited;
		return i + 1;
	};

/** Trial 2 left pending (its running, report and complete lines removed), then its asked record edited. */
const pending =
	(from: RegExp, to: string): Edit =>
	(lines) => {
		for (let i = lines.length - 1; i >= 0; i--) if (/"type":"(running|report|complete)"/.test(lines[i] as string) && (lines[i] as string).includes('"trial":2,')) lines.splice(i, 1);
		return replaceIn('asked', 2, from, to)(lines);
	};

const cases: readonly (readonly [string, Edit])[] = [
	['params outside the space', replaceIn('asked', 1, /"x":[0-9.e-]+/, '"x":5')],
	['params missing', replaceIn('asked', 1, /,"params":\{[^}]*\}/, '')],
	['a pending trial with params outside the space', pending(/"x":[0-9.e-]+/, '"x":-3')],
	['a pending trial without params', pending(/,"params":\{[^}]*\}/, '')],
	['a pending trial of an unknown arm', pending(/"arm":"[^"]*"/, '"arm":"nobody"')],
	['a renamed seed key (one flipped byte)', replaceIn('asked', 1, /"seed":/, '"seef":')],
	...(['null', '[1]', '"oops"', '1e999'] as const).map((v) => [`complete value ${v}`, replaceIn('complete', 1, /"value":[0-9.e-]+/, `"value":${v}`)] as const),
	[
		'a duplicated report line',
		(lines) => {
			const i = index(lines, 'report', 1, 3);
			lines.splice(i + 1, 0, lines[i] as string);
			return i + 2;
		},
	],
	[
		'swapped report lines',
		(lines) => {
			const i = index(lines, 'report', 1, 3);
			[lines[i], lines[i + 1]] = [lines[i + 1] as string, lines[i] as string];
			return i + 1;
		},
	],
	[
		'a deleted report line',
		(lines) => {
			const i = index(lines, 'report', 1, 3);
			lines.splice(i, 1);
			return i + 1;
		},
	],
	[
		'a value "oops" beside an interrupted lifetime',
		(lines) => {
			for (let i = lines.length - 1; i >= 0; i--) if (/"type":"(report|complete)"/.test(lines[i] as string) && (lines[i] as string).includes('"trial":2,')) lines.splice(i, 1);
			return replaceIn('complete', 0, /"value":[0-9.e-]+/, '"value":"oops"')(lines);
		},
	],
	[
		'a later duplicate complete record',
		(lines) => {
			lines.push((lines[index(lines, 'complete', 0)] as string).replace(/"value":[0-9.e-]+/, '"value":0.99'));
			return lines.length;
		},
	],
];

for (const [what, edit] of cases) {
	test(`${what}: run refuses naming the line (exit 3); status, compare, export, report and list warn in the same words`, async (t) => {
		const lines = [...(await finished)];
		const line = edit(lines);
		const results = tempDir();
		mkdirSync(join(results, 'hostile'));
		const journal = join(results, 'hostile', 'journal.jsonl');
		const text = `${lines.join('\n')}\n`;
		writeFileSync(journal, text);

		const run = await runCli(['run', file, '--results', results, '--quiet']);
		t.is(run.code, 3, run.stderr);
		t.is(run.stderr.trim().split('\n').length, 1, run.stderr);
		t.regex(run.stderr, new RegExp(`corrupted (record at line ${line}\\b|journal: the record at line ${line}\\b)`), run.stderr);
		t.is(readFileSync(journal, 'utf8'), text, 'run wrote nothing');
		// the words readers must repeat: run's message up to its advice
		const words = (run.stderr.replace(/^metatune: /, '').split(';')[0] as string).trim();

		for (const args of [['status', 'hostile'], ['compare', 'hostile'], ['export', 'hostile'], ['report', 'hostile', '--out', join(results, 'report')], ['list']]) {
			const read = await runCli([...args, '--results', results]);
			t.is(read.code, 0, `${args[0]}: ${read.stderr}`);
			t.true(read.stderr.includes(words), `${args[0]} warns "${words}": ${read.stderr}`);
			t.false(read.stdout.includes('re-run on the next'), `${args[0]} does not promise that resuming fixes it`);
		}
	});
}

test('a refused record names its field and says whether it is missing or of the wrong kind', (t) => {
	const complete = { type: 'complete', at: 'now', trial: 1, value: 0.5, fields: {}, wall_ms: 3 };
	t.is(recordProblem(complete, journalVersion), undefined);
	t.is(recordProblem({ ...complete, value: 'oops' }, journalVersion), 'complete record: value is not valid (Invalid input: expected number, received string)');
	t.is(recordProblem({ ...complete, value: undefined }, journalVersion), 'complete record: value is missing');
	t.regex(recordProblem({ ...complete, lease: { run: 'r', take: 0.5 } }, journalVersion) ?? '', /^complete record: lease\.take is not valid/);
	t.is(recordProblem({ type: 'study', at: 'now', v: 99 }, journalVersion), undefined, 'another version is left to the version check');
	t.is(recordProblem([1], journalVersion), 'not a journal record');
});
