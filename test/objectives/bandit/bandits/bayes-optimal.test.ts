import test from 'ava';
import { Rng } from '../../../../src/core/rng.js';
import { runBaseline } from '../../../../src/objectives/bandit/bandits/baselines.js';
import { bayesOptimalRegret } from '../../../../src/objectives/bandit/bandits/bayes-optimal.js';
import { BanditBatch, type TaskKind, twoPointPrior } from '../../../../src/objectives/bandit/bandits/tasks.js';

/**
 * The Bayes-optimal expected reward by brute force: a full expectimax over both arms at every
 * history (s0, f0, s1, f1), the posterior from the prior's hypotheses (two-point) or a fine grid on
 * p1 (uniform; for independent one grid per arm), assuming nothing about which arm is informative.
 */
function bruteForceReward(kind: TaskKind, horizon: number): number {
	const low = twoPointPrior(kind);
	const grid = low === undefined ? Array.from({ length: 2000 }, (_, i) => (i + 0.5) / 2000) : [low, 1 - low];
	const meanOf = (weight: (p: number) => number) => {
		let z = 0;
		let m = 0;
		for (const p of grid) {
			z += weight(p);
			m += weight(p) * p;
		}
		return m / z;
	};
	const memo = new Map<string, number>();
	const go = (s0: number, f0: number, s1: number, f1: number): number => {
		if (s0 + f0 + s1 + f1 === horizon) return 0;
		const key = `${s0},${f0},${s1},${f1}`;
		const hit = memo.get(key);
		if (hit !== undefined) return hit;
		let m0: number;
		let m1: number;
		if (kind === 'independent') {
			m0 = meanOf((p) => p ** s0 * (1 - p) ** f0);
			m1 = meanOf((p) => p ** s1 * (1 - p) ** f1);
		} else {
			m0 = meanOf((p) => p ** s0 * (1 - p) ** f0 * (1 - p) ** s1 * p ** f1);
			m1 = 1 - m0;
		}
		const arm0 = m0 + m0 * go(s0 + 1, f0, s1, f1) + (1 - m0) * go(s0, f0 + 1, s1, f1);
		const arm1 = m1 + m1 * go(s0, f0, s1 + 1, f1) + (1 - m1) * go(s0, f0, s1, f1 + 1);
		const v = Math.max(arm0, arm1);
		memo.set(key, v);
		return v;
	};
	return go(0, 0, 0, 0);
}

for (const kind of ['independent', 'dependent-uniform', 'dependent-easy', 'dependent-medium', 'dependent-hard'] as const) {
	test(`${kind}: the DP's regret equals a brute-force expectimax over both arms (8 pulls)`, (t) => {
		const low = twoPointPrior(kind);
		const oracle = 8 * (kind === 'independent' ? 2 / 3 : low === undefined ? 0.75 : 1 - low);
		const brute = oracle - bruteForceReward(kind, 8);
		const dp = bayesOptimalRegret(kind, 8) as number;
		t.true(Math.abs(dp - brute) < (low === undefined ? 1e-4 : 1e-12), `dp ${dp}, brute force ${brute}`);
	});
}

const reference: ReadonlyArray<[TaskKind, number]> = [
	['dependent-uniform', 1.221],
	['dependent-easy', 0.625],
	['dependent-medium', 1.0],
	['dependent-hard', 2.312],
];

for (const [kind, figure] of reference) {
	test(`${kind}: exact Bayes-optimal regret over 100 pulls ${figure}, and the policy played on draws matches it`, (t) => {
		const exact = bayesOptimalRegret(kind, 100) as number;
		t.true(Math.abs(exact - figure) < 0.0005, `exact ${exact}`);
		const regrets = runBaseline('bayes-optimal', new BanditBatch({ kind, batch: 100 }, new Rng(5)), 4000, new Rng(6)).regrets;
		const m = regrets.reduce((a, b) => a + b, 0) / regrets.length;
		const se = Math.sqrt(regrets.reduce((a, b) => a + (b - m) ** 2, 0) / (regrets.length - 1) / regrets.length);
		t.true(Math.abs(m - exact) < 4 * se, `played ${m.toFixed(3)} ± ${se.toFixed(3)}, exact ${exact.toFixed(3)}`);
	});
}

test('independent: exact Bayes-optimal regret over 100 pulls 1.748; none for eleven-armed (its regret is against its Bayes-optimal policy)', (t) => {
	t.true(Math.abs((bayesOptimalRegret('independent', 100) as number) - 1.748) < 0.0005);
	t.is(bayesOptimalRegret('eleven-armed', 5), undefined);
});
