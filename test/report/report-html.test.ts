/**
 * report.html end to end: written by writeReport and by `metatune report`, then opened in headless
 * Chromium (Debian's `chromium`; `.ci/install-chromium` installs it; `METATUNE_CHROMIUM` names
 * another binary). Without a browser the browser test is skipped, visibly: its title says so and a
 * line on stderr says how to install one; with METATUNE_REQUIRE_BROWSER=1 (what `.ci/run` sets) a
 * missing browser fails it instead.
 */
import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import test from 'ava';
import { InputError } from '../../src/core/errors.js';
import { writeReport, type ReportResult } from '../../src/report/html.js';
import { parseStudyDocument } from '../../src/study/spec/spec.js';
import { Study } from '../../src/study/study.js';
import { spawnCli, tempDir } from '../study/helpers.js';
import { interruptedStudy, signatureStudy, twoParamStudy } from './plots/fixtures.js';

let results: string;
let report: ReportResult;

test.before(async () => {
	results = tempDir('metatune-report-');
	await signatureStudy(results);
	await twoParamStudy(results);
	await interruptedStudy(results);
	report = await writeReport(['signature', 'two-params'], { resultsDir: results, outDir: join(results, 'both') });
});

const expectedFigures = ['best-so-far', 'reward-vs-discount', 'gamma-trajectories', 'learning-curves', 'slice-two-params-gamma', 'slice-two-params-lr', 'importance-two-params'];

test('writeReport writes one SVG per figure and a page that inlines them and loads nothing', (t) => {
	t.deepEqual(
		report.figures.map((f) => f.id),
		expectedFigures,
	);
	t.deepEqual(report.skipped, []);
	for (const f of report.figures) t.true(readFileSync(f.file, 'utf8').startsWith('<svg'), f.file);
	const html = readFileSync(report.html, 'utf8');
	t.is(html.match(/<figure /g)?.length, expectedFigures.length);
	for (const id of expectedFigures) t.regex(html, new RegExp(`<figure id="fig-${id}" data-figure="${id}"><svg`));
	t.notRegex(html, /<script|<link|<img|<iframe|@import|(src|href)="(https?:)?\/\//i);
	t.regex(html, /<table class="comparison">[\s\S]*signature\/grid[\s\S]*two-params\/random/);
	t.regex(html, /Commit<\/th><td>fixture1/);
	t.is(html.match(/data-progress="complete"/g)?.length, 2);
	// ids are unique on the page although each SVG numbers its clip paths from 1
	const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
	t.is(new Set(ids).size, ids.length);
});

test('an interrupted study is reported with what is there so far, and says so', async (t) => {
	const r = await writeReport(['interrupted'], { resultsDir: results });
	t.is(r.outDir, join(results, 'interrupted', 'report'));
	const html = readFileSync(r.html, 'utf8');
	t.regex(html, /data-progress="interrupted"/);
	t.regex(html, /Interrupted: 1 of up to 4 lifetimes ended, 1 started but unfinished/);
	t.true(r.figures.some((f) => f.id === 'best-so-far'));
});

test('a study with no complete lifetime yet gives a page of notes, not an error', async (t) => {
	const spec = parseStudyDocument({
		name: 'just-started',
		objective: { module: 'unused.js' },
		space: { gamma: { type: 'float', low: 0.5, high: 0.99 } },
		searcher: { kind: 'gp', seed: 0 },
		budget: 3,
	});
	const study = await Study.open(spec, { resultsDir: results });
	await study.ask();
	study.close();
	const r = await writeReport(['just-started'], { resultsDir: results });
	t.deepEqual(r.figures, []);
	t.deepEqual(
		r.skipped.map((s) => s.id),
		['best-so-far', 'reward-vs-discount', 'tuned-trajectories', 'learning-curves'],
	);
	t.regex(readFileSync(r.html, 'utf8'), /Interrupted: 0 of up to 3 lifetimes ended/);
});

test('missing studies are an InputError naming the study', async (t) => {
	const error = await t.throwsAsync(writeReport(['no-such-study'], { resultsDir: results }), { instanceOf: InputError });
	t.regex(error?.message ?? '', /no-such-study: no journal/);
	await t.throwsAsync(writeReport([], { resultsDir: results }), { instanceOf: InputError });
});

test('metatune report writes into results/<first study>/report by default; exit 2 for a missing study', async (t) => {
	const ok = await spawnCli(['report', 'signature', '--results', results]).done;
	t.is(ok.code, 0, ok.stderr);
	t.regex(ok.stdout, /wrote .*signature\/report\/report\.html and 4 figures/);
	t.true(existsSync(join(results, 'signature', 'report', 'gamma-trajectories.svg')));
	const bad = await spawnCli(['report', 'nope', '--results', results]).done;
	t.is(bad.code, 2);
	t.regex(bad.stderr, /nope: no journal/);
});

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

const browser = process.env.METATUNE_CHROMIUM ?? 'chromium';

/** Whether `name` is an executable file: a path, or a name on PATH. */
function onPath(name: string): boolean {
	const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name));
	return candidates.some((file) => existsSync(file) && statSync(file).isFile());
}

