import test from 'ava';
import { dominates, hypervolumeContributions, nonDominatedRanks } from '../../../src/core/pareto.js';
import { Rng } from '../../../src/core/rng.js';
import { goodWeights, referencePoint, selectByRank } from '../../../searchers/tpe/split-multi.js';
import { type SplitTrial, splitTrials } from '../../../searchers/tpe/split.js';

const min2 = ['minimize', 'minimize'] as const;

function cloud(seed: number, n: number, m = 2): number[][] {
	const rng = new Rng(seed);
	return Array.from({ length: n }, () => Array.from({ length: m }, () => Math.round(rng.next() * 20) / 4));
}

test('the good set never holds a point dominated by one left out, and takes whole ranks first', (t) => {
	for (let seed = 0; seed < 30; seed++) {
		const m = 2 + (seed % 2);
		const ys = cloud(seed, 40, m);
		const directions = Array(m).fill('minimize');
		const ranks = nonDominatedRanks(ys, directions);
		for (const k of [1, 3, 4, 10]) {
			const good = new Set(selectByRank(ys, k));
			t.is(good.size, k);
			const worstGoodRank = Math.max(...[...good].map((i) => ranks[i]!));
			for (let i = 0; i < ys.length; i++) {
				if (good.has(i)) continue;
				t.true(ranks[i]! >= worstGoodRank, `seed ${seed}, k ${k}: point ${i} of rank ${ranks[i]} left out while rank ${worstGoodRank} is in`);
				for (const g of good) t.false(dominates(ys[i]!, ys[g]!, directions), `seed ${seed}, k ${k}: good point ${g} is dominated by left-out ${i}`);
			}
		}
	}
});

test('the last rank is cut by the hypervolume each member adds, not by its own box', (t) => {
	// one front; (1.1, 0.95) has the second largest box alone but adds little next to (1, 1)
	const ys = [
		[0, 4],
		[1, 1],
		[1.1, 0.95],
		[3.9, 0],
	];
	t.deepEqual(selectByRank(ys, 1), [1]);
	t.deepEqual(selectByRank(ys, 2), [0, 1]);
	t.deepEqual(selectByRank(ys, 3), [0, 1, 3]);
});

test('the reference point lies 10% beyond the worst loss, whatever its sign', (t) => {
	t.deepEqual(
		referencePoint([
			[1, -2],
			[2, -4],
		]),
		[2.2, -1.8],
	);
	t.deepEqual(referencePoint([[0, 1]]), [1e-12, 1.1]);
});

test('good weights: hypervolume contribution over the largest, near 0 for dominated, repeated and infeasible points', (t) => {
	const ys = [[0, 4], [1, 1], [1.1, 0.95], [3.9, 0], [2, 2], [1, 1], [0.5, 0.5], undefined];
	const feasible = [true, true, true, true, true, true, false, true];
	const w = goodWeights(ys, feasible);
	const usable = [0, 1, 2, 3, 4, 5];
	const c = hypervolumeContributions(
		usable.map((i) => ys[i]!),
		referencePoint(usable.map((i) => ys[i]!)),
		min2,
	);
	const largest = Math.max(...c);
	for (const i of [0, 2, 3]) t.true(Math.abs(w[i]! - c[i]! / largest) < 1e-12 && w[i]! > 0.01, `weight ${i}`);
	t.is(Math.max(w[0]!, w[2]!, w[3]!), 1);
	// (2, 2) dominated; the two copies of (1, 1) own nothing alone; (0.5, 0.5) infeasible; the last has no values
	for (const i of [1, 4, 5, 6, 7]) t.is(w[i], 1e-12, `weight ${i}`);
	// a single feasible good trial weighs 1
	t.deepEqual(
		Array.from(
			goodWeights(
				[
					[1, 1],
					[0, 0],
				],
				[true, false],
			),
		),
		[1, 1e-12],
	);
});

const trial = (order: number, losses: number[], extra: Partial<SplitTrial> = {}): SplitTrial => ({ order, state: 'complete', loss: losses[0]!, losses, ...extra });

test('with several metrics the split is by rank; infeasible trials are bad while enough feasible ones finished, least violated first', (t) => {
	const ys = cloud(3, 30);
	// the best point of all, but infeasible; and pruned trials after every complete one
	const trials = [...ys.map((y, i) => trial(i, y)), trial(30, [-1, -1], { violation: 0.5 }), trial(31, [-2, -2], { state: 'pruned' })];
	const { below, above } = splitTrials(trials);
	t.is(below.length, 4);
	t.is(below.length + above.length, trials.length);
	t.true(above.some((a) => a.order === 30) && above.some((a) => a.order === 31));
	const good = selectByRank(ys, 4);
	t.deepEqual(
		below.map((b) => b.order),
		good,
	);
	// too few feasible trials: the infeasible ones fill the good set, least violated first
	const few = [trial(0, [1, 1]), trial(1, [0, 0], { violation: 3 }), trial(2, [5, 5], { violation: 0.1 }), ...Array.from({ length: 8 }, (_, i) => trial(3 + i, [0, 0], { violation: 10 + i }))];
	t.deepEqual(
		splitTrials(few).below.map((b) => b.order),
		[0, 2],
	);
	// one metric: an infeasible trial with the best loss is bad too
	const single: SplitTrial[] = Array.from({ length: 10 }, (_, i) => ({ order: i, state: 'complete', loss: i, ...(i === 0 ? { violation: 1 } : {}) }));
	t.deepEqual(
		splitTrials(single).below.map((b) => b.order),
		[1],
	);
});
