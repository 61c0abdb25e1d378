import test from 'ava';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchSearchers, formatTable, runOnce } from '../../src/bench/bench.js';
import { branin, builtinFunctions, hartmann6, mixed, rosenbrock } from '../../src/bench/functions.js';
import { conditional, styblinskiTang20 } from '../../src/bench/functions-structured.js';
import { benchLatency } from '../../src/bench/latency.js';
import { loadFunctionsModule } from '../../src/bench/module.js';
import { Rng } from '../../src/core/rng.js';
import { InputError } from '../../src/core/errors.js';
import { tempDir } from '../temp.js';
import { runCli } from '../cli-capture.js';

test('test functions take their stated minimum at the known minimisers', (t) => {
	t.true(Math.abs(branin.evaluate({ x1: Math.PI, x2: 2.275 }) - branin.minimum) < 1e-12);
	t.true(Math.abs(branin.evaluate({ x1: -Math.PI, x2: 12.275 }) - branin.minimum) < 1e-12);
	const h = [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573];
	t.true(Math.abs(hartmann6.evaluate(Object.fromEntries(h.map((v, j) => [`x${j + 1}`, v]))) - hartmann6.minimum) < 1e-5);
	t.is(rosenbrock.evaluate({ x: 1, y: 1 }), 0);
	t.is(mixed.evaluate({ x: 1, lr: 1e-3, n: 2, c: 'adam' }), 0);
	t.is(new Set(builtinFunctions.map((f) => f.name)).size, builtinFunctions.length);
	const at = (name: string, x: readonly number[]) => {
		const fn = builtinFunctions.find((f) => f.name === name)!;
		return fn.evaluate(Object.fromEntries(Object.keys(fn.space).map((k, j) => [k, x[j]!]))) - fn.minimum;
	};
	t.true(Math.abs(at('camel', [0.0898, -0.7126])) < 1e-6);
	t.true(Math.abs(at('camel', [-0.0898, 0.7126])) < 1e-6);
	t.true(Math.abs(at('goldstein', [0, -1])) < 1e-9);
	t.true(Math.abs(at('hartmann3', [0.114614, 0.555649, 0.852547])) < 1e-5);
	t.true(Math.abs(at('shekel', [4.00075, 3.99951, 4.00075, 3.99951])) < 1e-8);
	t.true(Math.abs(at('levy', [1, 1, 1, 1, 1])) < 1e-30);
	// Each is a minimum: no lower value on a random sample of its box.
	const rng = new Rng(1);
	for (const fn of builtinFunctions.filter((f) => ['camel', 'goldstein', 'hartmann3', 'shekel', 'levy'].includes(f.name))) {
		for (let i = 0; i < 2000; i++) {
			const p = Object.fromEntries(Object.entries(fn.space).map(([k, v]) => [k, v.type === 'float' ? v.low + (v.high - v.low) * rng.next() : 0]));
			t.true(fn.evaluate(p) >= fn.minimum, `${fn.name} below its minimum`);
		}
	}
});

test('the structured functions: conditional and styblinski_tang20 take their minimum at the stated points', (t) => {
	t.is(conditional.evaluate({ model: 'wave', n: 3, u: 0.3, v: 0.7 }), conditional.minimum);
	t.is(conditional.evaluate({ model: 'bowl', n: 3, a: 1.5, b: 0.01 }), 0.5);
	const x = Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`x${j + 1}`, -2.903534027771]));
	t.true(Math.abs(styblinskiTang20.evaluate(x) - styblinskiTang20.minimum) < 1e-9);
	const rng = new Rng(2);
	for (let i = 0; i < 2000; i++) {
		const p = Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`x${j + 1}`, -5 + 10 * rng.next()]));
		t.true(styblinskiTang20.evaluate(p) >= styblinskiTang20.minimum);
		const wave = { model: 'wave', n: 1 + rng.int(8), u: rng.next(), v: rng.next() };
		const bowl = { model: 'bowl', n: 1 + rng.int(8), a: -5 + 10 * rng.next(), b: 10 ** (-4 * rng.next()) };
		t.true(conditional.evaluate(wave) >= 0 && conditional.evaluate(bowl) >= 0.5);
	}
});

test('every searcher runs on a conditional function', (t) => {
	const rows = benchSearchers({ functions: [conditional, branin], searchers: ['grid', 'random', 'gp', 'tpe'], budget: 12, seeds: 2 });
	t.deepEqual(
		rows.map((r) => `${r.fn}/${r.searcher}`),
		['conditional/grid', 'conditional/random', 'conditional/gp', 'conditional/tpe', 'branin/grid', 'branin/random', 'branin/gp', 'branin/tpe'],
	);
	for (const r of rows) t.true(r.regret.median >= 0, `${r.fn}/${r.searcher}`);
});

test('runOnce: regret is non-negative and the budget is used', (t) => {
	const r = runOnce(branin, 'random', 0, 20);
	t.is(r.evaluations, 20);
	t.true(r.regret >= 0 && r.regret < 50);
	t.true(r.msPerAsk >= 0);
});

