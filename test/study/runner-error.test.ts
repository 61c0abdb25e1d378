/**
 * An unexpected error inside the runner (here a searcher that throws) ends runStudy with that error,
 * stops the other lanes and terminates every worker thread, so the process ends by itself instead
 * of idling with a worker nobody will ever use again.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import test from 'ava';
import { fixtures, root, tempDir } from './helpers.js';

test('a searcher that throws mid-run: runStudy rejects with its error and the process exits by itself', async (t) => {
	const child = spawn(process.execPath, ['--import', 'tsx', join(fixtures, 'runner-error.ts'), join(tempDir(), 'results'), join(fixtures, 'objectives.js')], {
		cwd: root,
		env: { ...process.env, FIXTURE_DELAY_MS: '150' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr.on('data', (d: Buffer) => (out += d.toString()));
	const ended = await new Promise<number | null | 'hung'>((resolve) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			resolve('hung');
		}, 20_000);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve(code);
		});
	});
	t.regex(out, /rejected: searcher broke on ask 3/);
	t.is(ended, 1, `the process did not end by itself: ${out}`);
});
