/**
 * The kernels of a Parzen estimator (parzen.ts), one per dim: per component (the n observations, then
 * the prior) a truncated normal on a numeric dim or a distribution over the choices on a categorical
 * one, as in Optuna's TPE (same kernels and bandwidth rules; our own code).
 *
 * Notation
 *   n            observations (rows of internal coordinates, in trial order); K = n + 1 components
 *   numeric dim  kernel k is a normal(mu_k, sigma_k) truncated to [low - step/2, high + step/2];
 *                on an int grid (step > 0) a value x has the kernel's mass of [x - step/2, x + step/2].
 *                The prior has mu = (low + high) / 2, sigma = range (= high - low + step).
 *   sigma_k      multivariate: 0.2 n^(-1/(d + 4)) range for every observation (d = dims of the
 *                group; Scott-type rule); independent: the larger gap to its neighbours among the
 *                sorted observations, prior mean and interval ends (the outermost two use their inner
 *                gap). Then the magic clip: sigma_k in [range / min(100, n + 2), range].
 *   categorical  kernel k is a distribution over the c choices: priorWeight / K on every choice,
 *                plus 1 on the observed one, normalised (the prior component: uniform)
 *   logNorm_k    log(Phi(b) - Phi(a)) of the kernel's whole padded interval (normal.ts `logMasses`,
 *                batched; on an int dim once per class of equal (mu, sigma))
 */
import type { TpeDim } from './groups.js';
import { logMasses } from './normal.js';

const SIGMA0 = 0.2;

/**
 * A numeric dim's kernels. Kernels with the same (mu, sigma) share a class: on an int dim the
 * observations repeat a few grid values, so the interval masses are computed once per class.
 */
export interface NumericKernel {
	readonly kind: 'numeric';
	readonly low: number;
	readonly high: number;
	readonly step: number;
	readonly mu: Float64Array;
	readonly sigma: Float64Array;
	/** log of the kernel's mass over the whole padded interval */
	readonly logNorm: Float64Array;
	/** int dims: each kernel's class, and each class's first kernel; undefined: every kernel its own class */
	readonly classes: { readonly of: Int32Array; readonly first: Int32Array } | undefined;
}

export type Kernel = NumericKernel | { readonly kind: 'categorical'; readonly c: number; readonly prob: Float64Array; readonly logProb: Float64Array };

export interface ParzenSettings {
	readonly priorWeight: number;
	/** true: one bandwidth rule for the joint (multivariate) estimator; false: the independent rule */
	readonly multivariate: boolean;
}

/** Work arrays for the standardised interval ends handed to logMasses, reused from call to call (their contents never outlive one). */
let ends = { a: new Float64Array(0), b: new Float64Array(0) };
function intervalEnds(m: number): { a: Float64Array; b: Float64Array } {
	if (ends.a.length < m) ends = { a: new Float64Array(2 * m), b: new Float64Array(2 * m) };
	return ends;
}

/** log of the mass of the grid value x's bin [x - step/2, x + step/2] under each kernel, relative to the kernel's whole mass. */
export function binLogMasses(kernel: NumericKernel, x: number): Float64Array {
	const h = kernel.step / 2;
	const K = kernel.mu.length;
	const first = kernel.classes?.first;
	const m = first === undefined ? K : first.length;
	const { a, b } = intervalEnds(m);
	for (let i = 0; i < m; i++) {
		const k = first === undefined ? i : first[i]!;
		const s = kernel.sigma[k]!;
		const mu = kernel.mu[k]!;
		a[i] = (x - h - mu) / s;
		b[i] = (x + h - mu) / s;
	}
	const mass = new Float64Array(m);
	logMasses(a, b, m, mass);
	const out = new Float64Array(K);
	for (let k = 0; k < K; k++) {
		const i = kernel.classes === undefined ? k : kernel.classes.of[k]!;
		out[k] = mass[i]! - kernel.logNorm[k]!;
	}
	return out;
}

export function categoricalKernel(c: number, observed: Float64Array, priorWeight: number): Kernel & { kind: 'categorical' } {
	const n = observed.length;
	const K = n + 1;
	const prob = new Float64Array(K * c);
	for (let k = 0; k < K; k++) {
		const row = prob.subarray(k * c, (k + 1) * c);
		row.fill(priorWeight / K);
		if (k < n) row[observed[k]!]! += 1;
		const sum = row.reduce((a, b) => a + b, 0);
		for (let i = 0; i < c; i++) row[i] = sum === 0 ? 1 / c : row[i]! / sum;
	}
	return { kind: 'categorical', c, prob, logProb: prob.map(Math.log) };
}

