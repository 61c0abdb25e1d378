/**
 * `metatune serve` in a real browser (playwright-core driving Debian's chromium; no browser
 * download): the page follows a study while `metatune run` writes it, and records appended to the
 * journal show within the bound without a reload (a second browser on the study list follows too); hostile strings in a study render as text (no
 * dialog, no element made from them); every request the page makes goes to the server; a
 * corrupted journal shows the warning `metatune status` prints; a study read in the background
 * shows its reading progress on the list, then the study.
 */
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { type Browser, chromium, type Page } from 'playwright-core';
import { Study } from '../../src/study/study.js';
import { spawnCli, tempDir } from '../study/helpers.js';
import { chromiumPath, startServe, writeServeStudy } from './helpers.js';

const executable = chromiumPath('test/serve/serve-browser.test.ts');
const browserTest = executable === undefined ? test.skip : test.serial;

let browser: Browser | undefined;
test.before(async () => {
	if (executable !== undefined) browser = await chromium.launch({ executablePath: executable, args: ['--no-sandbox', '--disable-gpu'] });
});
test.after.always(async () => {
	await browser?.close();
});

interface Watched {
	readonly page: Page;
	readonly requests: string[];
	readonly dialogs: string[];
	readonly errors: string[];
	navigations: number;
}

async function open(t: ExecutionContext, url: string): Promise<Watched> {
	const context = await (browser as Browser).newContext();
	t.teardown(() => context.close());
	const page = await context.newPage();
	const watched: Watched = { page, requests: [], dialogs: [], errors: [], navigations: 0 };
	page.on('request', (r) => watched.requests.push(r.url()));
	page.on('dialog', (d) => {
		watched.dialogs.push(d.message());
		void d.dismiss();
	});
	page.on('pageerror', (e) => watched.errors.push(e.message));
	page.on('framenavigated', (f) => {
		if (f === page.mainFrame()) watched.navigations++;
	});
	await page.goto(url);
	return watched;
}

