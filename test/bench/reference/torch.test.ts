/**
 * The PyTorch reference of `bench agent --reference torch`: without torch the flag says how to install
 * it and metatune is measured alone (exit 0); with torch (python3-torch or pip), the committed script
 * runs for a fraction of a second and prints its JSON line, and the command prints metatune / PyTorch;
 * the script's fast formulations of an update give the taped one's gradients (--check-gradients).
 * Whether torch is importable is checked here on its own (not through the code under test); the two
 * torch tests are reported as skipped, with the reason in their titles, on a machine without it.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { runCli } from '../../cli-capture.js';
import { tempDir } from '../../temp.js';

const script = fileURLToPath(new URL('../../../src/bench/reference/a2c_lstm_torch.py', import.meta.url));
const torchPython = ['python3', '/usr/bin/python3'].find((python) => spawnSync(python, ['-c', 'import torch'], { timeout: 120_000 }).status === 0);
const withTorch = torchPython === undefined ? test.skip : test.serial;
const skipped = torchPython === undefined ? ' (skipped: no python3 here imports torch; apt-get install python3-torch)' : '';

/** A Python stand-in that has no torch: every import fails, as `import torch` does without it. */
function pythonWithoutTorch(): string {
	const file = join(tempDir('metatune-no-torch-'), 'python3');
	writeFileSync(file, '#!/bin/sh\necho "ModuleNotFoundError: No module named \'torch\'" >&2\nexit 1\n');
	chmodSync(file, 0o755);
	return file;
}

test.serial('without torch, --reference torch says how to install it and measures metatune alone', async (t) => {
	const python = pythonWithoutTorch();
	const r = await runCli(['bench', 'agent', '--reference', 'torch', '--python', python, '--batch', '1', '--seconds', '0.05', '--backend', 'cpu']);
	t.is(r.code, 0, r.stderr);
	t.is(
		r.stderr,
		`metatune: --reference torch: skipped, no Python here imports torch (tried ${python}); install it with \`apt-get install python3-torch libopenblas0-serial\` (Debian; then /usr/bin/python3 has it) or \`pip install torch\`, or name a Python that has it with --python\n`,
	);
	t.regex(r.stdout, /^batch {2}env steps\/s/m);
	t.regex(r.stdout, /^ {4}1 /m);
	t.false(r.stdout.includes('PyTorch'));
});

test.serial('--reference torch refuses another task, and --python or --formulation alone; one line, exit 2', async (t) => {
	const task = await runCli(['bench', 'agent', '--reference', 'torch', '--task', 'eleven-armed']);
	t.is(task.code, 2);
	t.is(task.stderr, 'metatune: --reference torch: the PyTorch reference trains on dependent-uniform only (got --task eleven-armed); drop --task\n');
	const python = await runCli(['bench', 'agent', '--python', 'python3']);
	t.is(python.code, 2);
	t.is(python.stderr, 'metatune: --python: names the Python of --reference torch; add --reference torch or drop --python\n');
	const formulation = await runCli(['bench', 'agent', '--formulation', 'taped']);
	t.is(formulation.code, 2);
	t.is(formulation.stderr, 'metatune: --formulation: chooses how --reference torch writes an update; add --reference torch or drop --formulation\n');
});

withTorch(`the script trains for a fraction of a second and prints one JSON line per batch size${skipped}`, (t) => {
	// batch 64 at the default width: products large enough for a threaded BLAS to start its threads
	const r = spawnSync(torchPython as string, [script, '--batch', '1,64', '--seconds', '0.1', '--hidden', '8'], { encoding: 'utf8', timeout: 300_000 });
	t.is(r.status, 0, r.stderr);
	const lines = r.stdout.trim().split('\n');
	t.is(lines.length, 2);
	const rows = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
	t.deepEqual(
		rows.map((row) => [row.reference, row.formulation, row.threads, row.task, row.batch, row.horizon, row.hidden, row.reward_features]),
		[
			['torch', 'bptt', 1, 'dependent-uniform', 1, 100, 8, 16],
			['torch', 'bptt', 1, 'dependent-uniform', 64, 100, 8, 16],
		],
	);
	for (const row of rows) {
		// one thread in the whole process (Linux): a threaded BLAS would add its own
		if (process.platform === 'linux') t.is(row.os_threads, 1);
		t.true((row.updates as number) >= 1);
		t.true((row.seconds as number) >= 0.1);
		t.true(Math.abs((row.steps_per_second as number) - ((row.updates as number) * (row.batch as number) * 100) / (row.seconds as number)) < 0.01 * (row.steps_per_second as number));
		// CPU time is at most wall time on one thread (plus rounding), so per CPU second is at least as fast
		t.true((row.cpu_steps_per_second as number) >= 0.95 * (row.steps_per_second as number));
	}
});

