import test from 'ava';
import { benchFronts, formatFrontTable, runFront } from '../../src/bench/bench-multi.js';
import { c2Constraint, c2dtlz2, zdt1 } from '../../src/bench/functions-multi.js';
import { hypervolume, paretoFront } from '../../src/core/pareto.js';
import { Rng } from '../../src/core/rng.js';
import { runCli } from '../cli-capture.js';

const point = (x: readonly number[]) => Object.fromEntries(x.map((v, j) => [`x${j + 1}`, v]));

test('zdt1: f2 = 1 - sqrt(f1) at x2..x5 = 0, above it elsewhere; its front has the stated hypervolume', (t) => {
	for (const f1 of [0, 0.25, 0.5, 1]) t.deepEqual(zdt1.evaluate(point([f1, 0, 0, 0, 0])).values, [f1, 1 - Math.sqrt(f1)]);
	const rng = new Rng(3);
	for (let i = 0; i < 500; i++) {
		const x = Array.from({ length: 5 }, () => rng.next());
		const { values, violation } = zdt1.evaluate(point(x));
		t.true(values[1]! >= 1 - Math.sqrt(values[0]!) - 1e-12);
		t.is(violation, 0);
	}
	const front = Array.from({ length: 20001 }, (_, i) => zdt1.evaluate(point([i / 20000, 0, 0, 0, 0])).values);
	t.true(Math.abs(hypervolume(front, zdt1.reference, zdt1.directions) - zdt1.optimum) < 1e-4);
});

test('c2dtlz2: the feasible part of the front is three arcs; its hypervolume is the stated optimum', (t) => {
	const deg = (x1: number) => 90 * x1;
	const feasibleOnFront = (x1: number) => c2dtlz2.evaluate(point([x1, 0.5, 0.5, 0.5, 0.5])).violation === 0;
	for (const [x1, ok] of [
		[0, true],
		[10 / 90, true],
		[20 / 90, false],
		[45 / 90, true],
		[60 / 90, false],
		[85 / 90, true],
	] as const)
		t.is(feasibleOnFront(x1), ok, `angle ${deg(x1)}`);
	const { values } = c2dtlz2.evaluate(point([0.3, 0.5, 0.5, 0.5, 0.5]));
	t.true(Math.abs(values[0]! ** 2 + values[1]! ** 2 - 1) < 1e-12);
	// off the front (g > 0) the point moves outwards and the violation is the constraint value
	const off = c2dtlz2.evaluate(point([0.3, 0.9, 0.1, 0.5, 0.5]));
	t.is(off.violation, Math.max(0, c2Constraint(off.values[0]!, off.values[1]!)));
	const arcs = Array.from({ length: 20001 }, (_, i) => i / 20000)
		.filter(feasibleOnFront)
		.map((x1) => c2dtlz2.evaluate(point([x1, 0.5, 0.5, 0.5, 0.5])).values);
	t.true(Math.abs(hypervolume(arcs, c2dtlz2.reference, c2dtlz2.directions) - c2dtlz2.optimum) < 1e-3);
});

test('runFront: the hypervolume is that of the feasible points evaluated, on the front of them', (t) => {
	const run = runFront(c2dtlz2, 'random', 4, 30);
	t.is(run.evaluations, 30);
	const feasible = run.points.filter((p) => p.violation === 0).map((p) => p.values);
	t.true(feasible.length < 30, 'some points are infeasible');
	const front = paretoFront(feasible, c2dtlz2.directions).map((i) => feasible[i]!);
	t.is(run.hypervolume, hypervolume(front, c2dtlz2.reference, c2dtlz2.directions));
	t.is(run.feasible, feasible.length / 30);
});

test('bench searchers on a function with two objectives prints the hypervolume with its reference point', async (t) => {
	const rows = benchFronts({ functions: [zdt1], searchers: ['random'], budget: 8, seeds: 3 });
	t.true(rows[0]!.hypervolume.q1 <= rows[0]!.hypervolume.median && rows[0]!.hypervolume.median <= rows[0]!.hypervolume.q3);
	t.regex(formatFrontTable(rows), /zdt1\s+random\s+8\s+3\s+\[1\.1, 1\.1\]/);
	const r = await runCli(['bench', 'searchers', '--functions', 'branin,c2dtlz2', '--searchers', 'random', '--budget', '8', '--seeds', '2', '--format', 'json']);
	t.is(r.code, 0, r.stderr);
	const json = JSON.parse(r.stdout) as { fn: string; regret?: unknown; hypervolume?: { median: number }; reference?: number[] }[];
	t.deepEqual(
		json.map((row) => [row.fn, row.regret !== undefined, row.hypervolume !== undefined]),
		[
			['branin', true, false],
			['c2dtlz2', false, true],
		],
	);
	t.deepEqual(json[1]!.reference, [1.1, 1.1]);
	const text = await runCli(['bench', 'searchers', '--functions', 'zdt1', '--searchers', 'random', '--budget', '8', '--seeds', '2']);
	t.regex(text.stdout, /HV median/);
	t.notRegex(text.stdout, /regret/);
});
