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
 *                step the whole chain costs little more than its top fit. Defined from the trials
 *                alone, so resume = replay; the cache below only avoids recomputing fits and never
 *                changes a result.
 *   recorded     every fit an ask needs that the journal does not hold yet goes into the journal with
 *                its proposal (key = 128 bits of SHA-256 of the data digest, prefixed by the model's tag for a
 *                model other than the objective's (the violation GP, feasibility.ts), theta = its d + 2
 *                parameters; FitMemo), and recorded fits are read back instead of being fitted: the
 *                first ask of a fresh process (resume) reads its refit point's fit, or runs one fit
 *                warm-started from a recorded anchor, instead of recomputing the chain (~6.7 s at 800
 *                observations in 6-D). A theta survives JSON exactly, so the proposals are the same.
 *   pending      running trials and earlier proposals of the same batch: kriging believer, i.e. added
 *                to the data with y = the posterior mean at that point (shrinks the variance there,
 *                keeps the mean), so a batch spreads out
 */
import { createHash } from 'node:crypto';
import type { RecordedFit } from '../searcher.js';
import { catMask, type GpDim } from './encoding.js';
import { defaultTheta, fitFromTheta, fitHyper, Posterior, type FitResult, type GpData } from './gp.js';

export interface Observations {
	readonly xs: Float64Array;
	readonly losses: Float64Array;
	readonly n: number;
	/** which model these are of when not the objective's (feasibility.ts: 'violation'): its fits get keys of their own */
	readonly tag?: string;
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
/** kernel-parameter fits run by this process (fitHyper calls): tests count them */
let fitsRun = 0;

function digest(data: GpData, tag: string | undefined): string {
	return `${tag === undefined ? '' : `${tag}|`}${data.n}|${data.d}|${Array.from(data.cat).join('')}|${Array.from(data.xs).join(',')}|${Array.from(data.y).join(',')}`;
}

/** The journal's name for a fit: 128 bits of the SHA-256 of the data's digest. */
function fitKey(data: GpData, tag: string | undefined): string {
	return createHash('sha256').update(digest(data, tag)).digest('hex').slice(0, 32);
}

function dataOf(obs: Observations, c: number, dims: readonly GpDim[]): GpData {
	const d = dims.length;
	return { xs: obs.xs.subarray(0, c * d), n: c, d, cat: catMask(dims), y: standardise(obs.losses, c).y };
}

/**
 * The recorded fits an ask reads and the new ones it adds. `known`: key -> theta of every fit
 * recorded so far (the journal's, searcher.ts); `added`: fits this ask needed that are not known, in
 * the order reached, to be recorded with its proposal. Which fits are added depends on the data and
 * `known` only (never on the cache), so a resumed process records what the running one would have.
 */
export interface FitMemo {
	readonly known: ReadonlyMap<string, readonly number[]>;
	readonly added: RecordedFit[];
}

/**
 * MAP kernel parameters on the first s observations: a recorded fit (`memo.known`) if there is one,
 * else fitted, warm-started along the anchor chain (each anchor likewise recorded or fitted).
 */
function fitAt(obs: Observations, s: number, dims: readonly GpDim[], memo: FitMemo | undefined): FitResult {
	const data = dataOf(obs, s, dims);
	const key = digest(data, obs.tag);
	const name = memo === undefined ? undefined : fitKey(data, obs.tag);
	const recorded = name === undefined ? undefined : memo?.known.get(name);
	if (recorded !== undefined && recorded.length === dims.length + 2) return fitFromTheta(recorded, dims.length);
	const fit = fitCache.get(key) ?? fitChain(obs, s, dims, data, memo);
	if (fitCache.get(key) === undefined) {
		fitCache.set(key, fit);
		if (fitCache.size > cacheLimit) fitCache.delete(fitCache.keys().next().value as string);
	}
	if (name !== undefined && memo !== undefined && !memo.added.some((a) => a.key === name)) {
		// the anchors it was warm-started from are recorded too, as the running process recorded them
		const prev = anchorOf(s);
		if (prev !== undefined) fitAt(obs, prev, dims, memo);
		memo.added.push({ key: name, theta: Array.from(fit.theta) });
	}
	return fit;
}

function fitChain(obs: Observations, s: number, dims: readonly GpDim[], data: GpData, memo: FitMemo | undefined): FitResult {
	const prev = anchorOf(s);
	const starts: Float64Array[] = [];
	if (prev !== undefined) starts.push(fitAt(obs, prev, dims, memo).theta);
	if (s <= denseRefitsUpTo || prev === undefined) starts.push(defaultTheta(dims.length));
	fitsRun++;
	return fitHyper(data, starts, s <= denseRefitsUpTo ? 60 : 20);
}

/**
 * The model on the first c observations: data standardised over them, kernel parameters from
 * refitPoint(c) (recorded in `memo.known`, else fitted and added to `memo.added`).
 */
export function fitFirst(obs: Observations, c: number, dims: readonly GpDim[], memo?: FitMemo): { data: GpData; fit: FitResult } {
	return { data: dataOf(obs, c, dims), fit: fitAt(obs, refitPoint(c), dims, memo) };
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

/** Kernel-parameter fits this process has run so far (tests count the fits an ask needs). */
export function fitCount(): number {
	return fitsRun;
}
