/**
 * The bench commands' flags given more than once (comma lists merged in order, other flags refused
 * in one line), and user test functions (`--module`) that throw or return a non-finite value (one
 * line naming the module, the function, the params and the error; exit 2).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { loadFunctionsModule } from '../../src/bench/module.js';
import { runCli } from '../cli-capture.js';
import { listFlag } from '../../src/cli/repeated-flags.js';
import { InputError } from '../../src/core/errors.js';
import { tempDir } from '../temp.js';

const moduleFile = (() => {
	const dir = tempDir('metatune-bench-flags-');
	const file = join(dir, 'fns.mjs');
	writeFileSync(
		file,
		`const x = { x: { type: 'float', low: -1, high: 1 } };
export default [
	{ name: 'sphere', space: x, evaluate: (p) => p.x * p.x, minimum: 0 },
	{ name: 'throws', space: x, evaluate: () => { throw new Error('nope'); }, minimum: 0 },
	{ name: 'typo', space: x, evaluate: (p) => p.X * p.X, minimum: 0 },
	{ name: 'infinite', space: x, evaluate: () => Infinity, minimum: 0 },
	{ name: 'text', space: x, evaluate: () => '0.5', minimum: 0 },
	{ name: 'async', space: x, evaluate: async (p) => p.x, minimum: 0 },
];`,
	);
	return file;
})();

test('listFlag merges repeats in order', (t) => {
	t.is(listFlag('1,16'), '1,16');
	t.is(listFlag(['1', '16,64']), '1,16,64');
});

test.serial('bench agent --batch 1 --batch 2 runs both batch sizes', async (t) => {
	const r = await runCli(['bench', 'agent', '--batch', '1', '--batch', '2', '--seconds', '0.05', '--json']);
	t.is(r.code, 0, r.stderr);
	t.deepEqual(
		(JSON.parse(r.stdout) as { batch: number }[]).map((row) => row.batch),
		[1, 2],
	);
});

test.serial('bench agent: a bad value among repeated --batch names them all; a repeated single flag is refused; one line, exit 2', async (t) => {
	const bad = await runCli(['bench', 'agent', '--batch', '1', '--batch', 'x']);
	t.is(bad.code, 2);
	t.is(bad.stderr, "metatune: --batch: expected comma-separated positive integers like 1,16,64 (got '1,x')\n");
	const twice = await runCli(['bench', 'agent', '--seconds', '1', '--seconds', '2']);
	t.is(twice.code, 2);
	t.is(twice.stderr, 'metatune: --seconds: given 2 times; give it once\n');
});

test.serial('bench searchers: repeated --functions and --searchers are merged; a repeated --module is refused', async (t) => {
	const r = await runCli([
		'bench',
		'searchers',
		'--module',
		moduleFile,
		'--functions',
		'sphere',
		'--functions',
		'branin',
		'--searchers',
		'random',
		'--searchers',
		'grid',
		'--budget',
		'4',
		'--seeds',
		'1',
		'--format',
		'json',
	]);
	t.is(r.code, 0, r.stderr);
	t.deepEqual(
		(JSON.parse(r.stdout) as { fn: string; searcher: string }[]).map((row) => `${row.fn}/${row.searcher}`),
		['sphere/random', 'sphere/grid', 'branin/random', 'branin/grid'],
	);
	const twice = await runCli(['bench', 'searchers', '--module', moduleFile, '--module', moduleFile]);
	t.is(twice.code, 2);
	t.is(twice.stderr, 'metatune: --module: given 2 times; give it once\n');
});

const failures = [
	['throws', /evaluate threw at \{x: -?[\d.e-]+\}: nope$/],
	['typo', /evaluate returned NaN at \{x: -?[\d.e-]+\}; it must return a finite number everywhere in its space$/],
	['infinite', /evaluate returned Infinity at /],
	['text', /evaluate returned the string "0\.5" at /],
	['async', /evaluate returned a Promise \(evaluate must be synchronous\) at /],
] as const;

for (const [name, message] of failures) {
	test.serial(`bench searchers --module: function '${name}' is one line naming the module, the function and the error, exit 2`, async (t) => {
		for (const extra of [[], ['--latency', '3']]) {
			const r = await runCli(['bench', 'searchers', '--module', moduleFile, '--functions', name, '--searchers', 'random', '--budget', '3', '--seeds', '1', ...extra]);
			t.is(r.code, 2);
			t.is(r.stdout, '');
			const lines = r.stderr.split('\n');
			t.is(lines.length, 2, r.stderr);
			t.true((lines[0] ?? '').startsWith(`metatune: ${moduleFile}: function '${name}': `), r.stderr);
			t.regex(lines[0] ?? '', message);
		}
	});
}

test('loadFunctionsModule: a failing evaluate throws InputError naming the file and the function', async (t) => {
	const fns = await loadFunctionsModule(moduleFile);
	const fn = fns.find((f) => f.name === 'throws');
	const error = t.throws(() => fn?.evaluate({ x: 0.5 }), { instanceOf: InputError });
	t.is(error?.message, `${moduleFile}: function 'throws': evaluate threw at {x: 0.5}: nope`);
	t.is(fns.find((f) => f.name === 'sphere')?.evaluate({ x: 0.5 }), 0.25);
});
