/**
 * What a newcomer's first protocol mistakes are told: a last line without "value" (the metric's
 * name used as the key instead) says where other numbers go; a study metric the program never
 * printed says how a module and a command return it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { TrialError } from '../../src/core/errors.js';
import { commandObjective } from '../../src/objectives/command.js';
import { interpretResult } from '../../src/study/run/evaluate.js';
import { tempDir } from '../temp.js';

/** A command objective whose program prints `line` as its one JSON line (written to a script: braces in arguments are placeholders). */
function print(line: object) {
	const dir = tempDir();
	writeFileSync(join(dir, 'program.mjs'), `console.log(${JSON.stringify(JSON.stringify(line))});\n`);
	return commandObjective({ command: [process.execPath, 'program.mjs'] }, dir);
}
const context = { seed: 1, trial: 0, signal: new AbortController().signal };

test('a last line with the metric as its key instead of "value" fails, saying every line needs "value" and where other numbers go', async (t) => {
	const error = await t.throwsAsync(Promise.resolve(print({ avg_reward: 0.8 })({}, context)), { instanceOf: TrialError });
	t.regex(error?.message ?? '', /no number "value"; every line has one, other numbers go in "fields": \{"value": 1\.5, "fields": \{"name": 2\}\}/);
});

test('a metric the program does not print is named with the way a module and a command return it', async (t) => {
	const result = await print({ value: 0.8, fields: { steps: 10 } })({}, context);
	const interpreted = interpretResult(result, 'avg_reward');
	t.deepEqual(interpreted, {
		reason: 'not-finite',
		message: `returned no number "avg_reward", the study's metric (got nothing): a module returns {value, avg_reward: ...}; a command prints {"value": ..., "fields": {"avg_reward": ...}}`,
	});
	t.deepEqual(interpretResult(await print({ value: 0.8, fields: { avg_reward: 0.7 } })({}, context), 'avg_reward'), { value: 0.7, fields: { value: 0.8, avg_reward: 0.7 } });
});
