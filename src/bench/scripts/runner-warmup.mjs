#!/usr/bin/env node
/**
 * How one worker's cost per trial changes over a run: the JIT's warm-up against the steady state.
 * One process (the built dist/) runs a warm-up study of its own, then a study of trivial trials
 * (random search, value = x + y, in-process objective, one lane, `pipeline` unless --no-pipeline)
 * on the file journal (a temp folder) or on PostgreSQL, and prints per window of trials: the wall
 * ms per trial, the process's CPU per trial, and that CPU split into the main thread and the
 * others (V8's compiler and GC helpers, libuv's pool: /proc/self/task).
 *
 *   npm run build && node src/bench/scripts/runner-warmup.mjs [URL] [--trials 10000] [--window 1000]
 *     [--warmup 50] [--no-pipeline] [--profile FILE]
 *
 * `--profile FILE`: the inspector's CPU profile of the first window only (the JIT's warm-up), for
 * profile-self.mjs; the sampling itself costs CPU, so that window's figures are not comparable.
 *
 * Notation: windows are of the measured study only; `main` + `others` = the process's CPU as the
 * kernel counts it in 10 ms ticks (so per trial to about 10 ms / window).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
	const i = args.indexOf(name);
	return i < 0 ? fallback : Number(args[i + 1]);
};
const url = args[0]?.startsWith('postgres') ? args[0] : undefined;
const trials = option('--trials', 10000);
const window = option('--window', 1000);
const warmup = option('--warmup', 50);
const pipeline = !args.includes('--no-pipeline');
const profileAt = args.indexOf('--profile');
const profileFile = profileAt < 0 ? undefined : args[profileAt + 1];

/** CPU ms of this process's main thread and of its other threads, from /proc/self/task (10 ms ticks). */
function threadMs() {
	let main = 0;
	let others = 0;
	for (const task of readdirSync('/proc/self/task')) {
		try {
			const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
			const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			const ms = (Number(f[11]) + Number(f[12])) * 10;
			if (Number(task) === process.pid) main += ms;
			else others += ms;
		} catch {
			// the thread ended meanwhile
		}
	}
	return { main, others };
}

const { runStudy } = await import(join(root, 'dist/src/study/run/runner.js'));
const { parseStudySpec } = await import(join(root, 'dist/src/study/spec/spec.js'));
const { Study } = await import(join(root, 'dist/src/study/study.js'));
const { dropPostgresStudies } = await import(join(root, 'dist/src/study/journal/pg-admin.js'));
const dir = url === undefined ? mkdtempSync(join(tmpdir(), 'metatune-runner-warmup-')) : undefined;
const name = `runner-warmup-${process.pid}-${Date.now().toString(36)}`;
const space = { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } };
const open = (n, budget) => Study.open(parseStudySpec({ name: n, space, searcher: { kind: 'random', seed: 0 }, budget }), url === undefined ? { resultsDir: dir } : { storage: url });

let measuring = false;
let done = 0;
let last;
const rows = [];
const mark = () => ({ t: performance.now(), cpu: process.cpuUsage(), threads: threadMs() });
const onEvent = (e) => {
	if (!measuring || e.type !== 'finished' || ++done % window !== 0) return;
	if (done === window && profileFile !== undefined) stopProfile();
	const now = mark();
	const cpu = process.cpuUsage(last.cpu);
	const per = (ms) => ((ms * 1000) / window).toFixed(0).padStart(6);
	rows.push(
		`${String(done - window + 1).padStart(6)}-${String(done).padEnd(6)} ${((now.t - last.t) / window).toFixed(3).padStart(8)} ${per((cpu.user + cpu.system) / 1000)} ${per(now.threads.main - last.threads.main)} ${per(now.threads.others - last.threads.others)}`,
	);
	last = now;
};
/** The inspector's CPU profile of the first window only (`--profile FILE`): sampled every 50 us, written as a .cpuprofile. */
let session;
async function startProfile() {
	const { Session } = await import('node:inspector');
	session = new Session();
	session.connect();
	const post = (method, params) => new Promise((ok, fail) => session.post(method, params, (error, result) => (error ? fail(error) : ok(result))));
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', { interval: 50 });
	await post('Profiler.start');
}
function stopProfile() {
	session.post('Profiler.stop', (error, result) => {
		if (error) throw error;
		writeFileSync(profileFile, JSON.stringify(result.profile));
		session.disconnect();
	});
}
const options = { objective: (p) => Number(p.x) + Number(p.y), concurrency: 1, commit: 'bench', pipeline, onEvent };
try {
	if (warmup > 0) {
		const warm = await open(`${name}-warmup`, warmup);
		await runStudy(warm, options);
		warm.close();
	}
	const study = await open(name, trials);
	measuring = true;
	if (profileFile !== undefined) await startProfile();
	last = mark();
	await runStudy(study, options);
	study.close();
	console.log(`one worker, ${url === undefined ? 'file journal (temp folder)' : 'PostgreSQL'}${pipeline ? ', pipelined' : ''}: ${trials} trials after a ${warmup}-trial warm-up study`);
	console.log(`${'trials'.padEnd(13)} ${'ms/trial'.padStart(8)} ${'CPU us'.padStart(6)} ${'main'.padStart(6)} ${'others'.padStart(6)}`);
	for (const row of rows) console.log(row);
} finally {
	if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
	if (url !== undefined) await dropPostgresStudies(url, (s) => s.startsWith(name));
}
