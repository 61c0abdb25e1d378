/**
 * `npm test` on a machine without Chromium: the browser test of report-html.test.ts is skipped with
 * a visible message (and the run passes); with METATUNE_REQUIRE_BROWSER=1 (CI) it fails instead.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import test from 'ava';
import { root } from '../study/helpers.js';

function ava(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
	const child = spawn(process.execPath, [join(root, 'node_modules/ava/entrypoints/cli.mjs'), 'test/report/report-html.test.ts', '--match', 'headless Chromium*'], {
		cwd: root,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr.on('data', (d: Buffer) => (output += d.toString()));
	return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

test('without a browser the Chromium test is skipped visibly; CI (METATUNE_REQUIRE_BROWSER=1) fails instead', async (t) => {
	const missing = { METATUNE_CHROMIUM: '/nonexistent/chromium', METATUNE_REQUIRE_BROWSER: '' };
	const [skipped, required] = await Promise.all([ava(missing), ava({ ...missing, METATUNE_REQUIRE_BROWSER: '1' })]);
	t.is(skipped.code, 0, skipped.output);
	t.regex(skipped.output, /SKIPPING the headless-browser test: no \/nonexistent\/chromium found; install it with \.ci\/install-chromium/);
	t.regex(skipped.output, /1 test skipped/);
	t.not(required.code, 0, required.output);
	t.regex(required.output, /cannot start \/nonexistent\/chromium/);
});
