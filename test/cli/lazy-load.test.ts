/**
 * TensorFlow.js and Vega load only when used: a child process records every module URL it resolves
 * (fixtures/record-loads.mjs) while it imports the package root or runs CLI commands in-process, and
 * no @tensorflow or vega module may be among them. The controls load what does need them, so a
 * recorder that sees nothing cannot pass the test.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import test, { type ExecutionContext } from 'ava';

const root = fileURLToPath(new URL('../..', import.meta.url));
const recorder = pathToFileURL(fileURLToPath(new URL('./fixtures/record-loads.mjs', import.meta.url))).href;

interface Loads {
	/** every URL the child resolved, in order (repeats kept) */
	readonly urls: readonly string[];
	readonly stdout: string;
}

/** Run `code` (an ES module, from the repository root, .ts through tsx) in a child that records its module loads. */
async function loadsOf(t: ExecutionContext, code: string): Promise<Loads> {
	const dir = mkdtempSync(join(tmpdir(), 'metatune-loads-'));
	t.teardown(() => rmSync(dir, { recursive: true, force: true }));
	const log = join(dir, 'loads.txt');
	const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', recorder, '--input-type=module', '-e', code], {
		cwd: root,
		env: { ...process.env, METATUNE_LOAD_LOG: log },
		maxBuffer: 16 * 1024 * 1024,
		timeout: 120_000,
	});
	return {
		urls: readFileSync(log, 'utf8')
			.split('\n')
			.filter((line) => line.length > 0),
		stdout,
	};
}

const tfjs = (urls: readonly string[]) => [...new Set(urls.filter((u) => u.includes('/node_modules/@tensorflow/')))];
const vega = (urls: readonly string[]) => [...new Set(urls.filter((u) => u.includes('/node_modules/vega')))];
const loaded = (urls: readonly string[], path: string) => urls.some((u) => u.endsWith(path));
/** The URLs of a package under node_modules the child resolved (pg and yaml load on first use: a connection, a YAML document). */
const pkg = (urls: readonly string[], name: string) => [...new Set(urls.filter((u) => u.includes(`/node_modules/${name}/`)))];

/** Code that runs `metatune <args>` in the child's own process for each argument list, failing on a non-zero exit code. */
const cli = (...runs: readonly string[][]) =>
	`const { main } = await import('./src/cli/main.ts');\n` +
	runs.map((args) => `{ const code = await main(${JSON.stringify(args)}); if (code !== 0) throw new Error('metatune ${args.join(' ')}: exit ' + code); }`).join('\n');

test('importing the package root (src/index.ts) loads neither TensorFlow.js nor Vega', async (t) => {
	const { urls } = await loadsOf(t, "const m = await import('./src/index.ts'); if (typeof m.Study !== 'function') throw new Error('no Study export');");
	t.true(loaded(urls, '/src/study/study.ts'), 'the recorder saw the package root load');
	t.deepEqual(tfjs(urls), []);
	t.deepEqual(vega(urls), []);
});

test('metatune status, compare and export on a stored study load neither TensorFlow.js nor Vega, nor the PostgreSQL client', async (t) => {
	const { urls, stdout } = await loadsOf(t, cli(['status', 'discount-comparison'], ['compare', 'discount-comparison'], ['export', 'discount-comparison', '--format', 'json']));
	t.regex(stdout, /Method\s+Discount \(chosen\)/, 'the comparison table was printed');
	t.true(loaded(urls, '/src/report/compare.ts'), 'the recorder saw the command load its implementation');
	t.deepEqual(tfjs(urls), []);
	t.deepEqual(vega(urls), []);
	t.deepEqual(pkg(urls, 'pg'), []);
});

test('the live server (src/serve/serve.ts, what `metatune serve` runs, and its figure worker) loads neither TensorFlow.js nor Vega (the page draws the figures), nor the PostgreSQL client or the YAML parser before it needs them', async (t) => {
	const { urls } = await loadsOf(
		t,
		"const m = await import('./src/serve/serve.ts'); if (typeof m.serve !== 'function') throw new Error('no serve export'); await import('./src/serve/figure-worker.ts');",
	);
	t.true(loaded(urls, '/src/report/plots/figures.ts'), 'the recorder saw the figure definitions load');
	t.true(loaded(urls, '/src/study/journal/pg-connect.ts') && loaded(urls, '/src/study/spec/file.ts'), 'the recorder saw the modules that use them load');
	t.deepEqual(tfjs(urls), []);
	t.deepEqual(vega(urls), []);
	t.deepEqual(pkg(urls, 'pg'), []);
	t.deepEqual(pkg(urls, 'yaml'), []);
});

