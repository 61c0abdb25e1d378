import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { benchRunner, benchRunnerScaling, formatRunnerBench, formatRunnerScaling, optunaReference } from '../../src/bench/runner.js';
import { InputError } from '../../src/core/errors.js';
import { main } from '../../src/cli/main.js';
import { benchRunnerCommand } from '../../src/cli/bench-runner.js';
import yargs, { type Argv } from 'yargs';
import { profileParts } from '../../src/study/journal/profile.js';
import { tempDir } from '../study/helpers.js';

test('benchRunner: runs the whole budget through the study runner, one lock hold per trial, parts add up to ms/trial', async (t) => {
	const dir = tempDir('metatune-bench-');
	const r = await benchRunner({ trials: 30, concurrency: 1, warmup: 5, dir });
	t.is(r.completed, 30);
	t.is(r.trials, 30);
	t.true(r.msPerTrial > 0);
	const sum = profileParts.reduce((s, p) => s + r.parts[p], 0) + r.parts.other;
	t.true(Math.abs(sum - r.msPerTrial) < 1e-9);
	// one hold (acquire + release) per trial plus the first ask; fsync of one batch per trial plus the first ask
	t.is(r.callsPerTrial.lock, (2 * 31) / 30);
	t.is(r.callsPerTrial.fsync, 31 / 30);
	t.is(r.callsPerTrial.append, 31 / 30);
	t.true(readdirSync(dir).includes('bench-runner') && readdirSync(dir).includes('warmup'), 'the given folder is kept');
	const text = formatRunnerBench(r);
	t.regex(text, /ms per trial: \d+\.\d{3}/);
	for (const ref of optunaReference) t.true(text.includes(ref.storage));
	t.regex(text, /Optuna 3\.1, journal file +1\.33 +\d+\.\dx (faster|slower)/);
});

test.serial('metatune bench runner: json output; a temp folder is removed; bad flags exit 2', async (t) => {
	const temps = () => new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('metatune-bench-runner-')));
	const before = temps();
	const writes: string[] = [];
	const write = process.stdout.write.bind(process.stdout);
	process.stdout.write = ((chunk: string) => {
		writes.push(chunk);
		return true;
	}) as typeof process.stdout.write;
	let code: number;
	try {
		code = await main(['bench', 'runner', '--trials', '8', '--warmup', '0', '--concurrency', '2', '--format', 'json']);
	} finally {
		process.stdout.write = write;
	}
	t.is(code, 0);
	const r = JSON.parse(writes.join('')) as { completed: number; concurrency: number; reference: unknown[]; path: string };
	t.is(r.completed, 8);
	t.is(r.concurrency, 2);
	t.is(r.reference.length, 3);
	t.regex(r.path, /runStudy/);
	t.deepEqual(
		[...temps()].filter((f) => !before.has(f)),
		[],
		'its temp results folder was removed',
	);
	t.is(await main(['bench', 'runner', '--trials', '0']), 2);
	t.false(existsSync(join('results', 'bench-runner')), 'nothing written under ./results');
});

test('the reference figures name what a user of the repository can read: Optuna version, machine, docs section', async (t) => {
	const text = formatRunnerBench(await benchRunner({ trials: 3, concurrency: 1, warmup: 0 }));
	t.notRegex(text, /shared|DESIGN\.md/);
	t.regex(text, /reference: Optuna 3\.1 \(Python\).*500 trials.*AMD EPYC.*\(docs\/design-notes\.md, What the runner costs per trial\)/);
	t.regex(text, /Optuna 3\.1, SQLite +12\.80/);
	// the section cited exists in the design notes and quotes the same figures
	const notes = readFileSync(join(import.meta.dirname, '../../docs/design-notes.md'), 'utf8');
	const studies = (notes.split(/^- \*\*/m).find((s) => s.startsWith('What the runner costs per trial')) ?? '').replace(/\s+/g, ' ');
	t.regex(studies, /Optuna 3\.1, measured on that earlier machine: 1\.33 ms with its journal file, 12\.8 ms with SQLite/);
	for (const file of ['src/bench/runner.ts', 'src/cli/bench-runner.ts']) t.notRegex(readFileSync(join(import.meta.dirname, '../..', file), 'utf8'), /\.\.\/shared/, file);
});

