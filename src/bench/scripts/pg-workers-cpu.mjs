#!/usr/bin/env node
/**
 * Where N PostgreSQL workers' CPU goes per trial: N processes (this file with `--worker`) each warm up
 * on a study of their own, then run one shared study of trivial trials (random search, value =
 * x + y, in-process objective, one lane, `pipeline` as `bench runner` uses it). Printed per N: wall
 * ms per trial; the workers' CPU per trial (all threads, and its system part) and process switches
 * per trial (voluntary and not, /proc); with --server-pid, the CPU of that server (the postmaster,
 * its exited children and its live ones, /proc) per trial, so run it on a server of your own.
 *
 * With --leader the workers elect a leader that decides for all (runStudy `electLeader`), and the
 * busiest worker's CPU per trial (the leader's) is printed too. WORKER_PROF=<dir> writes each
 * worker's CPU profile there (node --cpu-prof).
 *
 *   npm run build && node src/bench/scripts/pg-workers-cpu.mjs postgresql://user@host:port/db 1,8 2000 \
 *     --server-pid $(head -1 DATA/postmaster.pid) [--leader]
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);

/** CPU ms (user + system) of a process and its exited children, from /proc/PID/stat. */
function ticksMs(pid) {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
}

/** CPU ms of a server: its postmaster (with the backends that exited) and its live children. */
function serverMs(pid) {
	let ms = ticksMs(pid);
	for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d)))
		try {
			const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
			if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) ms += ticksMs(p);
		} catch {
			// the process ended meanwhile
		}
	return ms;
}

function switches() {
	const status = readFileSync('/proc/self/status', 'utf8');
	return Number(/\nvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1]) + Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1]);
}

async function worker([url, name, trials, leader]) {
	const { runStudy } = await import(join(root, 'dist/src/study/run/runner.js'));
	const { parseStudySpec } = await import(join(root, 'dist/src/study/spec/spec.js'));
	const { Study } = await import(join(root, 'dist/src/study/study.js'));
	const space = { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } };
	const open = (n, budget) => Study.open(parseStudySpec({ name: n, space, searcher: { kind: 'random', seed: 0 }, budget }), { storage: url });
	const options = { objective: (p) => Number(p.x) + Number(p.y), concurrency: 1, commit: 'bench', pipeline: true, electLeader: leader === 'leader' };
	const warm = await open(`${name}-warmup-${process.pid}`, 50);
	await runStudy(warm, options);
	warm.close();
	const study = await open(name, Number(trials));
	const go = new Promise((r) => process.once('message', r));
	process.send('ready');
	await go;
	const cpu0 = process.cpuUsage();
	const switches0 = switches();
	const summary = await runStudy(study, options);
	const cpu = process.cpuUsage(cpu0);
	process.send({ completed: summary.completed, cpuMs: (cpu.user + cpu.system) / 1000, sysMs: cpu.system / 1000, switches: switches() - switches0 });
	study.close();
	process.once('disconnect', () => process.exit(0));
}

async function measure(url, n, trials, serverPid, leader) {
	const name = `pg-workers-cpu-${Date.now()}`;
	const here = fileURLToPath(import.meta.url);
	const kids = Array.from({ length: n }, () =>
		spawn(process.execPath, [...(process.env.WORKER_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.WORKER_PROF] : []), here, '--worker', url, name, String(trials), leader ? 'leader' : 'alone'], {
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		}),
	);
	await Promise.all(kids.map((k) => new Promise((r) => k.once('message', r))));
	const s0 = serverPid === undefined ? 0 : serverMs(serverPid);
	const t0 = performance.now();
	for (const k of kids) k.send('go');
	const results = await Promise.all(kids.map((k) => new Promise((r) => k.once('message', r))));
	const wall = performance.now() - t0;
	const s1 = serverPid === undefined ? 0 : serverMs(serverPid);
	for (const k of kids) k.disconnect();
	const sum = (key) => results.reduce((a, r) => a + r[key], 0);
	const done = sum('completed');
	const per = (x) => (x / done).toFixed(3);
	const server = serverPid === undefined ? '' : `  server CPU ${per(s1 - s0)} ms`;
	const busiest = leader ? `, the busiest worker's ${per(Math.max(...results.map((r) => r.cpuMs)))} ms` : '';
	console.log(
		`workers ${n}${leader ? ' (leader)' : ''}: ${per(wall)} ms per trial; workers' CPU ${per(sum('cpuMs'))} ms (system ${per(sum('sysMs'))})${busiest}, ${per(sum('switches'))} switches${server} per trial`,
	);
}

if (args[0] === '--worker') await worker(args.slice(1));
else {
	const [url, workers = '1,8', trials = '2000'] = args;
	if (url === undefined) throw new Error('usage: pg-workers-cpu.mjs URL [WORKERS] [TRIALS] [--server-pid PID]');
	const at = args.indexOf('--server-pid');
	const serverPid = at < 0 ? undefined : Number(args[at + 1]);
	for (const n of workers.split(',').map(Number)) await measure(url, n, Number(trials), serverPid, args.includes('--leader'));
}
