import test from 'ava';
import { dominates } from '../../../src/core/pareto.js';
import { Rng } from '../../../src/core/rng.js';
import { modelled, paregoWeights, scalarLosses } from '../../../searchers/gp/scalarise.js';
import type { SearcherTrial } from '../../../searchers/searcher.js';

const directions = ['minimize', 'maximize'] as const;

function trials(seed: number, n: number): SearcherTrial[] {
	const rng = new Rng(seed);
	return Array.from({ length: n }, (_, i) => {
		const values = [rng.next() * 10, -rng.next() * 3];
		return { number: i, params: { i }, status: 'complete', value: values[0]!, values, ...(i % 5 === 4 ? { violation: 0.1 + rng.next() } : {}) };
	});
}

test('ParEGO weights: on the simplex, a function of seed and proposal index', (t) => {
	const seen = new Set<string>();
	for (let i = 0; i < 50; i++) {
		const w = paregoWeights(3, i, 3);
		t.true(w.every((v) => v > 0));
		t.true(Math.abs(w.reduce((a, b) => a + b, 0) - 1) < 1e-12);
		t.deepEqual(w, paregoWeights(3, i, 3));
		seen.add(w.map((v) => v.toFixed(6)).join());
	}
	t.is(seen.size, 50);
	t.notDeepEqual(paregoWeights(3, 0, 2), paregoWeights(4, 0, 2));
});

test('the scalarised loss never ranks a dominated feasible trial below the trial dominating it, and every infeasible one last, by violation', (t) => {
	for (let seed = 0; seed < 20; seed++) {
		const all = trials(seed, 40);
		const done = modelled(all, directions);
		const s = scalarLosses(done, 'minimize', directions, paregoWeights(seed, 40, 2));
		const feasible = done.map((tr) => !((tr.violation ?? 0) > 0));
		const worstFeasible = Math.max(...done.flatMap((_, i) => (feasible[i] ? [s[i]!] : [])));
		done.forEach((a, i) => {
			if (!feasible[i]) {
				t.true(s[i]! > worstFeasible, `seed ${seed}: infeasible trial ${i} not last`);
				done.forEach((b, j) => {
					if (!feasible[j] && (a.violation as number) < (b.violation as number)) t.true(s[i]! < s[j]!, `seed ${seed}: violations out of order`);
				});
				return;
			}
			done.forEach((b, j) => {
				if (feasible[j] && dominates(a.values!, b.values!, directions)) t.true(s[i]! < s[j]!, `seed ${seed}: ${i} dominates ${j} but scalarises no better`);
			});
		});
	}
});

test('one metric: the loss is sign * value; trials without a value per metric are not modelled', (t) => {
	const one: SearcherTrial[] = [
		{ number: 0, params: {}, status: 'complete', value: 2 },
		{ number: 1, params: {}, status: 'complete', value: 5 },
	];
	t.deepEqual(Array.from(scalarLosses(one, 'maximize', undefined, undefined)), [-2, -5]);
	const partial: SearcherTrial[] = [...trials(1, 3), { number: 3, params: {}, status: 'complete', value: 1 }, { number: 4, params: {}, status: 'complete', value: 1, values: [1, Number.NaN] }];
	t.is(modelled(partial, directions).length, 3);
});