async function run(args: string[], env: Record<string, string> = {}): Promise<void> {
	const r = await spawnCli(['run', ...args, '--quiet'], env).done;
	if (r.code !== 0) throw new Error(`metatune run ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
}

const p95 = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.95 * xs.length) - 1)] as number;

browserTest('the page follows metatune run live, and appended records show within 1 s (p95), without a reload', async (t) => {
	const dir = tempDir('metatune-serve-');
	const results = join(dir, 'results');
	const file = writeServeStudy(dir, 'live', { budget: 2 });
	await run([file, '--results', results]);
	const served = await startServe({ studies: ['live'], resultsDir: results });
	t.teardown(() => served.close());
	const w = await open(t, `${served.url}#/study/live`);
	// a second browser, on the study list, follows too
	const list = await open(t, served.url);
	const ended = () => w.page.getAttribute('#progress-text', 'data-ended').then(Number);
	await w.page.waitForSelector('#progress-text[data-ended="2"]');
	// more lifetimes: the same study with a larger budget, run while the page is open
	writeServeStudy(dir, 'live', { budget: 5 });
	await run([file, '--results', results], { METATUNE_TEST_DELAY_MS: '150' });
	await w.page.waitForSelector('#progress-text[data-ended="5"]', { timeout: 10_000 });
	await w.page.waitForSelector('#lifetime-count[data-total="5"]', { timeout: 10_000 });
	// valid records appended to the journal by hand, one lifetime at a time: time until the page shows it
	const journal = join(results, 'live', 'journal.jsonl');
	const owner = { host: hostname(), pid: 1, run: 'by-hand' };
	const latencies: number[] = [];
	for (let i = 0; i < 20; i++) {
		const trial = 5 + i;
		const before = await ended();
		const at = new Date().toISOString();
		const lines = [
			{ type: 'asked', at, trial, arm: 'random', purpose: 'search', slot: trial, attempt: 1, params: { x: 0.5 }, seed: trial, owner },
			{ type: 'complete', at, trial, value: 0.9, fields: { value: 0.9 }, wall_ms: 1 },
		];
		const t0 = Date.now();
		appendFileSync(journal, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
		await w.page.waitForSelector(`#progress-text[data-ended="${before + 1}"]`, { timeout: 10_000 });
		latencies.push(Date.now() - t0);
	}
	t.log(`page update after an appended record (ms): p50 ${[...latencies].sort((a, b) => a - b)[10]}, p95 ${p95(latencies)}, max ${Math.max(...latencies)}`);
	t.true(p95(latencies) <= 1000, `p95 ${p95(latencies)} ms`);
	await w.page.waitForSelector('#lifetime-count[data-total="25"]');
	await list.page.locator('tr[data-study-row="live"] [data-lifetimes]').filter({ hasText: 'random: 25/' }).waitFor({ timeout: 5_000 });
	t.is(list.navigations, 1, 'the list page was not reloaded either');
	// figures are drawn by Vega in the page
	await w.page.waitForSelector('[data-figure="best-so-far"] canvas', { timeout: 15_000 });
	t.is(w.navigations, 1, 'no reload');
	t.deepEqual(w.errors, []);
	const origin = new URL(served.url).origin;
	t.true(w.requests.length > 5);
	t.deepEqual(
		w.requests.filter((u) => new URL(u).origin !== origin),
		[],
	);
});

const hostile = ['<script>alert("x")</script>', '"><img src=x onerror=alert(1)>'];

browserTest('hostile strings in a study render as text: no dialog, no element made from them, no request elsewhere', async (t) => {
	const dir = tempDir('metatune-serve-');
	const results = join(dir, 'results');
	const file = writeServeStudy(dir, 'hostile', {
		description: `desc ${hostile.join(' ')}`,
		space: { x: { type: 'float', low: 0, high: 1 }, c: { type: 'categorical', choices: hostile } },
		budget: 4,
	});
	await run([file, '--results', results], { METATUNE_TEST_NOTE: `note ${hostile.join(' ')}` });
	// the study record's name as a hand-edited journal could hold it
	const journal = join(results, 'hostile', 'journal.jsonl');
	const [head, ...rest] = readFileSync(journal, 'utf8').split('\n');
	const study = JSON.parse(head as string);
	study.spec.name = `name ${hostile[0]}`;
	writeFileSync(journal, [JSON.stringify(study), ...rest].join('\n'));
	const served = await startServe({ studies: ['hostile'], resultsDir: results });
	t.teardown(() => served.close());
	const w = await open(t, served.url);
	await w.page.waitForSelector('tr[data-study-row="hostile"]');
	t.true((await w.page.textContent('tr[data-study-row="hostile"]'))?.includes(`name ${hostile[0]}`));
	await w.page.goto(`${served.url}#/study/hostile`);
	await w.page.waitForSelector('#progress-text');
	await w.page.waitForSelector('[data-figure] canvas', { timeout: 15_000 });
	const text = (await w.page.textContent('main')) ?? '';
	for (const s of [`desc ${hostile.join(' ')}`, `name ${hostile[0]}`, `c=${hostile[0]}`, `note ${hostile.join(' ')}`.slice(0, 60)]) t.true(text.includes(s), s);
	t.is(await w.page.locator('script').count(), 3, 'only the page, Vega and Vega-Lite scripts');
	t.is(await w.page.locator('img').count(), 0);
	t.is(await w.page.locator('[onerror]').count(), 0);
	t.deepEqual(w.dialogs, []);
	t.deepEqual(w.errors, []);
	const origin = new URL(served.url).origin;
	t.deepEqual(
		w.requests.filter((u) => new URL(u).origin !== origin),
		[],
	);
});

browserTest('a journal corrupted in the middle: the page shows the warning metatune status prints', async (t) => {
	const dir = tempDir('metatune-serve-');
	const results = join(dir, 'results');
	const file = writeServeStudy(dir, 'broken', { budget: 3 });
	await run([file, '--results', results]);
	const journal = join(results, 'broken', 'journal.jsonl');
	const lines = readFileSync(journal, 'utf8').split('\n');
	lines.splice(3, 0, '{"type":"complete","trial":"oops"}');
	writeFileSync(journal, lines.join('\n'));
	const status = await spawnCli(['status', 'broken', '--results', results]).done;
	const cli = status.stderr
		.split('\n')
		.filter((l) => l.includes('warning'))
		.map((l) => l.replace(/^metatune: warning: /, ''));
	t.true(cli.length >= 1, status.stderr);
	const served = await startServe({ studies: ['broken'], resultsDir: results });
	t.teardown(() => served.close());
	t.deepEqual(served.warnings.slice(0, cli.length), cli, 'the terminal gets the same lines');
	const w = await open(t, `${served.url}#/study/broken`);
	await w.page.waitForSelector('[data-warnings]');
	const shown = await w.page.locator('ul.warnings li').allTextContents();
	for (const line of cli) t.true(shown.includes(`warning: ${line}`), line);
});

browserTest('a study read in the background: the list shows its reading progress, then the study', async (t) => {
	const dir = tempDir('metatune-serve-');
	const results = join(dir, 'results');
	mkdirSync(results);
	// a study of 2,000 lifetimes written elsewhere, then moved in whole while the list is open
	const lifetimes = 2000;
	const staging = join(dir, 'staging');
	writeFileSync(join(dir, 'unused.mjs'), 'export default () => ({ value: 0 });\n');
	const study = await Study.open(
		{
			name: 'big',
			objective: { module: join(dir, 'unused.mjs') },
			metric: 'value',
			direction: 'maximize',
			space: { x: { type: 'float', low: 0, high: 1 } },
			searchers: [{ name: 'random', kind: 'random', seed: 1 }],
			budget: lifetimes,
			repeats: 1,
			reevaluate: 0,
		} as never,
		{ resultsDir: staging },
	);
	study.close();
	const owner = { host: hostname(), pid: 1, run: 'generated' };
	let text = '';
	for (let trial = 0; trial < lifetimes; trial++) {
		const at = new Date(Date.UTC(2026, 0, 1, 0, 0, trial)).toISOString();
		text += `${JSON.stringify({ type: 'asked', at, trial, arm: 'random', purpose: 'search', slot: trial, attempt: 1, params: { x: (trial * 0.618) % 1 }, seed: trial, owner })}\n`;
		text += `${JSON.stringify({ type: 'complete', at, trial, value: (trial * 0.414) % 1, fields: {}, wall_ms: 5 })}\n`;
	}
	appendFileSync(join(staging, 'big', 'journal.jsonl'), text);
	// 40 records a turn: the 4,001 lines are read in about 100 turns, each pushed to the page
	const served = await startServe({ studies: [], resultsDir: results, readBatch: 40 });
	t.teardown(() => served.close());
	const w = await open(t, served.url);
	await w.page.waitForSelector('#main p.meta');
	// every progress the list shows, however briefly (the page's own DOM, recorded in the page)
	await w.page.evaluate(`window.seen = [];
		new MutationObserver(() => {
			for (const e of document.querySelectorAll('[data-loading]')) window.seen.push(Number(e.getAttribute('data-loading')));
		}).observe(document.body, { childList: true, subtree: true });`);
	renameSync(join(staging, 'big'), join(results, 'big'));
	await w.page.locator('tr[data-study-row="big"] .state.complete').waitFor({ timeout: 20_000 });
	const seen = (await w.page.evaluate('window.seen')) as number[];
	t.true(seen.length > 0, 'the list showed the reading progress');
	t.true(
		seen.every((p) => p >= 0 && p < 100),
		seen.join(' '),
	);
	t.is(await w.page.locator('[data-loading]').count(), 0, 'no progress once read');
	t.true((await w.page.locator('tr[data-study-row="big"] [data-lifetimes]').textContent())?.includes(`random: ${lifetimes.toLocaleString('en-US')}/`));
	await w.page.click('tr[data-study-row="big"] a');
	await w.page.waitForSelector(`#progress-text[data-ended="${lifetimes}"]`);
	await w.page.waitForSelector('#comparison-table table');
	t.is(await w.page.getAttribute('#lifetime-count', 'data-total'), String(lifetimes));
	t.deepEqual(w.errors, []);
});
