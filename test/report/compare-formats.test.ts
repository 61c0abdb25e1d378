/**
 * What `compare` prints when the studies differ in metric, how CSV and JSON name the arm, and chosen
 * params without binary float noise (a log grid's 10^-3 is 0.0010000000000000002 as a double).
 */
import { readFileSync } from 'node:fs';
import test from 'ava';
import { comparisonRows, type ComparisonRow } from '../../src/report/compare.js';
import { formatComparison } from '../../src/report/compare-format.js';
import { runCli } from '../cli-capture.js';
import { tempDir } from '../study/helpers.js';
import { csvHeader, finishedStudy, readCsv } from './helpers.js';

const space = { lr: { type: 'float', low: 0.0001, high: 0.01, log: true } };
/** Peaks at lr = 10^-3, the grid's middle point. */
const peaked = (p: Record<string, unknown>) => 5 - (Math.log10(Number(p.lr)) + 3) ** 2;

let results: string;

test.before(async () => {
	results = tempDir('metatune-compare-formats-');
	await finishedStudy({ name: 'scored', space, searchers: [{ kind: 'grid', points: 3 }], budget: 3, reevaluate: 1 }, ((p: Record<string, unknown>) => ({ value: peaked(p) })) as never, results);
	await finishedStudy(
		{ name: 'lossy', space, metric: 'loss', direction: 'minimize', searchers: [{ kind: 'grid', points: 3 }], budget: 3, reevaluate: 1 },
		((p: Record<string, unknown>) => ({ loss: -peaked(p) })) as never,
		results,
	);
});

test('compare of studies with different metrics names each row’s metric and says so in one line', async (t) => {
	const text = await runCli(['compare', 'scored', 'lossy', '--results', results]);
	t.is(text.code, 0, text.stderr);
	const lines = text.stdout.trimEnd().split('\n');
	t.regex(lines[0] ?? '', /^Method\s+Metric\s+lr\s+Value \(mean, 95% CI\)\s+Best observed/);
	t.regex(text.stdout, /scored\/grid {2}value {2}\s+lr=0\.001\s/);
	t.regex(text.stdout, /lossy\/grid {3}loss {3}\s+lr=0\.001\s/);
	t.is(lines.filter((l) => /different metrics/.test(l)).length, 1, text.stdout);
	t.regex(text.stdout, /these studies optimise different metrics \(scored: value, maximize; lossy: loss, minimize\); compare values only within one metric/);
	const md = await runCli(['compare', 'scored', 'lossy', '--results', results, '--format', 'markdown']);
	t.regex(md.stdout, /^\| Method \| Metric \| lr \| Value \(mean, 95% CI\) \|/);
	t.regex(md.stdout, /different metrics/);
	// one metric: no column, no line
	const one = await runCli(['compare', 'scored', '--results', results]);
	t.notRegex(one.stdout, /Metric|different metrics/);
});

test('CSV and JSON name the arm `arm`', async (t) => {
	const rows = comparisonRows((await import('../../src/study/stored.js')).loadStoredStudy('scored', results));
	const csv = formatComparison(rows, 'csv');
	t.is(csvHeader(csv)[1], 'arm');
	t.false(csvHeader(csv).includes('method'));
	t.is(readCsv(csv)[0]?.arm, 'grid');
	t.is((JSON.parse(formatComparison(rows, 'json')) as ComparisonRow[])[0]?.arm, 'grid');
});

test('chosen params carry no float noise in CSV and JSON', async (t) => {
	const { loadStoredStudy } = await import('../../src/study/stored.js');
	const stored = loadStoredStudy('scored', results);
	t.is(stored.state.trials.find((tr) => tr?.asked.purpose === 'reevaluate')?.asked.params.lr, 0.0010000000000000002, 'the journal holds the double the grid made');
	const rows = comparisonRows(stored);
	const csv = formatComparison(rows, 'csv');
	t.is(readCsv(csv)[0]?.chosen, '{"lr":0.001}');
	t.notRegex(csv, /0000000000/);
	const json = formatComparison(rows, 'json');
	t.notRegex(json, /0000000000/);
	t.is((JSON.parse(json) as ComparisonRow[])[0]?.chosen?.lr, 0.001);
});

test('the report page shows the metric column and puts the line under the table, not in a row', async (t) => {
	const { writeReport } = await import('../../src/report/html.js');
	const report = await writeReport(['scored', 'lossy'], { resultsDir: results, outDir: tempDir('metatune-compare-formats-out-') });
	const html = readFileSync(report.html, 'utf8');
	const table = html.slice(html.indexOf('<table class="comparison">'), html.indexOf('</table>', html.indexOf('<table class="comparison">')));
	t.regex(table, /<th>Method<\/th><th>Metric<\/th>/);
	t.regex(table, /<td>scored\/grid<\/td><td>value<\/td><td>lr=0\.001<\/td><td class="num">/);
	t.notRegex(table, /different metrics/);
	t.regex(html, /<\/table><p class="note">note: these studies optimise different metrics/);
});