test('benchRunner --dir: a file or a folder under /proc is an InputError naming --dir, before any work', async (t) => {
	const file = join(tempDir('metatune-bench-'), 'a-file');
	writeFileSync(file, 'x');
	const asFile = await t.throwsAsync(benchRunner({ trials: 2, concurrency: 1, warmup: 0, dir: file }), { instanceOf: InputError });
	t.regex(asFile?.message ?? '', /^--dir: cannot use .*a-file as an output folder \(it is a file\)/);
	const proc = await t.throwsAsync(benchRunner({ trials: 2, concurrency: 1, warmup: 0, dir: '/proc/metatune-bench-x' }), { instanceOf: InputError });
	t.regex(proc?.message ?? '', /^--dir: cannot use \/proc\/metatune-bench-x as an output folder/);
	const nested = join(tempDir('metatune-bench-'), 'new', 'deeper');
	const r = await benchRunner({ trials: 2, concurrency: 1, warmup: 0, dir: nested });
	t.is(r.completed, 2);
	t.true(readdirSync(nested).includes('bench-runner'));
});

test.serial('metatune bench runner --dir /proc/x and a repeated flag: one line, exit 2', async (t) => {
	const errors: string[] = [];
	const err = process.stderr.write.bind(process.stderr);
	process.stderr.write = ((chunk: string) => {
		errors.push(chunk);
		return true;
	}) as typeof process.stderr.write;
	try {
		t.is(await main(['bench', 'runner', '--trials', '2', '--warmup', '0', '--dir', '/proc/metatune-bench-x']), 2);
		t.is(await main(['bench', 'runner', '--trials', '2', '--trials', '3']), 2);
	} finally {
		process.stderr.write = err;
	}
	t.deepEqual(errors, [
		'metatune: --dir: cannot use /proc/metatune-bench-x as an output folder (its parent folder does not accept new folders); choose a folder you can write to\n',
		'metatune: --trials: given 2 times; give it once\n',
	]);
});

test('bench runner prints the fsync share apart from the rest; its default trial count is the figure in the design notes', async (t) => {
	const r = await benchRunner({ trials: 10, concurrency: 1, warmup: 0, dir: tempDir('metatune-bench-') });
	t.is(r.fsync.msPerTrial, r.parts.fsync);
	t.true(Math.abs(r.fsync.msPerTrial + r.fsync.restMsPerTrial - r.msPerTrial) < 1e-9);
	t.true(r.fsync.share >= 0 && r.fsync.share <= 1);
	const text = formatRunnerBench(r);
	t.regex(text, /fsync of the journal: \d+\.\d{3} \(\d+%; set by this disk\)/);
	t.regex(text, /everything else: +\d+\.\d{3}/);
	const notes = readFileSync(join(import.meta.dirname, '../../docs/design-notes.md'), 'utf8');
	const claimed = /`npx metatune bench runner`: (\d+) trivial\s+trials/.exec(notes)?.[1];
	t.truthy(claimed, 'docs/design-notes.md names the trial count of bench runner');
	const builder = benchRunnerCommand.builder as (y: Argv) => Argv;
	const parsed = builder(yargs([] as string[])).parseSync() as { trials?: number };
	t.is(String(parsed.trials), claimed ?? '');
});

test('benchRunnerScaling: a study of trials/10 and one of trials, each with its first and last tenth', async (t) => {
	const r = await benchRunnerScaling({ trials: 200, concurrency: 1, warmup: 0, dir: tempDir('metatune-bench-') });
	t.deepEqual(
		r.points.map((p) => p.trials),
		[20, 200],
	);
	for (const p of r.points) {
		t.true(p.msPerTrial > 0 && p.firstTenth > 0 && p.lastTenth > 0);
		t.true(p.firstTenth * 0.1 * p.trials <= p.wallMs && p.lastTenth * 0.1 * p.trials <= p.wallMs);
	}
	const text = formatRunnerScaling(r);
	t.regex(text, /trials +wall s +ms\/trial +first 10% +last 10%/);
	t.regex(text, /\n +200 +\d+\.\d\d +\d+\.\d{3} +\d+\.\d{3} +\d+\.\d{3}$/);
});