/**
 * A numeric dim's kernel centres and bandwidths: the observations, then the prior (the interval's
 * centre, sigma = range); `d` is the number of dims of the group (the multivariate rule's exponent).
 */
export function kernelCentres(dim: TpeDim & { kind: 'numeric' }, observed: Float64Array, d: number, settings: ParzenSettings): { mu: Float64Array; sigma: Float64Array } {
	const { low, high, step } = dim;
	const n = observed.length;
	const range = high - low + step;
	const sigmas = settings.multivariate ? undefined : neighbourSigmas(observed, low, high, step);
	const scott = SIGMA0 * Math.max(n, 1) ** (-1 / (d + 4)) * range;
	const minSigma = range / Math.min(100, n + 2);
	const mu = new Float64Array(n + 1);
	const sigma = new Float64Array(n + 1);
	mu.set(observed);
	mu[n] = 0.5 * (low + high);
	for (let k = 0; k < n; k++) sigma[k] = Math.min(range, Math.max(minSigma, sigmas === undefined ? scott : sigmas[k]!));
	sigma[n] = range;
	return { mu, sigma };
}

export function numericKernel(dim: TpeDim & { kind: 'numeric' }, observed: Float64Array, d: number, settings: ParzenSettings): NumericKernel {
	const { low, high, step } = dim;
	const n = observed.length;
	const { mu, sigma } = kernelCentres(dim, observed, d, settings);
	// an int param's observations repeat a few values: one class per distinct (mu, sigma)
	const classes = dim.param.type === 'int' ? classesOf(mu, sigma) : undefined;
	const first = classes?.first;
	const m = first === undefined ? n + 1 : first.length;
	const { a, b } = intervalEnds(m);
	for (let i = 0; i < m; i++) {
		const k = first === undefined ? i : first[i]!;
		a[i] = (low - step / 2 - mu[k]!) / sigma[k]!;
		b[i] = (high + step / 2 - mu[k]!) / sigma[k]!;
	}
	const logNorm = new Float64Array(n + 1);
	if (classes === undefined) logMasses(a, b, m, logNorm);
	else {
		const classNorm = new Float64Array(m);
		logMasses(a, b, m, classNorm);
		for (let k = 0; k <= n; k++) logNorm[k] = classNorm[classes.of[k]!]!;
	}
	return { kind: 'numeric', low, high, step, mu, sigma, logNorm, classes };
}

/** Kernels grouped by equal (mu, sigma): each kernel's class and each class's first kernel. */
function classesOf(mu: Float64Array, sigma: Float64Array): { of: Int32Array; first: Int32Array } {
	const K = mu.length;
	const of = new Int32Array(K);
	const first: number[] = [];
	const seen = new Map<number, Map<number, number>>();
	for (let k = 0; k < K; k++) {
		let bySigma = seen.get(mu[k]!);
		if (bySigma === undefined) {
			bySigma = new Map();
			seen.set(mu[k]!, bySigma);
		}
		let i = bySigma.get(sigma[k]!);
		if (i === undefined) {
			i = first.length;
			first.push(k);
			bySigma.set(sigma[k]!, i);
		}
		of[k] = i;
	}
	return { of, first: Int32Array.from(first) };
}

/** The independent rule: each observation's larger gap to its sorted neighbours (prior mean and interval ends included). */
function neighbourSigmas(observed: Float64Array, low: number, high: number, step: number): Float64Array {
	const n = observed.length;
	const withPrior = [...observed, 0.5 * (low + high)];
	const order = withPrior.map((_, i) => i).sort((a, b) => withPrior[a]! - withPrior[b]! || a - b);
	const ends = [low - step / 2, ...order.map((i) => withPrior[i]!), high + step / 2];
	const m = order.length;
	const sorted = new Float64Array(m);
	for (let r = 0; r < m; r++) sorted[r] = Math.max(ends[r + 1]! - ends[r]!, ends[r + 2]! - ends[r + 1]!);
	if (ends.length >= 4) {
		sorted[0] = ends[2]! - ends[1]!;
		sorted[m - 1] = ends[m]! - ends[m - 1]!;
	}
	const out = new Float64Array(n);
	order.forEach((i, r) => {
		if (i < n) out[i] = sorted[r]!;
	});
	return out;
}
