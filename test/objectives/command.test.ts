/**
 * Command objectives (command.ts) with a real program (Python, test/objectives/fixtures/program.py):
 * the protocol, and every way a program can fail or be stopped. Skipped, saying so, without python3.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { InputError, TrialError } from '../../src/core/errors.js';
import { checkCommand, commandObjective } from '../../src/objectives/command.js';
import type { CommandSpec, ObjectiveContext } from '../../src/objectives/objective.js';
import { waitFor } from '../study/helpers.js';
import { tempDir } from '../temp.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const python = spawnSync('python3', ['--version']).status === 0;
const maybe = python ? test : test.skip;
if (!python) console.log('command objective tests skipped: python3 is not installed (apt-get install python3)');

const context = (over: Partial<ObjectiveContext> = {}): ObjectiveContext => ({ seed: 7, trial: 3, signal: new AbortController().signal, ...over });
const run = async (mode: string, spec: Partial<CommandSpec> = {}, ctx: Partial<ObjectiveContext> = {}, pidFile = '') =>
	await commandObjective({ command: ['python3', 'program.py', mode, pidFile, '{lr}', '{seed}', '{{x}}'], ...spec }, fixtures)({ lr: 0.01 }, context(ctx));

/** Whether a process exists (and is not a zombie) by its pid. */
function alive(pid: number): boolean {
	if (!existsSync(`/proc/${pid}/stat`)) return false;
	return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

maybe('a program that follows the protocol: final value, fields, placeholders and the environment', async (t) => {
	const r = await run('ok');
	if (typeof r === 'number') return t.fail();
	t.is(r.value, 2.5);
	t.is(r.params, '{"lr":0.01}');
	t.is(r.seed, '7');
	t.deepEqual(r.args, ['0.01', '7', '{x}']);
	t.is(r.last_step, 1);
});

maybe('a crash is a failed lifetime with the exit code and the end of stderr', async (t) => {
	const error = await t.throwsAsync(run('crash'), { instanceOf: TrialError });
	t.regex(error?.message ?? '', /exited with code 3; stderr: loading data \| Traceback: ValueError: bad batch$/);
});

maybe('garbage on stdout fails the lifetime naming the line, and the program is stopped', async (t) => {
	const pidFile = join(tempDir(), 'pid');
	const started = Date.now();
	const error = await t.throwsAsync(run('garbage', { grace: 1 }, {}, pidFile), { instanceOf: TrialError });
	t.regex(error?.message ?? '', /not the metatune protocol \(not JSON\): epoch 1 loss 0\.3; print logs to stderr/);
	t.true(Date.now() - started < 10_000, 'it did not wait for the program to finish');
	t.false(alive(Number(readFileSync(pidFile, 'utf8'))), 'the program is gone');
});

maybe('no final value is a failed lifetime', async (t) => {
	const error = await t.throwsAsync(run('nofinal'), { instanceOf: TrialError });
	t.regex(error?.message ?? '', /exited without a final \{"value": \.\.\.\} line/);
});

maybe('a timeout stops the program and fails the lifetime as timeout', async (t) => {
	const pidFile = join(tempDir(), 'pid');
	const error = await t.throwsAsync(run('slow', { timeout: 3, grace: 1 }, {}, pidFile), { instanceOf: TrialError });
	t.is(error?.reason, 'timeout');
	t.regex(error?.message ?? '', /ran past its timeout of 3 s and was stopped/);
	t.false(existsSync(pidFile) && alive(Number(readFileSync(pidFile, 'utf8'))), 'the program is gone');
});

maybe('pruning: report says stop, the program gets SIGTERM and the lifetime returns its last value', async (t) => {
	const pidFile = join(tempDir(), 'pid');
	const steps: number[] = [];
	const r = await run(
		'steps',
		{ grace: 2 },
		{
			report: async (step) => {
				steps.push(step);
				return step >= 3;
			},
		},
		pidFile,
	);
	if (typeof r === 'number') return t.fail();
	t.deepEqual(steps.slice(0, 3), [1, 2, 3]);
	t.is(r.value, 3);
	t.is(r.stopped_at, 3);
	t.false(alive(Number(readFileSync(pidFile, 'utf8'))), 'the program is gone, no zombie');
});

maybe('a program that ignores SIGTERM is killed after the grace period', async (t) => {
	const pidFile = join(tempDir(), 'pid');
	const started = Date.now();
	const r = await run('stubborn', { grace: 0.5 }, { report: async (step) => step >= 2 }, pidFile);
	if (typeof r === 'number') return t.fail();
	t.is(r.stopped_at, 2);
	const took = Date.now() - started;
	t.true(took >= 500, `waited the grace period (${took} ms)`);
	t.false(alive(Number(readFileSync(pidFile, 'utf8'))));
});

maybe('an abort stops the program and what it started (its process group), and the lifetime is aborted whatever it printed on the way out', async (t) => {
	const pidFile = join(tempDir(), 'pid');
	const controller = new AbortController();
	const error = await t.throwsAsync(
		run(
			'family',
			{ grace: 2 },
			{
				signal: controller.signal,
				report: async (step) => {
					if (step === 2) controller.abort();
					return false;
				},
			},
			pidFile,
		),
		{ instanceOf: TrialError },
	);
	t.is(error?.reason, 'aborted', error?.message);
	t.false(alive(Number(readFileSync(pidFile, 'utf8'))), 'the program is gone');
	await waitFor(() => !alive(Number(readFileSync(`${pidFile}.child`, 'utf8'))), 2000).catch(() => t.fail('the process it started is still running'));
});

maybe('a pruned program is stopped with what it started, and the lifetime ends at its last report', async (t) => {
	const pidFile = join(tempDir(), 'pid');
	const r = await run('family', { grace: 2 }, { report: async (step) => step >= 2 }, pidFile);
	if (typeof r === 'number') return t.fail();
	t.is(r.value, 2, 'its last report, not the 99 it printed when stopped');
	t.is(r.stopped_at, 2);
	await waitFor(() => !alive(Number(readFileSync(`${pidFile}.child`, 'utf8'))), 2000).catch(() => t.fail('the process it started is still running'));
});

test('checkCommand: empty command, missing program, unknown placeholder, missing cwd: one line naming the field', (t) => {
	const check = (spec: CommandSpec) => t.throws(() => checkCommand(spec, ['lr'], fixtures, 's.yaml'), { instanceOf: InputError })?.message ?? '';
	t.regex(check({ command: [] }), /^s\.yaml: objective\.command: is empty; give the program/);
	t.regex(check({ command: ['no-such-program-xyz'] }), /^s\.yaml: objective\.command\.0: program "no-such-program-xyz" not found \(not on PATH\)/);
	t.regex(check({ command: ['./missing.py'] }), /^s\.yaml: objective\.command\.0: program "\.\/missing\.py" not found \(no file .*missing\.py; the path is relative to the study file\)/);
	t.regex(check({ command: ['node', '{lr}', '--x', '{width}'] }), /^s\.yaml: objective\.command\.3: unknown placeholder \{width\}; use a param of the space \(lr\) or \{seed\}, \{trial\}/);
	t.regex(check({ command: ['node'], cwd: 'nowhere' }), /^s\.yaml: objective\.cwd: no such folder/);
	t.notThrows(() => checkCommand({ command: ['node', '{lr}', '{seed}', '{trial}', '{{literal}}'] }, ['lr'], fixtures, 's.yaml'));
});

maybe('a program that ends before the answer to its report comes still ends pruned at that report', async (t) => {
	// "ok" prints step 1 and its final value at once and exits; the pruner answers "stop" 300 ms later
	const r = await run('ok', {}, { report: (step) => new Promise((resolve) => setTimeout(() => resolve(step >= 1), 300)) });
	if (typeof r === 'number') return t.fail();
	t.is(r.value, 1.5, 'the reported value, not the final 2.5');
	t.is(r.stopped_at, 1);
	const kept = await run('ok', {}, { report: (step) => new Promise((resolve) => setTimeout(() => resolve(step > 1), 300)) });
	if (typeof kept === 'number') return t.fail();
	t.is(kept.value, 2.5, 'told to go on: its final value');
});

test('checkCommand: a conditional param needs a default in its placeholder', (t) => {
	const error = t.throws(() => checkCommand({ command: ['node', '--lr={lr}', '--beta={beta}'] }, ['lr', 'beta'], fixtures, 's.yaml', ['beta']), { instanceOf: InputError });
	t.is(error?.message, 's.yaml: objective.command.2: {beta} names a conditional param, which has no value while its condition is false; give the text to use then, e.g. {beta:0}');
	t.notThrows(() => checkCommand({ command: ['node', '--lr={lr}', '--beta={beta:0.9}', '{beta:}'] }, ['lr', 'beta'], fixtures, 's.yaml', ['beta']));
	t.throws(() => checkCommand({ command: ['node', '{betta:0.9}'] }, ['lr', 'beta'], fixtures, 's.yaml', ['beta']), { message: /unknown placeholder \{betta\}/ });
});

maybe('an inactive param: its placeholder default is substituted and METATUNE_PARAMS leaves it out', async (t) => {
	const objective = commandObjective({ command: ['python3', 'program.py', 'ok', '', '{lr}', '{beta:off}', '--b={beta:0.9}'] }, fixtures);
	const inactive = await objective({ lr: 0.01 }, context());
	if (typeof inactive === 'number') return t.fail();
	t.deepEqual(inactive.args, ['0.01', 'off', '--b=0.9']);
	t.is(inactive.params, '{"lr":0.01}');
	const active = await objective({ lr: 0.01, beta: 0.95 }, context());
	if (typeof active === 'number') return t.fail();
	t.deepEqual(active.args, ['0.01', '0.95', '--b=0.95']);
	t.is(active.params, '{"lr":0.01,"beta":0.95}');
});