test('a worker thread of a module objective (registry, evaluate, process groups: what worker.ts imports) loads neither zod nor TensorFlow.js; a bandit objective loads both', async (t) => {
	const worker = (objective: string) =>
		"const r = await import('./src/objectives/registry.ts'); await import('./src/study/run/evaluate.ts'); await import('./src/objectives/process-groups.ts');\n" +
		`const fn = await r.objectiveFor({ objective: ${objective}, dir: 'test/study/fixtures', file: 'study.yaml' }); if (typeof fn !== 'function') throw new Error('no objective');`;
	const zod = (urls: readonly string[]) => [...new Set(urls.filter((u) => u.includes('/node_modules/zod/')))];
	const moduleWorker = await loadsOf(t, worker("{ kind: 'module', module: './objectives.js', export: 'quadratic' }"));
	t.true(loaded(moduleWorker.urls, '/test/study/fixtures/objectives.js'), 'the recorder saw the objective module load');
	t.deepEqual(zod(moduleWorker.urls), []);
	t.deepEqual(tfjs(moduleWorker.urls), []);
	const banditWorker = await loadsOf(t, worker("{ kind: 'bandit', settings: { task: 'eleven-armed' } }"));
	t.true(zod(banditWorker.urls).length > 0, 'no zod URL recorded for the bandit objective');
	t.true(tfjs(banditWorker.urls).length > 0, 'no @tensorflow URL recorded for the bandit objective');
});

test('metatune serve with plain arguments starts without loading yargs; serve --help loads it', async (t) => {
	const results = mkdtempSync(join(tmpdir(), 'metatune-serve-loads-'));
	t.teardown(() => rmSync(results, { recursive: true, force: true }));
	// the server stops on SIGINT once it listens: emitted until main returns
	const serving =
		"const { main } = await import('./src/cli/main.ts');\n" +
		`const done = main(['serve', '--results', ${JSON.stringify(results)}, '--port', '0']);\n` +
		"const stop = setInterval(() => process.emit('SIGINT'), 100);\n" +
		"const code = await done; clearInterval(stop); if (code !== 0) throw new Error('metatune serve: exit ' + code);";
	const { urls, stdout } = await loadsOf(t, serving);
	t.regex(stdout, /metatune serve: http:\/\/127\.0\.0\.1:\d+\//, 'the server printed its URL');
	t.true(loaded(urls, '/src/serve/serve.ts'), 'the recorder saw the server load');
	t.deepEqual(pkg(urls, 'yargs'), []);
	const help = await loadsOf(t, cli(['serve', '--help']));
	t.regex(help.stdout, /metatune serve \[studies\.\.\]/);
	t.true(pkg(help.urls, 'yargs').length > 0, 'serve --help is yargs');
});

test('metatune --help loads neither TensorFlow.js nor Vega, nor any command implementation', async (t) => {
	const { urls, stdout } = await loadsOf(t, cli(['--help']));
	t.regex(stdout, /metatune <command> \[options\]/);
	t.true(loaded(urls, '/src/cli/study.ts'), 'the recorder saw the command table load');
	t.deepEqual(tfjs(urls), []);
	t.deepEqual(vega(urls), []);
	t.deepEqual([...new Set(urls.filter((u) => /\/src\/cli\/[a-z-]+-handlers?\.ts$/.test(u)))], []);
});

test('control: importing the lifetime loads TensorFlow.js and the report writer loads Vega, and the recorder sees both', async (t) => {
	const lifetime = await loadsOf(t, "await import('./src/objectives/bandit/lifetimes/lifetime.ts');");
	t.true(tfjs(lifetime.urls).length > 0, 'no @tensorflow URL recorded for the lifetime');
	const report = await loadsOf(t, "await import('./src/report/index.ts');");
	t.true(vega(report.urls).length > 0, 'no vega URL recorded for the report writer');
});
