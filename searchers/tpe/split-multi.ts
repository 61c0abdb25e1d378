/**
 * The TPE's good set and its weights with several metrics (MOTPE, after Optuna 4.6's TPESampler:
 * Ozaki et al. 2020/2022), and the order of infeasible trials under constraints.
 *
 * Notation
 *   y_t          losses of trial t, one per metric (sign_k * value_k: every objective minimised)
 *   k            how many of the feasible complete trials go into the good set (gamma(n), split.ts)
 *   rank         non-domination rank of y_t among the feasible complete trials (src/core/pareto.ts)
 *   good set     whole ranks 0, 1, ... while they fit in k; the first rank that does not fit is cut
 *                by greedy hypervolume subset selection (HSSP): repeatedly the member adding the
 *                most hypervolume to those already chosen (ties: the earlier trial), against r_rank
 *   r(Y)         the reference point of a set of losses Y: per objective w = max over Y, then
 *                max(1.1 w, 0.9 w) (10% beyond the worst, whatever its sign), 1e-12 where that is 0
 *   weight_t     of a good trial t: its hypervolume contribution among the feasible good trials
 *                (against r of their losses) / the largest one, floored at 1e-12, so points on the
 *                good set's own front pull the estimator l(x) in proportion to the volume only they
 *                cover, and dominated or repeated ones barely count; 1 each when at most one good
 *                trial is feasible; 1e-12 for an infeasible or value-less good trial
 *   violation    > 0: infeasible; infeasible trials are bad first (they join the good set only when
 *                fewer than k feasible trials finished), least violated first
 */
import { hypervolume, hypervolumeContributions, nonDominatedRanks } from '../../src/core/pareto.js';

const EPS = 1e-12;

/** The reference point of a set of minimised losses (see the notation). */
export function referencePoint(losses: readonly (readonly number[])[]): number[] {
	const m = losses[0]?.length ?? 0;
	return Array.from({ length: m }, (_, j) => {
		const worst = Math.max(...losses.map((y) => y[j] as number));
		const r = Math.max(1.1 * worst, 0.9 * worst);
		return r === 0 ? EPS : r;
	});
}

/**
 * The indices (into `losses`) of the k best by non-domination rank, the last rank cut by greedy
 * hypervolume subset selection; in increasing index order.
 */
export function selectByRank(losses: readonly (readonly number[])[], k: number): number[] {
	const n = losses.length;
	if (k <= 0) return [];
	if (k >= n) return losses.map((_, i) => i);
	const m = losses[0]?.length ?? 0;
	const ranks = nonDominatedRanks(losses, Array(m).fill('minimize'));
	const chosen: number[] = [];
	for (let r = 0; chosen.length < k; r++) {
		const members = ranks.flatMap((rank, i) => (rank === r ? [i] : []));
		if (chosen.length + members.length <= k) chosen.push(...members);
		else chosen.push(...greedySubset(members, losses, k - chosen.length));
	}
	return chosen.sort((a, b) => a - b);
}

/** Greedy HSSP: `size` of `members` (indices into losses), each step the one adding most hypervolume. */
function greedySubset(members: readonly number[], losses: readonly (readonly number[])[], size: number): number[] {
	const ys = members.map((i) => losses[i] as readonly number[]);
	const r = referencePoint(ys);
	const directions = Array(r.length).fill('minimize');
	const picked: number[] = [];
	const pickedYs: (readonly number[])[] = [];
	let current = 0;
	const left = members.map((_, j) => j);
	while (picked.length < size) {
		let best = -1;
		let bestGain = Number.NEGATIVE_INFINITY;
		for (const j of left) {
			const gain = hypervolume([...pickedYs, ys[j] as readonly number[]], r, directions) - current;
			// members are in index (trial) order, so strict > keeps the earlier trial on a tie
			if (gain > bestGain) {
				bestGain = gain;
				best = j;
			}
		}
		left.splice(left.indexOf(best), 1);
		picked.push(members[best] as number);
		pickedYs.push(ys[best] as readonly number[]);
		current += bestGain;
	}
	return picked;
}

/** The good trials' weights (see the notation): `losses[i]` undefined for a trial without values; `feasible[i]` false for an infeasible one. */
export function goodWeights(losses: readonly (readonly number[] | undefined)[], feasible: readonly boolean[]): Float64Array {
	const w = new Float64Array(losses.length);
	const usable: number[] = [];
	losses.forEach((y, i) => {
		const ok = y !== undefined && feasible[i] === true;
		w[i] = ok ? 1 : EPS;
		if (ok) usable.push(i);
	});
	if (usable.length <= 1) return w;
	const ys = usable.map((i) => losses[i] as readonly number[]);
	const contributions = hypervolumeContributions(ys, referencePoint(ys), Array(ys[0]!.length).fill('minimize'));
	const largest = Math.max(...contributions);
	usable.forEach((i, j) => {
		w[i] = Math.max(contributions[j]! / Math.max(largest, EPS), EPS);
	});
	return w;
}
