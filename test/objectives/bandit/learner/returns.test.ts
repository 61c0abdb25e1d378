import test from 'ava';
import { discountedReturns, episodeDiscounts, returnsGammaDerivative } from '../../../../src/objectives/bandit/learner/returns.js';

test('discounted returns follow G_t = r_t + gamma_t G_{t+1} (hand-computed)', (t) => {
	// T = 3, B = 2, time-major rewards: instance 0 gets 1, 0, 2; instance 1 gets 0, 1, 1.
	const rewards = new Float32Array([1, 0, 0, 1, 2, 1]);
	const g = discountedReturns(rewards, episodeDiscounts(0.5, 3), 3, 2);
	// instance 0: G2 = 2, G1 = 0 + 0.5 * 2 = 1, G0 = 1 + 0.5 * 1 = 1.5
	// instance 1: G2 = 1, G1 = 1 + 0.5 = 1.5, G0 = 0 + 0.75 = 0.75
	t.deepEqual(Array.from(g), [1.5, 0.75, 1, 1.5, 2, 1]);
});

test('a zero discount cuts the return (episode boundary inside the array)', (t) => {
	const rewards = new Float32Array([1, 1, 1, 1]);
	const g = discountedReturns(rewards, new Float32Array([0.9, 0, 0.9, 0]), 4, 1);
	t.deepEqual(
		Array.from(g).map((x) => Math.round(x * 1e6) / 1e6),
		[1.9, 1, 1.9, 1],
	);
});

test('per-instance discounts [T, B] are honoured', (t) => {
	const rewards = new Float32Array([1, 1, 1, 1]);
	const g = discountedReturns(rewards, new Float32Array([0.5, 1, 0, 0]), 2, 2);
	t.deepEqual(Array.from(g), [1.5, 2, 1, 1]);
});

test('dG/dgamma matches central finite differences', (t) => {
	const T = 7;
	const B = 3;
	const rewards = new Float32Array(T * B).map((_, i) => Math.sin(i * 1.3) + 0.5);
	const gamma = 0.83;
	const eps = 1e-3;
	const g = discountedReturns(rewards, episodeDiscounts(gamma, T), T, B, new Float32Array(T * B));
	const d = returnsGammaDerivative(g, episodeDiscounts(gamma, T), T, B);
	const up = discountedReturns(rewards, episodeDiscounts(gamma + eps, T), T, B);
	const down = discountedReturns(rewards, episodeDiscounts(gamma - eps, T), T, B);
	for (let n = 0; n < T * B; n++) {
		const fd = (up[n]! - down[n]!) / (2 * eps);
		t.true(Math.abs(fd - d[n]!) < 2e-3 * (1 + Math.abs(fd)), `n ${n}: analytic ${d[n]} fd ${fd}`);
	}
	// The last step does not depend on gamma; the first does.
	t.is(d[(T - 1) * B], 0);
	t.true(Math.abs(d[0]!) > 0.1);
});