const browserMissing = !onPath(browser) && process.env.METATUNE_REQUIRE_BROWSER !== '1';
if (browserMissing)
	process.stderr.write(
		`test/report/report-html.test.ts: SKIPPING the headless-browser test: no ${browser} found; install it with .ci/install-chromium (Debian package chromium), or set METATUNE_REQUIRE_BROWSER=1 to fail instead\n`,
	);
const browserTest = browserMissing ? test.skip : test;
const browserNote = browserMissing ? ` (SKIPPED: no ${browser}; .ci/install-chromium installs it)` : '';

function chromium(args: readonly string[], profile: string): Promise<Run> {
	const base = [
		'--headless',
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-quic',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run',
		`--user-data-dir=${profile}`,
	];
	return new Promise((resolve, reject) => {
		const child = spawn(browser, [...base, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(new Error(`cannot start ${browser} (${e.message}); install it with .ci/install-chromium (Debian package chromium)`));
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

const consoleErrors = (stderr: string) => stderr.split('\n').filter((l) => /CONSOLE|Uncaught/.test(l));

browserTest(`headless Chromium renders every figure of report.html without console errors, and saves a screenshot${browserNote}`, async (t) => {
	const tmp = tempDir('metatune-chromium-');
	const url = pathToFileURL(report.html).href;
	const png = join(tmp, 'report.png');
	// the console check must be able to fail: a page with a script error next to the report
	const broken = join(tmp, 'broken.html');
	writeFileSync(broken, '<!doctype html><p>x</p><script>console.error("boom"); missingFunction();</script>');
	const logging = ['--enable-logging=stderr', '--v=0'];
	const [shot, dom, bad] = await Promise.all([
		chromium([...logging, `--screenshot=${png}`, '--window-size=1400,4000', url], join(tmp, 'p1')),
		chromium([...logging, '--dump-dom', url], join(tmp, 'p2')),
		chromium([...logging, '--dump-dom', pathToFileURL(broken).href], join(tmp, 'p3')),
	]);
	t.is(shot.code, 0, shot.stderr.slice(-2000));
	t.is(dom.code, 0, dom.stderr.slice(-2000));
	t.true(
		consoleErrors(bad.stderr).some((l) => l.includes('missingFunction')),
		'the console-error check sees a script error',
	);
	t.deepEqual(consoleErrors(shot.stderr), []);
	t.deepEqual(consoleErrors(dom.stderr), []);
	// every figure's <svg> is in the rendered DOM, with axis titles and a legend
	const figures = [...dom.stdout.matchAll(/<figure id="fig-([^"]+)" data-figure="[^"]+">([\s\S]*?)<\/figure>/g)];
	t.deepEqual(
		figures.map((m) => m[1]),
		expectedFigures,
	);
	for (const [, id, body] of figures) {
		t.regex(body ?? '', /^<svg[^>]*width="\d+"/, `${id}: svg`);
		t.regex(body ?? '', /role-axis-title/, `${id}: axis titles`);
		t.regex(body ?? '', /role-legend/, `${id}: legend`);
	}
	// the screenshot: a 1400 x 4000 PNG with content (a blank page compresses to a few kB)
	const bytes = readFileSync(png);
	t.is(bytes.subarray(1, 4).toString('latin1'), 'PNG');
	t.is(bytes.readUInt32BE(16), 1400);
	t.is(bytes.readUInt32BE(20), 4000);
	t.true(statSync(png).size > 100_000, `screenshot ${statSync(png).size} bytes at ${png}`);
});