withTorch(`the bptt and recompute formulations sample from the policy and give the taped one's gradients${skipped}`, (t) => {
	// three updates per batch size on the same parameters, actions and rewards (a2c_lstm_check.py)
	const r = spawnSync(torchPython as string, [script, '--check-gradients', '--batch', '1,16', '--hidden', '8', '--horizon', '30'], { encoding: 'utf8', timeout: 300_000 });
	t.is(r.status, 0, r.stdout + r.stderr);
	const rows = r.stdout
		.trim()
		.split('\n')
		.map((line) => JSON.parse(line) as Record<string, unknown>);
	t.deepEqual(
		rows.map((row) => [row.check, row.formulations, row.batch, row.horizon, row.hidden, row.updates, row.mismatched_actions, row.ok]),
		[
			['gradients', ['bptt', 'taped'], 1, 30, 8, 3, 0, true],
			['gradients', ['recompute', 'taped'], 1, 30, 8, 3, 0, true],
			['gradients', ['bptt', 'taped'], 16, 30, 8, 3, 0, true],
			['gradients', ['recompute', 'taped'], 16, 30, 8, 3, 0, true],
		],
	);
	for (const row of rows) {
		// float32 rounding only: a wrong discount or gate is off by 1e-3 or more
		t.true((row.max_relative_gradient_difference as number) < 1e-5);
		t.true((row.max_relative_loss_difference as number) < 1e-5);
	}
});

withTorch(`bench agent --reference torch prints metatune / PyTorch per batch size${skipped}`, async (t) => {
	const json = await runCli([
		'bench',
		'agent',
		'--reference',
		'torch',
		'--formulation',
		'taped',
		'--python',
		torchPython as string,
		'--batch',
		'2',
		'--seconds',
		'0.1',
		'--hidden',
		'8',
		'--backend',
		'cpu',
		'--json',
	]);
	t.is(json.code, 0, json.stderr);
	const [row] = JSON.parse(json.stdout) as {
		batch: number;
		stepsPerSecond: number;
		cpuStepsPerSecond: number;
		reference: { kind: string; formulation: string; stepsPerSecond: number; cpuStepsPerSecond: number };
		ratio: number;
		cpuRatio: number;
	}[];
	t.is(row?.batch, 2);
	t.is(row?.reference.kind, 'torch');
	t.is(row?.reference.formulation, 'taped');
	t.true((row?.reference.stepsPerSecond as number) > 0);
	t.true(Math.abs((row?.ratio as number) - (row?.stepsPerSecond as number) / (row?.reference.stepsPerSecond as number)) < 1e-12);
	t.true(Math.abs((row?.cpuRatio as number) - (row?.cpuStepsPerSecond as number) / (row?.reference.cpuStepsPerSecond as number)) < 1e-12);
	const text = await runCli(['bench', 'agent', '--reference', 'torch', '--batch', '1', '--seconds', '0.1', '--hidden', '8', '--backend', 'cpu']);
	t.is(text.code, 0, text.stderr);
	t.regex(text.stdout, /^reference PyTorch \S+ CPU, 1 thread, bptt \(\S+ \S+a2c_lstm_torch\.py\), run after metatune at each batch size$/m);
	t.regex(text.stdout, /^batch {2}metatune steps\/s {2}PyTorch steps\/s {2}metatune \/ PyTorch {2}per CPU second: metatune {2}PyTorch {2}ratio\n {4}1 +\S+ +\S+ +\d+\.\d\d +\S+ +\S+ +\d+\.\d\d$/m);
});
