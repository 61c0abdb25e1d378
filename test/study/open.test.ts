/**
 * Checking a study file's module objective: it is imported in a worker thread with a time limit, so a
 * module that exits, never finishes its top-level await, or keeps a timer alive while it does, is one
 * line and exit 2, and the runner's process is neither ended nor hung.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { InputError } from '../../src/core/errors.js';
import { openStudyFile } from '../../src/study/open.js';
import { fixtures, spawnCli, tempDir, writeStudy } from './helpers.js';

function studyWith(module: string): { file: string; results: string } {
	const dir = tempDir();
	const file = writeStudy(dir, { name: 'imp', objective: { module: join(fixtures, module) }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'grid', points: 2 }, budget: 2 });
	return { file, results: join(dir, 'results') };
}

for (const [module, reason, wasCode] of [
	['import-exit.mjs', /cannot import .*import-exit\.mjs \(it calls process\.exit\(0\) while being imported; an objective module must not end the process\)$/, 0],
	['import-hang.mjs', /importing .*import-hang\.mjs ended without finishing \(exit code 0\): a top-level await that never settles\?/, 13],
] as const) {
	test(`run: ${module} at import is one line, exit 2, nothing created (it exited ${wasCode} before)`, async (t) => {
		const { file, results } = studyWith(module);
		const r = await spawnCli(['run', file, '--results', results, '--quiet']).done;
		t.is(r.code, 2, r.stderr);
		const lines = r.stderr.trim().split('\n');
		t.is(lines.length, 1, r.stderr);
		t.true(lines[0]?.startsWith(`metatune: ${file}: objective.module: `), r.stderr);
		t.regex(lines[0] ?? '', reason);
		t.false(existsSync(join(results, 'imp')), 'nothing under results');
	});
}

test('a module whose import waits on a live timer is stopped at the time limit, not waited for', async (t) => {
	const { file, results } = studyWith('import-timer.mjs');
	const started = Date.now();
	let timer: NodeJS.Timeout | undefined;
	const hung = new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 8000)));
	const opening = openStudyFile(file, { resultsDir: results, importTimeoutMs: 1500 }).then(
		(study) => {
			study.close();
			return 'opened';
		},
		(error: unknown) => error,
	);
	const outcome = await Promise.race([opening, hung]);
	clearTimeout(timer);
	t.true(outcome instanceof InputError, String(outcome));
	t.regex((outcome as Error).message, /objective\.module: importing .*import-timer\.mjs did not finish within 1\.5 s/);
	t.true(Date.now() - started < 6000);
	t.false(existsSync(join(results, 'imp')));
});