test('benchSearchers: one row per function and searcher, quartiles ordered', (t) => {
	const rows = benchSearchers({ functions: [branin, mixed], searchers: ['grid', 'random'], budget: 15, seeds: 4 });
	t.is(rows.length, 4);
	for (const r of rows) t.true(r.regret.q1 <= r.regret.median && r.regret.median <= r.regret.q3);
	t.regex(formatTable(rows), /branin\s+grid/);
});

test('benchSearchers: reached is the fraction of runs with regret at most the threshold', (t) => {
	const regrets = Array.from({ length: 5 }, (_, s) => runOnce(branin, 'random', s, 10).regret);
	const threshold = [...regrets].sort((a, b) => a - b)[1]!;
	const [row] = benchSearchers({ functions: [branin], searchers: ['random'], budget: 10, seeds: 5, threshold });
	t.is(row!.reached, 2 / 5);
	t.regex(formatTable([row!]), new RegExp(`<= ${threshold.toExponential(0).replace('+', '\\+')}[\\s\\S]*  40%  `));
});

test('benchLatency: one row per size from one run, and the cold ask repeats the warm proposal', (t) => {
	const rows = benchLatency({ fn: branin, observations: [14, 12], seed: 0, warmAsks: 2 });
	t.deepEqual(
		rows.map((r) => r.observations),
		[12, 14],
	);
	for (const r of rows) {
		t.true(r.sameProposal);
		t.is(r.warm.asks, 3);
	}
	t.true(rows[1]!.runMs >= rows[0]!.runMs);
});

function tempModule(source: string): string {
	const dir = tempDir('metatune-bench-');
	const file = join(dir, 'functions.mjs');
	writeFileSync(file, source);
	return file;
}

test('--module: functions from a user module are loaded and validated', async (t) => {
	const good = tempModule(
		`export default [{ name: 'bowl', space: { a: { type: 'float', low: -1, high: 1 }, k: { type: 'int', low: 0, high: 3 }, f: { type: 'fixed', value: 'x' } }, evaluate: (p) => p.a * p.a + p.k, minimum: 0 }];`,
	);
	const fns = await loadFunctionsModule(good);
	t.is(fns.length, 1);
	t.is(fns[0]!.evaluate({ a: 0.5, k: 1, f: 'x' }), 1.25);
	const bad = tempModule(`export default [{ name: 'bowl', space: { a: { type: 'float', low: 1, high: -1 } }, evaluate: () => 0 }];`);
	const error = await t.throwsAsync(loadFunctionsModule(bad), { instanceOf: InputError });
	t.regex(error!.message, /functions\.mjs: default export\[0\./);
	await t.throwsAsync(loadFunctionsModule(join(tmpdir(), 'no-such-metatune-module.mjs')), { instanceOf: InputError });
});

test('metatune bench searchers --module ... --format json prints rows for the module function', async (t) => {
	const file = tempModule(`export default [{ name: 'bowl', space: { a: { type: 'float', low: -1, high: 1 } }, evaluate: (p) => p.a * p.a, minimum: 0 }];`);
	// through runCli, whose captures are queued: a hand-made capture here raced the other CLI tests of this file
	const r = await runCli(['bench', 'searchers', '--module', file, '--functions', 'bowl', '--searchers', 'random,gp', '--budget', '12', '--seeds', '2', '--format', 'json']);
	t.is(r.code, 0, r.stderr);
	const rows = JSON.parse(r.stdout) as { fn: string; searcher: string; regret: { median: number } }[];
	t.deepEqual(
		rows.map((r) => `${r.fn}/${r.searcher}`),
		['bowl/random', 'bowl/gp'],
	);
	t.true(rows[1]!.regret.median < 0.01);
});

test('metatune bench searchers rejects unknown searchers and functions with exit code 2', async (t) => {
	t.is((await runCli(['bench', 'searchers', '--searchers', 'cmaes'])).code, 2);
	t.is((await runCli(['bench', 'searchers', '--functions', 'nope'])).code, 2);
});

test('bench searchers --first-seed 100 runs seeds 100.. (held out from the defaults tuned on 0..n-1) and says so', async (t) => {
	const r = await runCli(['bench', 'searchers', '--functions', 'branin', '--searchers', 'random', '--budget', '10', '--seeds', '3', '--first-seed', '100', '--format', 'json']);
	t.is(r.code, 0, r.stderr);
	const [row] = JSON.parse(r.stdout) as { firstSeed: number; seeds: number; regret: { median: number } }[];
	t.is(row!.firstSeed, 100);
	t.is(row!.seeds, 3);
	const held = [100, 101, 102].map((s) => runOnce(branin, 'random', s, 10).regret);
	const tuned = [0, 1, 2].map((s) => runOnce(branin, 'random', s, 10).regret);
	t.is(row!.regret.median, [...held].sort((a, b) => a - b)[1]!);
	t.notDeepEqual(held, tuned);
	const text = await runCli(['bench', 'searchers', '--functions', 'branin', '--searchers', 'random', '--budget', '10', '--seeds', '3', '--first-seed', '100']);
	t.regex(text.stdout, /branin\s+random\s+10\s+100-102\s/);
	const bad = await runCli(['bench', 'searchers', '--first-seed', '-1']);
	t.is(bad.code, 2);
	t.is(bad.stderr, 'metatune: --first-seed: expected an integer >= 0 (got -1)\n');
});
