/**
 * The report's output folder: checked before any work (one line naming --out, exit 2: a file in the
 * way, /proc), and figures an earlier report wrote there that the new one does not draw are removed,
 * nothing else.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../cli-capture.js';
import { InputError } from '../../src/core/errors.js';
import { writeReport } from '../../src/report/html.js';
import { figureIdPattern } from '../../src/report/stale-figures.js';
import { parseStudyDocument } from '../../src/study/spec/spec.js';
import { Study } from '../../src/study/study.js';
import { tempDir } from '../study/helpers.js';
import { interruptedStudy, twoParamStudy } from './plots/fixtures.js';

let results: string;

test.before(async () => {
	results = tempDir('metatune-report-out-');
	await twoParamStudy(results);
	await interruptedStudy(results);
});

test('a report into a folder holding an earlier report removes the figures it does not draw, and only those', async (t) => {
	const out = join(results, 'shared-out');
	const first = await writeReport(['two-params'], { resultsDir: results, outDir: out });
	const firstIds = first.figures.map((f) => f.id);
	// a module objective labels no param, so two searched params draw no reward-against figure
	t.deepEqual(firstIds, ['best-so-far', 'slice-gamma', 'slice-lr', 'importance']);
	t.deepEqual(first.removed, []);
	// files of the user's that look like figures but were not drawn by the earlier report stay
	writeFileSync(join(out, 'slice-mine.svg'), '<svg xmlns="http://www.w3.org/2000/svg"></svg>');
	writeFileSync(join(out, 'notes.txt'), 'mine');
	const second = await writeReport(['interrupted'], { resultsDir: results, outDir: out });
	t.deepEqual(
		second.figures.map((f) => f.id),
		['best-so-far', 'reward-vs-discount'],
	);
	t.deepEqual(second.removed, ['slice-gamma.svg', 'slice-lr.svg', 'importance.svg']);
	t.deepEqual(readdirSync(out).sort(), ['best-so-far.svg', 'notes.txt', 'report.html', 'reward-vs-discount.svg', 'slice-mine.svg']);
});

test.serial('metatune report: the message names what was written and what was removed', async (t) => {
	const out = join(results, 'cli-out');
	const first = await runCli(['report', 'two-params', '--results', results, '--out', out]);
	t.is(first.code, 0, first.stderr);
	t.regex(first.stdout, /and 4 figures \(best-so-far\.svg, slice-gamma\.svg, slice-lr\.svg, importance\.svg\)\n$/);
	// a study with nothing complete draws no figure: the earlier four all go
	const empty = tempDir('metatune-report-empty-');
	const study = await Study.open(
		parseStudyDocument({ name: 'nothing-yet', objective: { module: 'unused.js' }, space: { gamma: { type: 'float', low: 0.5, high: 0.99 } }, searcher: { kind: 'random', seed: 0 }, budget: 2 }),
		{ resultsDir: empty },
	);
	study.close();
	const second = await runCli(['report', 'nothing-yet', '--results', empty, '--out', out]);
	t.is(second.code, 0, second.stderr);
	t.is(
		second.stdout,
		`wrote ${join(out, 'report.html')} (no figures drawn yet)\nremoved 4 figures of the earlier report in ${out} that this report does not draw (best-so-far.svg, slice-gamma.svg, slice-lr.svg, importance.svg)\n`,
	);
	t.deepEqual(readdirSync(out), ['report.html']);
});

test('every figure id matches the names the stale-figure cleanup recognises', (t) => {
	for (const id of ['best-so-far', 'reward-vs-discount', 'gamma-trajectories', 'tuned-trajectories', 'learning-curves', 'importance', 'importance-two-params', 'slice-gamma', 'slice-two-params-lr'])
		t.regex(id, figureIdPattern);
	for (const id of ['report', 'notes', 'my-plot', 'slice-', 'importance-']) t.notRegex(id, figureIdPattern);
});

test.serial('--out that is a file, or under /proc, is one line naming --out before any work (exit 2)', async (t) => {
	const file = join(results, 'a-file');
	writeFileSync(file, 'x');
	// checked before the studies are loaded: a missing study is not what is reported
	const error = await t.throwsAsync(writeReport(['no-such-study'], { resultsDir: results, outDir: file }), { instanceOf: InputError });
	t.regex(error?.message ?? '', /^--out: cannot use .*a-file as an output folder \(it is a file\)/);
	const asFile = await runCli(['report', 'two-params', '--results', results, '--out', file]);
	t.is(asFile.code, 2);
	t.is(asFile.stderr.split('\n').length, 2, asFile.stderr);
	t.regex(asFile.stderr, /^metatune: --out: cannot use .*a-file as an output folder \(it is a file\)/);
	const proc = await runCli(['report', 'two-params', '--results', results, '--out', '/proc/metatune-report-x']);
	t.is(proc.code, 2);
	t.regex(proc.stderr, /^metatune: --out: cannot use \/proc\/metatune-report-x as an output folder/);
	t.false(existsSync('/proc/metatune-report-x'));
	const under = join(results, 'a-file', 'sub');
	const nested = await runCli(['report', 'two-params', '--results', results, '--out', under]);
	t.is(nested.code, 2);
	t.regex(nested.stderr, /--out: cannot use .* \(.*a-file is a file\)/);
});

test.serial('--out given twice is one line, exit 2', async (t) => {
	const r = await runCli(['report', 'two-params', '--results', results, '--out', join(results, 'o1'), '--out', join(results, 'o2')]);
	t.is(r.code, 2);
	t.regex(r.stderr, /^metatune: --out: given 2 times; give it once\n$/);
});
