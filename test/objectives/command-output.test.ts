/**
 * What a command objective's output may cost and what of it is stored: a 50 MB stdout line is parsed
 * in linear time (each chunk appended and the whole held text split again made it quadratic), a
 * 50 MB stderr line neither fills memory nor the failure message (its tail keeps a bounded head of
 * each line and says how much was cut).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import test from 'ava';
import { TrialError } from '../../src/core/errors.js';
import { commandObjective } from '../../src/objectives/command.js';
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
