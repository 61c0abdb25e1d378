/**
 * The Bayes-optimal policy of the dependent two-armed tasks (p2 = 1 - p1), exact by dynamic
 * programming over the posterior.
 *
 * Notation
 *   p          p1, the mean of arm 0 (arm 1 pays 1 - p)
 *   a, b       evidence counts: a = successes on arm 0 + failures on arm 1 (each has probability p),
 *              b = failures on arm 0 + successes on arm 1 (probability 1 - p); t = a + b pulls so far
 *   m(a, b)    posterior mean of p: (a + 1) / (a + b + 2) under the uniform prior (dependent-uniform),
 *              under the two-point prior {l, 1 - l} (easy, medium, hard) q (1 - l) + (1 - q) l with
 *              q = P(p = 1 - l | a, b) = 1 / (1 + ((1 - l) / l)^(b - a))
 *   V(t, a)    expected reward still to come after t pulls with evidence (a, t - a), acting optimally
 *
 * Whichever arm is pulled, the next piece of evidence is `a` with probability m and `b` otherwise, so
 * the information an arm gives does not depend on the arm: the recursion
 *   V(H, a) = 0,   V(t, a) = max(m, 1 - m) + m V(t + 1, a + 1) + (1 - m) V(t + 1, a)
 * has the greedy arm as its maximiser at every state, and the Bayes-optimal policy pulls the arm of
 * the higher posterior mean. Its expected regret against the oracle that knows p is
 * H E[max(p, 1 - p)] - V(0, 0).
 */
import { isDependent, type TaskKind, twoPointPrior } from './tasks.js';

/** Posterior mean of p1 after evidence (a, b) on a dependent task. */
function posteriorMean(kind: TaskKind, a: number, b: number): number {
	const low = twoPointPrior(kind);
	if (low === undefined) return (a + 1) / (a + b + 2);
	const q = highPosterior(low, a, b);
	return q * (1 - low) + (1 - q) * low;
}

/** P(p1 = 1 - low | a, b) under the two-point prior {low, 1 - low}. */
export function highPosterior(low: number, a: number, b: number): number {
	return 1 / (1 + Math.exp((b - a) * Math.log((1 - low) / low)));
}

/** The Bayes-optimal arm after evidence (a, b): the higher posterior mean; -1 on a tie (either arm). */
export function bayesOptimalArm(kind: TaskKind, a: number, b: number): number {
	const m = posteriorMean(kind, a, b);
	return m > 0.5 ? 0 : m < 0.5 ? 1 : -1;
}

/**
 * Exact expected regret per episode of the Bayes-optimal policy on a dependent task with `horizon`
 * pulls (undefined for tasks this DP does not cover).
 */
export function bayesOptimalRegret(kind: TaskKind, horizon: number): number | undefined {
	if (!isDependent(kind)) return undefined;
	let next = new Float64Array(horizon + 2);
	for (let t = horizon - 1; t >= 0; t--) {
		const value = new Float64Array(horizon + 2);
		for (let a = 0; a <= t; a++) {
			const m = posteriorMean(kind, a, t - a);
			value[a] = Math.max(m, 1 - m) + m * (next[a + 1] as number) + (1 - m) * (next[a] as number);
		}
		next = value;
	}
	const low = twoPointPrior(kind);
	const oracle = horizon * (low === undefined ? 0.75 : 1 - low);
	return oracle - (next[0] as number);
}
