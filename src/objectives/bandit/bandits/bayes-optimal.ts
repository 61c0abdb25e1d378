/**
 * The Bayes-optimal policy of the two-armed tasks, exact by dynamic programming over the posterior:
 * the policy itself for the dependent tasks (p2 = 1 - p1), its expected regret for all (independent:
 * see independentValue).
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
 * Exact expected regret per episode of the Bayes-optimal policy on a two-armed task with `horizon`
 * pulls (undefined for eleven-armed, whose regret is measured against its Bayes-optimal policy).
 */
export function bayesOptimalRegret(kind: TaskKind, horizon: number): number | undefined {
	if (kind === 'independent') return (horizon * 2) / 3 - independentValue(horizon);
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

/**
 * V(0) of the independent task (p1, p2 ~ U(0, 1) independently): the recursion over (n0, s0, s1) at
 * t pulls (n1 = t - n0), arm k's posterior mean (s_k + 1) / (n_k + 2); an arm's pull informs only
 * that arm, so both arms are tried at every state. Two layers of (H + 1)^3 values.
 */
function independentValue(horizon: number): number {
	const side = horizon + 1;
	const at = (n0: number, s0: number, s1: number) => (n0 * side + s0) * side + s1;
	let next = new Float64Array(side * side * side);
	let value = new Float64Array(side * side * side);
	for (let t = horizon - 1; t >= 0; t--) {
		for (let n0 = 0; n0 <= t; n0++) {
			const n1 = t - n0;
			for (let s0 = 0; s0 <= n0; s0++) {
				const m0 = (s0 + 1) / (n0 + 2);
				for (let s1 = 0; s1 <= n1; s1++) {
					const m1 = (s1 + 1) / (n1 + 2);
					const arm0 = m0 + m0 * (next[at(n0 + 1, s0 + 1, s1)] as number) + (1 - m0) * (next[at(n0 + 1, s0, s1)] as number);
					const arm1 = m1 + m1 * (next[at(n0, s0, s1 + 1)] as number) + (1 - m1) * (next[at(n0, s0, s1)] as number);
					value[at(n0, s0, s1)] = Math.max(arm0, arm1);
				}
			}
		}
		[next, value] = [value, next];
	}
	return next[0] as number;
}
