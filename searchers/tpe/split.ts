/**
 * The TPE's good/bad split and the observations' weights (Optuna's defaults).
 *
 * Notation
 *   n            finished trials: complete plus pruned (running and failed ones not counted)
 *   gamma(n)     min(ceil(0.1 n), 25): how many finished trials are "good" (below)
 *   below        the gamma(n) best: complete trials by loss first (with several metrics: by
 *                non-domination rank, the last rank cut by hypervolume; split-multi.ts), then pruned
 *                ones by their last reported loss (a pruned trial ranks after every complete one),
 *                then infeasible ones (violation > 0, complete or pruned) by violation: an infeasible
 *                trial is good only when fewer than gamma(n) feasible trials finished
 *   above        every other finished trial, plus the running ones under the constant liar (their
 *                outcome is pessimistically assumed bad, which pushes concurrent asks apart)
 *   weights(m)   for an estimator with m observations in trial order: 1 each when m < 25, else the
 *                oldest m - 25 ramp linearly from 1/m to 1 and the newest 25 weigh 1
 *   Both sets keep the trials' order, so the weights' ramp runs from old to new.
 */

import { selectByRank } from './split-multi.js';

/** A trial as the split sees it. */
export interface SplitTrial {
	/** position in the arm's order (pending proposals of a batch come last) */
	readonly order: number;
	readonly state: 'complete' | 'pruned' | 'running';
	/** loss (sign * value) for complete and pruned trials: finite (searcher.ts drops the others; bestByLoss and rankedBelow would order a NaN differently) */
	readonly loss: number;
	/** several metrics: a complete trial's losses, one per metric (sign_k * value_k) */
	readonly losses?: readonly number[];
	/** constraint violation: > 0 infeasible */
	readonly violation?: number;
}

export function gamma(n: number): number {
	return Math.min(Math.ceil(0.1 * n), 25);
}

export function observationWeights(m: number): Float64Array {
	const w = new Float64Array(m).fill(1);
	if (m < 25) return w;
	const ramp = m - 25;
	// linspace(1/m, 1, ramp)
	for (let i = 0; i < ramp; i++) w[i] = ramp === 1 ? 1 / m : 1 / m + ((1 - 1 / m) * i) / (ramp - 1);
	return w;
}

/** Rank order: complete trials before pruned ones, then by loss, then by trial order. */
function ranksBefore(a: SplitTrial, b: SplitTrial): boolean {
	if (a.state !== b.state) return a.state === 'complete';
	return a.loss - b.loss < 0 || (a.loss === b.loss && a.order < b.order);
}

/** Split the trials into below (good) and above (bad), each in trial order. */
export function splitTrials<T extends SplitTrial>(trials: readonly T[]): { below: T[]; above: T[] } {
	const belowSet = trials.some((t) => t.losses !== undefined || (t.violation ?? 0) > 0) ? rankedBelow(trials) : bestByLoss(trials);
	const below: T[] = [];
	const above: T[] = [];
	for (const t of trials) (belowSet.has(t) ? below : above).push(t);
	return { below, above };
}

/** The complete trials, best first as far as the good set reaches: by loss, or with several metrics the rank/hypervolume selection of the first `k`. */
function bestComplete<T extends SplitTrial>(complete: readonly T[], k: number, byLoss: (a: T, b: T) => number): T[] {
	if (!complete.some((t) => t.losses !== undefined)) return [...complete].sort(byLoss);
	const chosen = new Set(
		selectByRank(
			complete.map((t) => t.losses ?? [t.loss]),
			Math.min(k, complete.length),
		),
	);
	return [...complete.filter((_, i) => chosen.has(i)), ...complete.filter((_, i) => !chosen.has(i))];
}

/**
 * One metric, every trial feasible: the gamma(n) best in rank order, by insertion in one pass
 * (gamma(n) <= 25). The same set as `rankedBelow` on such trials (test/searchers/tpe/split-paths.test.ts).
 */
export function bestByLoss<T extends SplitTrial>(trials: readonly T[]): Set<T> {
	let finished = 0;
	for (const t of trials) if (t.state !== 'running') finished++;
	const nBelow = gamma(finished);
	const best: T[] = [];
	for (const t of trials) {
		if (t.state === 'running' || nBelow === 0) continue;
		if (best.length === nBelow && !ranksBefore(t, best[nBelow - 1]!)) continue;
		let i = best.length;
		while (i > 0 && ranksBefore(t, best[i - 1]!)) i--;
		best.splice(i, 0, t);
		if (best.length > nBelow) best.pop();
	}
	return new Set(best);
}

/** Several metrics or infeasible trials: complete feasible ones by rank (split-multi.ts), then pruned by loss, then infeasible by violation. */
export function rankedBelow<T extends SplitTrial>(trials: readonly T[]): Set<T> {
	const feasible = (t: T): boolean => !((t.violation ?? 0) > 0);
	const complete = trials.filter((t) => t.state === 'complete' && feasible(t));
	const pruned = trials.filter((t) => t.state === 'pruned' && feasible(t));
	const infeasible = trials.filter((t) => t.state !== 'running' && !feasible(t));
	const byLoss = (a: T, b: T): number => a.loss - b.loss || a.order - b.order;
	const byViolation = (a: T, b: T): number => (a.violation as number) - (b.violation as number) || a.order - b.order;
	const nBelow = gamma(complete.length + pruned.length + infeasible.length);
	const ranked = [...bestComplete(complete, nBelow, byLoss), ...pruned.sort(byLoss), ...infeasible.sort(byViolation)];
	return new Set(ranked.slice(0, nBelow));
}
