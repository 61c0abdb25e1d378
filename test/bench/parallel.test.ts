/** `metatune bench parallel`: alternated 1-lane / c-lane studies of a real objective through worker threads. */
import test from 'ava';
import { runCli } from '../cli-capture.js';

interface Run {
	concurrency: number;
	lifetimes: number;
	wallMs: number;
	cpuMsPerLifetime: number;
	coresUsed: number;
	mainBusy: number;
	workerStartMs: number[];
	lifetimeMs: number[];
	warmLifetimeMs?: number;
	helperMs?: number;
}

interface Result {
	lifetimes: number;
	concurrency: number;
	code: string;
	workloads: { workload: string; runs: Run[]; speedups: number[]; steadySpeedups: number[] }[];
	ceiling?: { concurrency: number; ratios: number[]; aloneMs: number; togetherMs: number };
}

test('each pair runs the study at 1 lane then at c lanes; the speedup is their wall ratio, the steady one that of their warm lifetimes', async (t) => {
	const r = await runCli(['bench', 'parallel', '--workloads', 'cpu', '--lifetimes', '3', '--repeats', '2', '--cpu-iterations', '200000', '--ceiling-iterations', '1000000', '--format', 'json']);
	t.is(r.code, 0, r.stderr);
	const result = JSON.parse(r.stdout) as Result;
	t.is(result.concurrency, 2);
	const [cpu] = result.workloads;
	t.is(cpu?.workload, 'cpu');
	t.deepEqual(
		cpu?.runs.map((x) => x.concurrency),
		[1, 2, 1, 2],
	);
	t.is(cpu?.speedups.length, 2);
	cpu?.speedups.forEach((s, i) => {
		const one = cpu.runs[2 * i]?.wallMs as number;
		const many = cpu.runs[2 * i + 1]?.wallMs as number;
		t.is(s, one / many);
	});
	t.is(result.code, 'sources'); // the tests run the TypeScript sources
	t.is(cpu?.steadySpeedups.length, 2);
	cpu?.steadySpeedups.forEach((s, i) => {
		const one = cpu.runs[2 * i] as Run;
		const many = cpu.runs[2 * i + 1] as Run;
		t.is(s, (2 * (one.warmLifetimeMs as number)) / (many.warmLifetimeMs as number));
	});
	for (const run of cpu?.runs ?? []) {
		// one start-up per lane; every lifetime timed; warm = the mean of those after each lane's first
		t.is(run.workerStartMs.length, run.concurrency);
		t.true(run.workerStartMs.every((ms) => ms > 0 && ms < run.wallMs));
		t.is(run.lifetimeMs.length, result.lifetimes);
		t.is(run.lifetimes, result.lifetimes);
		// V8's helper threads: measured on Linux (/proc), and they do some work in any study
		if (process.platform === 'linux') t.true((run.helperMs as number) > 0 && (run.helperMs as number) < run.cpuMsPerLifetime * run.lifetimes);
		else t.is(run.helperMs, undefined);
		const warm = run.lifetimeMs.slice(run.concurrency);
		t.is(run.warmLifetimeMs, warm.reduce((a, b) => a + b, 0) / warm.length);
		t.true(run.coresUsed > 0);
		t.true(Math.abs(run.cpuMsPerLifetime * result.lifetimes - run.coresUsed * run.wallMs) < 1e-6 * run.wallMs);
		t.true(run.mainBusy > 0 && run.mainBusy <= 1);
	}
	t.regex(r.stderr, /cpu pair 2\/2: .* at 1 lane, .* at 2: [0-9.]+x/);
	// the machine's ceiling, measured first: five alternated pairs of a loop in 1 and 2 threads
	t.is(result.ceiling?.concurrency, 2);
	t.is(result.ceiling?.ratios.length, 5);
	t.regex(r.stderr, /^machine ceiling: a register-only loop takes \d+ ms in 1 thread alone/);
	const text = await runCli(['bench', 'parallel', '--workloads', 'cpu', '--lifetimes', '2', '--repeats', '1', '--cpu-iterations', '200000', '--ceiling-iterations', '0']);
	t.is(text.code, 0, text.stderr);
	t.regex(text.stdout, /code: TypeScript sources through tsx/);
	t.regex(text.stdout, /\| cpu \| 2 \| .* \| [0-9.]+x \[[0-9.]+, [0-9.]+\] \| n\/a \| \d+ \/ \d+ \| \d+ \/ n\/a \|/, 'two lifetimes at 2 lanes: no warm lifetime, so no steady speedup');
	t.notRegex(text.stdout + text.stderr, /machine ceiling/, '--ceiling-iterations 0 skips it');
});

test('an unknown workload or a concurrency below 2 is one line naming the flag, exit 2', async (t) => {
	const bad = await runCli(['bench', 'parallel', '--workloads', 'cpu,gpu']);
	t.is(bad.code, 2);
	t.regex(bad.stderr, /--workloads: expected a comma-separated list of cpu, agent, quickstart, quickstart-study \(got cpu,gpu\)/);
	const one = await runCli(['bench', 'parallel', '--concurrency', '1']);
	t.is(one.code, 2);
	t.regex(one.stderr, /--concurrency: expected an integer of at least 2/);
});

test('a bad count is refused before the machine ceiling is measured (no seconds of loop first)', async (t) => {
	for (const flag of ['lifetimes', 'repeats', 'cpu-iterations', 'agent-episodes']) {
		const r = await runCli(['bench', 'parallel', '--workloads', 'cpu', `--${flag}`, '0', '--ceiling-iterations', '2000000']);
		t.is(r.code, 2, flag);
		t.regex(r.stderr, new RegExp(`--${flag}: expected an integer of at least 1 \\(got 0\\)`));
		t.notRegex(r.stderr, /machine ceiling/, `--${flag} 0: refused before the ceiling`);
	}
});
