/**
 * Colour only where it belongs: the decision (terminal, NO_COLOR, FORCE_COLOR) as a table, and on
 * real output of spawned `metatune` processes: FORCE_COLOR=1 colours a piped table header and the
 * error prefix, NO_COLOR=1 and FORCE_COLOR=0 do not, JSON never, and a real terminal (a pty made
 * by `script`) does unless TERM is dumb. Coloured text is the plain text plus escape codes only.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { stripVTControlCharacters as plain } from 'node:util';
import test from 'ava';
import { colourEnabled } from '../../src/cli/colour.js';
import { root, spawnCli } from '../study/helpers.js';

const esc = '\u001b[';
/** No colour variable at all, then the given ones. */
const env = (vars: Record<string, string>) => ({ FORCE_COLOR: undefined, NO_COLOR: undefined, TERM: 'xterm-256color', ...vars });

test('the decision: FORCE_COLOR (not 0 or false) wins, then NO_COLOR, then a terminal that is not dumb', (t) => {
	const tty = { isTTY: true };
	const pipe = { isTTY: false };
	const cases: [{ isTTY: boolean }, Record<string, string>, boolean][] = [
		[tty, {}, true],
		[pipe, {}, false],
		[tty, { TERM: 'dumb' }, false],
		[tty, { NO_COLOR: '1' }, false],
		[tty, { NO_COLOR: '' }, true],
		[pipe, { FORCE_COLOR: '1' }, true],
		[pipe, { FORCE_COLOR: '3' }, true],
		[pipe, { FORCE_COLOR: 'true' }, true],
		[tty, { FORCE_COLOR: '0' }, false],
		[tty, { FORCE_COLOR: 'false' }, false],
		[pipe, { FORCE_COLOR: '' }, false],
		[pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, true],
	];
	for (const [stream, vars, expected] of cases) t.is(colourEnabled(stream, vars), expected, `${stream.isTTY ? 'tty' : 'pipe'} ${JSON.stringify(vars)}`);
});

test.serial('spawned: FORCE_COLOR=1 colours a piped table header and the error prefix; NO_COLOR=1, FORCE_COLOR=0 and JSON stay plain', async (t) => {
	const args = ['status', 'discount-comparison'];
	const [forced, noColour, forceZero, json, error] = await Promise.all([
		spawnCli(args, env({ FORCE_COLOR: '1' })).done,
		spawnCli(args, env({ NO_COLOR: '1' })).done,
		spawnCli(args, env({ FORCE_COLOR: '0' })).done,
		spawnCli([...args, '--format', 'json'], env({ FORCE_COLOR: '1' })).done,
		spawnCli(['status', 'discount-comparisn'], env({ FORCE_COLOR: '1' })).done,
	]);
	for (const r of [forced, noColour, forceZero, json]) t.is(r.code, 0, r.stderr);
	t.true(forced.stdout.includes(`${esc}1mArm  `), forced.stdout.slice(0, 400));
	t.true(forced.stdout.includes(`${esc}32m25/25${esc}39m`), 'an arm whose lifetimes all ended is green');
	t.is(plain(forced.stdout), noColour.stdout, 'colour adds escape codes and nothing else');
	t.false(noColour.stdout.includes(esc));
	t.false(forceZero.stdout.includes(esc));
	t.is(forceZero.stdout, noColour.stdout);
	t.false(json.stdout.includes(esc));
	t.is(JSON.parse(json.stdout).study, 'discount-comparison');
	t.is(error.code, 2);
	t.true(error.stderr.startsWith(`${esc}1m${esc}31mmetatune:`), JSON.stringify(error.stderr));
	t.is(plain(error.stderr), "metatune: no study 'discount-comparisn' under results/; did you mean 'discount-comparison'?\n");
	t.false(error.stderr.includes('Warning'), 'no Node warning about NO_COLOR and FORCE_COLOR together');
});

const script = spawnSync('script', ['--version']).status === 0;
(script ? test.serial : test.skip)('on a real terminal (a pty from `script`) the table is coloured without any variable, and not when TERM is dumb', (t) => {
	const command = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(join(root, 'src/cli/main.ts'))} status discount-comparison`;
	const inPty = (vars: Record<string, string>) => {
		const merged: Record<string, string | undefined> = { ...process.env, ...env(vars) };
		for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
		return spawnSync('script', ['-qec', command, '/dev/null'], { cwd: root, env: merged, encoding: 'utf8', timeout: 120_000 });
	};
	const terminal = inPty({});
	t.is(terminal.status, 0, terminal.stderr);
	t.true(terminal.stdout.includes(`${esc}1mArm  `), terminal.stdout.slice(0, 400));
	const dumb = inPty({ TERM: 'dumb' });
	t.is(dumb.status, 0, dumb.stderr);
	t.true(dumb.stdout.includes('Arm  '));
	t.false(dumb.stdout.includes(`${esc}1mArm`));
});
