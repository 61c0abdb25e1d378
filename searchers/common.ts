/**
 * Helpers shared by several searchers: the best observed trial, sign conventions.
 *
 * Notation
 *   sign   +1 for minimize, -1 for maximize, so `sign * value` is always a loss to minimise
 */
import type { AskRequest, Direction, Recommendation, SearcherTrial } from './searcher.js';

export function lossSign(direction: Direction): 1 | -1 {
	switch (direction) {
		case 'minimize':
			return 1;
		case 'maximize':
			return -1;
	}
}

/** Complete trials with a finite value. */
export function completed(trials: readonly SearcherTrial[]): (SearcherTrial & { readonly value: number })[] {
	return trials.filter((t): t is SearcherTrial & { value: number } => t.status === 'complete' && typeof t.value === 'number' && Number.isFinite(t.value));
}

/** Whether a trial meets the study's constraints (violation absent or 0). */
export function feasible(t: SearcherTrial): boolean {
	return !((t.violation ?? 0) > 0);
}

/**
 * The best feasible complete trial's params, or undefined when there is none; undefined too with
 * several metrics, where no single trial is the answer (the study reports the front).
 */
export function bestObserved(request: Omit<AskRequest, 'n'>): Recommendation | undefined {
	if (request.directions !== undefined) return undefined;
	const sign = lossSign(request.direction);
	// one loop, no intermediate arrays: a reader asks this over every configuration (100k in a large study)
	let best: SearcherTrial | undefined;
	let bestLoss = 0;
	for (const t of request.trials) {
		if (t.status !== 'complete' || typeof t.value !== 'number' || !Number.isFinite(t.value) || !feasible(t)) continue;
		const loss = sign * t.value;
		if (best === undefined || loss < bestLoss) {
			best = t;
			bestLoss = loss;
		}
	}
	return best === undefined ? undefined : { params: best.params, basis: 'best observed' };
}
