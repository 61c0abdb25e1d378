/**
 * Building the GP model from a searcher's trials: encode the completed trials, standardise their
 * losses, fit kernel parameters (warm-started, multi-start) and add fantasies for pending points.
 *
 * Notation
 *   c            number of completed trials with a finite value, in the order asked
 *   X_c, loss_c  their GP coordinates (c x d) and losses (sign * value, sign = +1 minimise, -1 maximise)
 *   y            (loss - m) / sd(loss): standardised outputs, where m, the GP's prior mean in loss
 *                units, is the 90th percentile of the losses (linear interpolation between order
 *                statistics), not their mean. Far from the data the posterior reverts to m, so a
 *                pessimistic m makes unexplored corners look bad rather than average: with m = the
 *                mean, ~29% of the model-based proposals on hartmann6 were corners of the cube (four or
 *                more coordinates at a bound), with the 90th percentile ~1%, and the runs that find
 *                the global basin end at ~2e-5 regret instead of ~1.5e-3 (README, Searchers, ablation).
 *   refit points every c <= 64, then c_{k+1} = ceil(1.1 c_k): the kernel parameters are fitted (MAP)
 *                at refit points only; between two, the last refit point's parameters are reused
 *   anchor(s)    the largest power of two < s (none for s <= 4): the fit on the first anchor(s)
 *                completed trials warm-starts the fit at s (plus the default start while s <= 64:
 *                multi-start). Anchors are fits like any other (the fit at 64 serves both as a refit
 *                point and as the anchor of 65..128), so the chain below a fit is s, anchor(s),
 *                anchor(anchor(s)), ..., 8: at most log2(s) fits, and since a fit costs O(s^3) per
 *                step the whole chain costs little more than its top fit. That bounds the first ask
 *                of a fresh process (resume: the cache is empty); warm-starting from the previous
 *                refit point instead made it recompute every refit since the start (~1.5 s at 200
 *                observations in 6-D, against ~0.2 s now). Defined from the trials alone, so resume
 *                = replay; the cache below only avoids recomputing fits and never changes a result.
 *   pending      running trials and earlier proposals of the same batch: kriging believer, i.e. added
 *                to the data with y = the posterior mean at that point (shrinks the variance there,
 *                keeps the mean), so a batch spreads out
 */
import { catMask, type GpDim } from './encoding.js';
import { defaultTheta, fitHyper, Posterior, type FitResult, type GpData } from './gp.js';

export interface Observations {
	readonly xs: Float64Array;
	readonly losses: Float64Array;
	readonly n: number;
}

export interface Standardised {
	readonly y: Float64Array;
	/** The GP's prior mean in loss units: y = (loss - mean) / sd. */
	readonly mean: number;
	readonly sd: number;
}

/** Quantile of the losses taken as the GP's prior mean (see the notation above). */
const priorMeanQuantile = 0.9;

export function standardise(losses: Float64Array, n: number): Standardised {
	let average = 0;
	for (let i = 0; i < n; i++) average += losses[i]!;
	average /= Math.max(1, n);
	let v = 0;
	for (let i = 0; i < n; i++) v += (losses[i]! - average) ** 2;
	const sd = n > 1 && v > 0 ? Math.sqrt(v / n) : 1;
	const sorted = Array.from(losses.subarray(0, n)).sort((a, b) => a - b);
	const pos = priorMeanQuantile * (n - 1);
	const k = Math.floor(pos);
	const mean = n === 0 ? 0 : sorted[k]! + (pos - k) * (sorted[Math.min(n - 1, k + 1)]! - sorted[k]!);
	const y = new Float64Array(n);
	for (let i = 0; i < n; i++) y[i] = (losses[i]! - mean) / sd;
	return { y, mean, sd };
}

const denseRefitsUpTo = 64;

/** The largest refit point <= c. */
function refitPoint(c: number): number {
	if (c <= denseRefitsUpTo) return c;
	let s = denseRefitsUpTo;
	while (Math.ceil(s * 1.1) <= c) s = Math.ceil(s * 1.1);
	return s;
}

/** The largest power of two < s, whose fit warm-starts the fit at s (undefined for s <= 4). */
function anchorOf(s: number): number | undefined {
	if (s <= 4) return undefined;
	let a = 4;
	while (a * 2 < s) a *= 2;
	return a;
}

/** Pure cache: data digest -> fit. Bounded; evicts the oldest entry. */
const fitCache = new Map<string, FitResult>();
const cacheLimit = 256;

function digest(data: GpData): string {
	return `${data.n}|${data.d}|${Array.from(data.cat).join('')}|${Array.from(data.xs).join(',')}|${Array.from(data.y).join(',')}`;
}

function dataOf(obs: Observations, c: number, dims: readonly GpDim[]): GpData {
	const d = dims.length;
	return { xs: obs.xs.subarray(0, c * d), n: c, d, cat: catMask(dims), y: standardise(obs.losses, c).y };
}

/** MAP kernel parameters on the first s observations, warm-started along the anchor chain. */
function fitAt(obs: Observations, s: number, dims: readonly GpDim[]): FitResult {
	const data = dataOf(obs, s, dims);
	const key = digest(data);
	const cached = fitCache.get(key);
	if (cached !== undefined) return cached;
	const prev = anchorOf(s);
	const starts: Float64Array[] = [];
	if (prev !== undefined) starts.push(fitAt(obs, prev, dims).theta);
	if (s <= denseRefitsUpTo || prev === undefined) starts.push(defaultTheta(dims.length));
	const fit = fitHyper(data, starts, s <= denseRefitsUpTo ? 60 : 20);
	fitCache.set(key, fit);
	if (fitCache.size > cacheLimit) fitCache.delete(fitCache.keys().next().value as string);
	return fit;
}

/** The model on the first c observations: data standardised over them, kernel parameters from refitPoint(c). */
export function fitFirst(obs: Observations, c: number, dims: readonly GpDim[]): { data: GpData; fit: FitResult } {
	return { data: dataOf(obs, c, dims), fit: fitAt(obs, refitPoint(c), dims) };
}

/** Posterior on completed data plus believer fantasies at the pending points (pendingXs: k x d). */
export function withFantasies(base: Posterior, pendingXs: readonly Float64Array[]): Posterior {
	if (pendingXs.length === 0) return base;
	const { n, d, cat } = base.data;
	const k = pendingXs.length;
	const xs = new Float64Array((n + k) * d);
	xs.set(base.data.xs.subarray(0, n * d));
	const y = new Float64Array(n + k);
	y.set(base.data.y);
	const pred = { mean: 0, variance: 0 };
	pendingXs.forEach((x, i) => {
		xs.set(x, (n + i) * d);
		y[n + i] = base.predict(x, pred).mean;
	});
	return new Posterior({ xs, n: n + k, d, cat, y }, base.hyper);
}

/** Empty the fit cache (tests use this to check that results never depend on it). */
export function clearFitCache(): void {
	fitCache.clear();
}
