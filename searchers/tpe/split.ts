/**
 * The TPE's good/bad split and the observations' weights (Optuna's defaults).
 *
 * Notation
 *   n            finished trials: complete plus pruned (running and failed ones not counted)
 *   gamma(n)     min(ceil(0.1 n), 25): how many finished trials are "good" (below)
 *   below        the gamma(n) best: complete trials by loss first, then pruned ones by their last
 *                reported loss (a pruned trial ranks after every complete one)
 *   above        every other finished trial, plus the running ones under the constant liar (their
 *                outcome is pessimistically assumed bad, which pushes concurrent asks apart)
 *   weights(m)   for an estimator with m observations in trial order: 1 each when m < 25, else the
 *                oldest m - 25 ramp linearly from 1/m to 1 and the newest 25 weigh 1
 *   Both sets keep the trials' order, so the weights' ramp runs from old to new.
 */

/** A trial as the split sees it. */
export interface SplitTrial {
	/** position in the arm's order (pending proposals of a batch come last) */
	readonly order: number;
	readonly state: 'complete' | 'pruned' | 'running';
	/** loss (sign * value) for complete and pruned trials */
	readonly loss: number;
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
	let finished = 0;
	for (const t of trials) if (t.state !== 'running') finished++;
	const nBelow = gamma(finished);
	// the nBelow best in rank order, by insertion in one pass (nBelow <= 25)
	const best: T[] = [];
	for (const t of trials) {
		if (t.state === 'running' || nBelow === 0) continue;
		if (best.length === nBelow && !ranksBefore(t, best[nBelow - 1]!)) continue;
		let i = best.length;
		while (i > 0 && ranksBefore(t, best[i - 1]!)) i--;
		best.splice(i, 0, t);
		if (best.length > nBelow) best.pop();
	}
	const belowSet = new Set(best);
	const below: T[] = [];
	const above: T[] = [];
	for (const t of trials) (belowSet.has(t) ? below : above).push(t);
	return { below, above };
}
