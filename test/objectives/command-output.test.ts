/**
 * What a command objective's output may cost and what of it is stored: a 50 MB stdout line is parsed
 * in linear time (each chunk appended and the whole held text split again made it quadratic), a
 * 50 MB stderr line neither fills memory nor the failure message (its tail keeps a bounded head of
 * each line and says how much was cut), and `stdout: lenient` or `prefixed` lets a training script
 * print.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import test from 'ava';
import { InputError, TrialError } from '../../src/core/errors.js';
import { commandObjective } from '../../src/objectives/command.js';
import { parseStudyDocument } from '../../src/study/spec/spec.js';
import type { CommandSpec, ObjectiveContext } from '../../src/objectives/objective.js';
import { tempDir } from '../temp.js';

/** A command objective running `source` as a Node program. */
function program(source: string, spec: Partial<CommandSpec> = {}) {
	const dir = tempDir();
	writeFileSync(join(dir, 'program.mjs'), source);
	return commandObjective({ command: [process.execPath, 'program.mjs'], ...spec }, dir);
}
const context = (over: Partial<ObjectiveContext> = {}): ObjectiveContext => ({ seed: 1, trial: 0, signal: new AbortController().signal, ...over });
const mb50 = 50 * 2 ** 20;

test('a 50 MB stdout line (the final line, with a long field) is read in linear time (118 s before, ~3 s now)', async (t) => {
	// written in 64 KiB pieces, as a pipe delivers it: ~800 chunks before the newline
	const f = program(`const piece = 'x'.repeat(65536);
process.stdout.write('{"value": 1.5, "fields": {"log": "');
for (let i = 0; i < ${mb50 / 65536}; i++) process.stdout.write(piece);
process.stdout.write('"}}\\n');
`);
	const t0 = performance.now();
	const r = await f({}, context());
	const ms = performance.now() - t0;
	t.log(`50 MB line: ${ms.toFixed(0)} ms`);
	if (typeof r === 'number') return t.fail();
	t.is(r.value, 1.5);
	t.true((r.log as string).length === mb50 && /^x+$/.test(r.log as string), 'the field, whole');
	t.true(ms < 20_000, `${ms.toFixed(0)} ms`);
});

test('a 50 MB stderr line is cut in the failure message, which says how much was cut', async (t) => {
	const f = program(`const piece = 'e'.repeat(65536);
process.stderr.write('Traceback: ');
for (let i = 0; i < ${mb50 / 65536}; i++) process.stderr.write(piece);
process.stderr.write('\\nValueError: boom\\n');
process.exitCode = 1;
`);
	const error = await t.throwsAsync(Promise.resolve(f({}, context())), { instanceOf: TrialError });
	const message = error?.message ?? '';
	t.true(message.length < 8 * 1024, `message of ${message.length} characters`);
	if (message.length < 8 * 1024) t.regex(message, /exited with code 1; stderr: Traceback: e+… \(52427787 more characters cut\) \| ValueError: boom$/);
});

test('strict by default: a stray print fails the lifetime, naming the line', async (t) => {
	const f = program(`console.log('epoch 1 loss 0.5');\nconsole.log(JSON.stringify({ value: 2 }));\n`);
	const error = await t.throwsAsync(Promise.resolve(f({}, context())), { instanceOf: TrialError });
	t.regex(error?.message ?? '', /not the metatune protocol \(not JSON\): epoch 1 loss 0\.5; print logs to stderr/);
});

test('stdout: lenient: lines that are not protocol lines are counted and kept with the stderr tail; the reports and the final value count', async (t) => {
	const source = `console.log('epoch 1 loss 0.5');
console.log(JSON.stringify({ step: 1, value: 0.25 }));
console.log(JSON.stringify({ loss: 0.4 }));
console.log('[1, 2]');
console.log(JSON.stringify({ step: 2, value: 0.5 }));
console.log(JSON.stringify({ value: 2, fields: { acc: 0.9 } }));
`;
	const reported: number[] = [];
	const r = await program(source, { stdout: 'lenient' })(
		{},
		context({
			report: async (step) => {
				reported.push(step);
				return false;
			},
		}),
	);
	t.deepEqual(reported, [1, 2]);
	t.deepEqual(r, { acc: 0.9, value: 2, last_step: 2 });
	// a failure shows the ignored lines with the stderr tail, and their count
	const failing = program(`${source}console.error('dying');\nprocess.exitCode = 2;\n`, { stdout: 'lenient' });
	const error = await t.throwsAsync(Promise.resolve(failing({}, context())), { instanceOf: TrialError });
	const message = error?.message ?? '';
	// stdout and stderr are separate pipes: the tail keeps each stream's order, not their interleaving
	t.regex(message, /exited with code 2; stderr: .*stdout: epoch 1 loss 0\.5 \| stdout: \{"loss":0\.4\} \| stdout: \[1, 2\].*; 3 stdout lines were not protocol lines$/);
	t.regex(message, /stderr: (.* \| )?dying( \| .*)?; 3 stdout/);
});

test('stdout: lenient still fails a lifetime that printed no final value, saying how many lines it ignored', async (t) => {
	const f = program(`console.log('done training');\n`, { stdout: 'lenient' });
	const error = await t.throwsAsync(Promise.resolve(f({}, context())), { instanceOf: TrialError });
	t.regex(error?.message ?? '', /exited without a final \{"value": \.\.\.\} line; stderr: stdout: done training; 1 stdout line was not a protocol line$/);
});

test('stdout: prefixed: only lines beginning metatune: are protocol lines; JSON logs without it are ignored, a bad marked line fails', async (t) => {
	const source = `console.log(JSON.stringify({ value: 99, note: 'a logger printing a dict' }));
console.log('metatune: ' + JSON.stringify({ step: 1, value: 0.25 }));
console.log('metatune:' + JSON.stringify({ value: 2, fields: { acc: 0.9 } }));
`;
	const reported: number[] = [];
	const r = await program(source, { stdout: 'prefixed' })(
		{},
		context({
			report: async (step) => {
				reported.push(step);
				return false;
			},
		}),
	);
	t.deepEqual(reported, [1]);
	t.deepEqual(r, { acc: 0.9, value: 2, last_step: 1 });
	const bad = program(`console.log('metatune: loss 0.3');\n`, { stdout: 'prefixed' });
	const error = await t.throwsAsync(Promise.resolve(bad({}, context())), { instanceOf: TrialError });
	t.regex(error?.message ?? '', /not the metatune protocol \(not JSON\): metatune: loss 0\.3; print logs to stderr \(or set stdout: lenient or prefixed in the objective\)/);
});

test('stdout in the study file: lenient reaches the command objective; other words are refused naming the field', (t) => {
	const doc = (stdout: string) => ({ name: 's', objective: { command: ['python3', 'train.py'], stdout }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random' }, budget: 1 });
	t.like(parseStudyDocument(doc('lenient')).objective, { kind: 'command', stdout: 'lenient' });
	const error = t.throws(() => parseStudyDocument(doc('loud')), { instanceOf: InputError });
	t.regex(error?.message ?? '', /objective\.stdout/);
});
