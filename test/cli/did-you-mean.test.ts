/**
 * A misspelt study name or study file: one line naming what is missing and the nearest that exists,
 * exit 2, in every command that takes a study (status, compare, export, report, and run's study file).
 */
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../cli-capture.js';
import { fixtures, tempDir, writeStudy } from '../study/helpers.js';

const module = join(fixtures, 'objectives.js');

test.serial('a misspelt study name: "did you mean" with the nearest study under --results, exit 2, in status, compare, export and report', async (t) => {
	const dir = tempDir();
	const results = join(dir, 'results');
	const file = writeStudy(dir, { name: 'quickstart', objective: { module, export: 'quadratic' }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 1 }, budget: 2 });
	t.is((await runCli(['run', file, '--results', results, '--quiet'])).code, 0);
	for (const args of [
		['status', 'quickstrat'],
		['compare', 'quickstart', 'quickstrat'],
		['export', 'quickstrat'],
		['report', 'quickstrat'],
	]) {
		const r = await runCli([...args, '--results', results]);
		t.is(r.code, 2, args.join(' '));
		t.is(r.stderr, `metatune: no study 'quickstrat' under ${results}/; did you mean 'quickstart'?\n`, args.join(' '));
		t.is(r.stdout, '');
	}
	// nothing near: the message it always gave
	const far = await runCli(['status', 'zzz', '--results', results]);
	t.is(far.code, 2);
	t.is(far.stderr, `metatune: zzz: no journal at ${join(results, 'zzz', 'journal.jsonl')}; run the study first or pass --results\n`);
});

test.serial('run with a missing study file: the nearest study file in that folder', async (t) => {
	const dir = tempDir();
	writeStudy(dir, { name: 'quickstart' }, 'quickstart.yaml');
	writeStudy(dir, { name: 'other' }, 'notes.txt');
	const r = await runCli(['run', join(dir, 'quickstrat.yaml')]);
	t.is(r.code, 2);
	t.is(r.stderr, `metatune: ${join(dir, 'quickstrat.yaml')}: no such study file; did you mean ${join(dir, 'quickstart.yaml')}?\n`);
	const far = await runCli(['run', join(dir, 'elsewhere.yaml')]);
	t.is(far.stderr, `metatune: ${join(dir, 'elsewhere.yaml')}: no such study file; check the path\n`);
	const status = await runCli(['status', join(dir, 'quikstart.yaml')]);
	t.is(status.code, 2);
	t.is(status.stderr, `metatune: ${join(dir, 'quikstart.yaml')}: no such study file or folder; did you mean ${join(dir, 'quickstart.yaml')}?\n`);
});
