/**
 * Paths from flags and study names: an empty path flag is refused (never the current folder), and a
 * study name that would leave the results folder is refused by every command that reads or writes a
 * study, not only `run`. Each command runs in a child process whose cwd is an empty temp folder, so
 * anything written outside `--results` is seen.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import test from 'ava';
import { stringify } from 'yaml';
import { ensureOutputDir } from '../../src/core/output-dir.js';
import { InputError } from '../../src/core/errors.js';
import { loadStoredStudy } from '../../src/study/stored.js';
import { root, tempDir } from '../study/helpers.js';

const tsx = pathToFileURL(join(root, 'node_modules/tsx/dist/loader.mjs')).href;

function cli(cwd: string, args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
	const r = spawnSync(process.execPath, ['--import', tsx, join(root, 'src/cli/main.ts'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A finished one-lifetime study `name` under `<cwd>/res`, and its study file. */
function studyIn(cwd: string, name: string): string {
	const file = join(cwd, 'study.yaml');
	writeFileSync(join(cwd, 'obj.mjs'), 'export default (p) => Number(p.x);\n');
	writeFileSync(file, stringify({ name, objective: { module: './obj.mjs' }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'grid', points: 1 }, budget: 1 }));
	return file;
}

test('an empty path flag is refused with one line and exit 2, and nothing is written to the current folder', (t) => {
	const cwd = tempDir();
	const file = studyIn(cwd, 'e');
	t.is(cli(cwd, ['run', file, '--results', 'res', '--quiet']).code, 0);
	const before = readdirSync(cwd).sort();
	for (const [args, flag] of [
		[['run', file, '--results', '', '--quiet'], '--results'],
		[['status', 'e', '--results', ''], '--results'],
		[['compare', 'e', '--results', ''], '--results'],
		[['export', 'e', '--results', 'res', '--output', ''], '--output'],
		[['report', 'e', '--results', 'res', '--out', ''], '--out'],
		[['report', 'e', '--results', ''], '--results'],
		[['status', '', '--results', 'res'], '<study>'],
	] as const) {
		const r = cli(cwd, args);
		t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
		t.is(r.stderr.trim().split('\n').length, 1, r.stderr);
		t.true(r.stderr.startsWith(`metatune: ${flag}: needs `) && r.stderr.includes('(got an empty value; is a shell variable unset?)'), r.stderr);
	}
	t.deepEqual(readdirSync(cwd).sort(), before, 'nothing new in the current folder');
	t.false(existsSync(join(cwd, 'e')));
});

test('the library refuses an empty results folder too', (t) => {
	t.throws(() => ensureOutputDir('', '--results'), { instanceOf: InputError, message: /^--results: empty/ });
	t.throws(() => loadStoredStudy('e', { resultsDir: '' }), { instanceOf: InputError, message: /resultsDir must be a folder path \(got an empty string\)/ });
});

test('a study name that leaves the results folder is refused by run, status, compare, export and report alike', (t) => {
	const cwd = tempDir();
	mkdirSync(join(cwd, 'res'));
	// a journal placed where the escaping name points, as if an older run had written it there
	const file = studyIn(cwd, 'inside');
	t.is(cli(cwd, ['run', file, '--results', 'res', '--quiet']).code, 0);
	const outside = join(cwd, 'outside');
	mkdirSync(outside);
	renameSync(join(cwd, 'res', 'inside', 'journal.jsonl'), join(outside, 'journal.jsonl'));
	mkdirSync(join(cwd, 'res', 'sub'));
	writeFileSync(file, stringify({ name: '../outside', objective: { module: './obj.mjs' }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'grid', points: 1 }, budget: 1 }));
	const before = readdirSync(outside).sort();
	for (const args of [
		['run', file, '--results', 'res', '--quiet'],
		['status', file, '--results', 'res'],
		['compare', file, '--results', 'res'],
		['export', file, '--results', 'res'],
		['report', file, '--results', 'res'],
	]) {
		const r = cli(cwd, args);
		t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
		t.regex(r.stderr, /name/, r.stderr);
		t.is(r.stderr.trim().split('\n').length, 1, r.stderr);
	}
	t.deepEqual(readdirSync(outside).sort(), before, 'no report written outside --results');
});
