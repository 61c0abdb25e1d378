/**
 * Objective error messages reach the terminal without their escape sequences: a failed lifetime's
 * message (stored raw in the journal, perhaps by someone else's worker) is printed by `status` and
 * by `run`'s "every lifetime failed" line with ESC/CSI/OSC sequences and other control characters
 * removed, the words kept.
 */
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../cli-capture.js';
import { tempDir, writeStudy } from '../study/helpers.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what it looks for
const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test('status and run print a hostile objective message without its escape sequences', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'hostile',
		objective: { module: join(import.meta.dirname, 'fixtures', 'hostile.mjs'), export: 'hostile' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 1 },
		budget: 1,
		retries: 0,
	});
	const results = join(dir, 'results');
	const run = await runCli(['run', file, '--results', results, '--quiet']);
	t.is(run.code, 7, run.stderr);
	t.regex(run.stderr, /bad title red cleared up/);
	t.notRegex(run.stderr, control);
	const status = await runCli(['status', 'hostile', '--results', results]);
	t.is(status.code, 0, status.stderr);
	t.regex(status.stdout, /bad title red cleared up/);
	t.notRegex(status.stdout, control);
});
