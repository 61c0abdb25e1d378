/**
 * The random moves and the test of population-based training (population.ts): a draw from a tuned
 * range, explore's perturbation of a copied member's hyperparameters, and the paired t statistic
 * that decides whether the best member is significantly better than the worst.
 *
 * Notation
 *   range      [low, high] of one tuned hyperparameter; log: drawn log-uniformly
 *   explore    each h: with probability `resample` a fresh draw from its range, else h times 0.8 or
 *              1.2 (even odds), clamped to the range; the draws come from one stream in the order
 *              of the tuned ranges
 *   t          mean(d) / (sd(d) / sqrt(n)) over the paired window differences d = b - w
 */
import type { Rng } from '../../../core/rng.js';

/** One tuned hyperparameter's range. */
interface ParamRange {
	readonly name: string;
	readonly low: number;
	readonly high: number;
	readonly log: boolean;
}

/** x moved into the range. */
export const clamp = (x: number, r: ParamRange) => Math.min(r.high, Math.max(r.low, x));

/** A uniform draw from the range (log-uniform for a log range). */
export function draw(r: ParamRange, rng: Rng): number {
	const u = rng.next();
	return r.log ? Math.exp(Math.log(r.low) + u * (Math.log(r.high) - Math.log(r.low))) : r.low + u * (r.high - r.low);
}

/** Explore: the copied hyperparameters `params`, each redrawn (probability `resample`) or scaled by 0.8 or 1.2. */
export function explore(params: Readonly<Record<string, number>>, tuned: readonly ParamRange[], resample: number, rng: Rng): Record<string, number> {
	const after: Record<string, number> = {};
	for (const r of tuned) {
		const v = params[r.name] as number;
		after[r.name] = rng.next() < resample ? draw(r, rng) : clamp(v * (rng.next() < 0.5 ? 0.8 : 1.2), r);
	}
	return after;
}

/** A paired one-sided t statistic of b over w on the window (0 when the differences do not vary). */
export function pairedT(b: readonly number[], w: readonly number[]): number {
	const n = b.length;
	const d = b.map((x, i) => x - (w[i] as number));
	const mean = d.reduce((s, x) => s + x, 0) / n;
	const variance = d.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
	return variance > 0 ? mean / Math.sqrt(variance / n) : mean > 0 ? Number.POSITIVE_INFINITY : 0;
}
