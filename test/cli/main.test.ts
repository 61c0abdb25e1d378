import test from 'ava';
import { runCli } from '../cli-capture.js';
import { spawnCli } from '../study/helpers.js';

test.serial('a numeric flag given as text is echoed as typed, not as NaN', async (t) => {
	for (const args of [
		['run', 'studies/quickstart.yaml', '--concurrency', 'abc'],
		['bench', 'runner', '--trials=x'],
	]) {
		const { code, stderr } = await runCli(args);
		t.is(code, 2);
		t.false(stderr.includes('NaN'), stderr);
		t.regex(stderr, /\(got '(abc|x)'\)/);
	}
});

test.serial('a usage error points at the help of the command that was meant', async (t) => {
	const run = await runCli(['run']);
	t.is(run.code, 2);
	t.regex(run.stderr, /Run `metatune run --help` for usage\./);
	const bench = await runCli(['bench', 'metagradient', '--no-such-flag']);
	t.is(bench.code, 2);
	t.regex(bench.stderr, /Run `metatune bench metagradient --help` for usage\./);
	const serve = await runCli(['serve', '--no-such-flag']);
	t.is(serve.code, 2);
	t.regex(serve.stderr, /Run `metatune serve --help` for usage\./);
	const top = await runCli(['frobnicate']);
	t.is(top.code, 2);
	t.regex(top.stderr, /Run `metatune --help` for usage\./);
});

test.serial('a single-valued flag given twice is one line and exit 2, in every command', async (t) => {
	const cases: [string[], string][] = [
		[['run', 'studies/quickstart.yaml', '--results', 'a', '--results', 'b'], 'results'],
		[['status', 'quickstart', '--results', 'a', '--results', 'b'], 'results'],
		[['export', 'quickstart', '--format', 'csv', '--format', 'json'], 'format'],
		[['agent', 'train', '--episodes', '5', '--episodes', '6'], 'episodes'],
	];
	for (const [args, flag] of cases) {
		const { code, stderr } = await runCli(args);
		t.is(code, 2, args.join(' '));
		t.is(stderr.trim(), `metatune: --${flag}: given 2 times; give it once`);
	}
});

test('metatune --help lists the exit code of every error class', async (t) => {
	const errors = await import('../../src/core/errors.js');
	const codes = (Object.values(errors) as unknown[])
		.filter((value): value is new (message: string) => { exitCode: number } => typeof value === 'function' && value.prototype instanceof errors.MetatuneError)
		.map((ErrorClass) => new ErrorClass('x').exitCode);
	t.true(codes.length >= 10);
	const help = (await spawnCli(['--help']).done).stdout.replace(/\s+/g, ' ');
	for (const code of codes) t.regex(help, new RegExp(`[ ,:]${code} [a-z]`), `exit code ${code} is in --help`);
});

test.serial('metatune alone prints the full help on stdout, the same as --help, and exits 0', async (t) => {
	const alone = await runCli([]);
	t.is(alone.code, 0, alone.stderr);
	t.is(alone.stderr, '');
	const help = await spawnCli(['--help']).done;
	t.is(alone.stdout, help.stdout);
	for (const command of ['run', 'status', 'list', 'compare', 'export', 'report', 'serve', 'agent', 'bench', 'storage']) t.regex(alone.stdout, new RegExp(`metatune ${command}\\b`));
});
