/**
 * A Parzen estimator over one group of dims: a mixture of product kernels, one component per
 * observation plus one prior component, as in Optuna's TPE (same kernels and bandwidth rules; our
 * own code).
 *
 * Notation
 *   n            observations (rows of internal coordinates, in trial order)
 *   K = n + 1    components: the observations, then the prior
 *   w_k          component weights: the observations' weights, then `priorWeight`, normalised
 *   numeric dim  kernel k is a normal(mu_k, sigma_k) truncated to [low - step/2, high + step/2];
 *                on an int grid (step > 0) a value x has the kernel's mass of [x - step/2, x + step/2].
 *                The prior has mu = (low + high) / 2, sigma = range (= high - low + step).
 *   sigma_k      multivariate: 0.2 n^(-1/(d + 4)) range for every observation (d = dims of the
 *                group; Scott-type rule); independent: the larger gap to its neighbours among the
 *                sorted observations, prior mean and interval ends (the outermost two use their inner
 *                gap). Then the magic clip: sigma_k in [range / min(100, n + 2), range].
 *   categorical  kernel k is a distribution over the c choices: priorWeight / K on every choice,
 *                plus 1 on the observed one, normalised (the prior component: uniform)
 *   log p(x)     log sum_k w_k prod_j kernel_kj(x_j), by log-sum-exp
 *
 * Cost at 1000 trials (the bad estimator has ~1000 components): fitting computes every numeric
 * kernel's log normaliser, log(Phi(b) - Phi(a)) (normal.ts, `logMasses`: two exp, a log1p and
 * the tails' continued fractions, batched), and scoring sums d terms per row and component and takes
 * one exp per component within 40 of the largest. The terms are added in dim order and the
 * components in index order, so the result is the same to the bit as the plain loops over rows,
 * components and dims (test/searchers/tpe/scoring.test.ts keeps those as the reference).
 */
import type { Rng } from '../../src/core/rng.js';
import type { TpeDim } from './groups.js';
import { logMasses, logPhiDensity, truncatedQuantile } from './normal.js';

const SIGMA0 = 0.2;

/**
 * A numeric dim's kernels. Kernels with the same (mu, sigma) share a class: on an int dim the
 * observations repeat a few grid values, so the interval masses are computed once per class.
 */
interface NumericKernel {
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

type Kernel = NumericKernel | { readonly kind: 'categorical'; readonly c: number; readonly prob: Float64Array; readonly logProb: Float64Array };

export interface ParzenSettings {
	readonly priorWeight: number;
	/** true: one bandwidth rule for the joint (multivariate) estimator; false: the independent rule */
	readonly multivariate: boolean;
}

export class Parzen {
	readonly components: number;
	readonly weights: Float64Array;
	private readonly logWeights: Float64Array;
	private readonly kernels: Kernel[];
	/** the continuous dims (numeric, step 0), in dim order */
	private readonly continuous: number[];
	/**
	 * per kernel k and continuous dim p at [3 (k P + p) ..]: mu_k, 1 / sigma_k and the log density at
	 * the mean, -log sigma_k - log sqrt(2 pi) - logNorm_k; one kernel's terms are adjacent
	 */
	private readonly packed: Float64Array;

	/** `obs`: n rows of dims.length internal coordinates; `obsWeights`: n non-negative weights. */
	constructor(
		readonly dims: readonly TpeDim[],
		obs: Float64Array,
		obsWeights: ArrayLike<number>,
		settings: ParzenSettings,
	) {
		const d = dims.length;
		const n = obsWeights.length;
		const K = n + 1;
		this.components = K;
		const w = new Float64Array(K);
		for (let k = 0; k < n; k++) w[k] = obsWeights[k]!;
		w[n] = n === 0 ? 1 : settings.priorWeight;
		const total = w.reduce((a, b) => a + b, 0);
		for (let k = 0; k < K; k++) w[k]! /= total;
		this.weights = w;
		this.logWeights = w.map(Math.log);
		const column = new Float64Array(n);
		this.kernels = dims.map((dim, j) => {
			for (let i = 0; i < n; i++) column[i] = obs[i * d + j]!;
			return dim.kind === 'categorical' ? categoricalKernel(dim.choices.length, column, settings.priorWeight) : numericKernel(dim, column, d, settings);
		});
		this.continuous = this.kernels.flatMap((kernel, j) => (kernel.kind === 'numeric' && kernel.step === 0 ? [j] : []));
		const P = this.continuous.length;
		this.packed = new Float64Array(3 * K * P);
		this.continuous.forEach((j, p) => {
			const { mu, sigma, logNorm } = this.kernels[j] as NumericKernel;
			let logSigma = 0;
			for (let k = 0; k < K; k++) {
				const s = sigma[k]!;
				// the multivariate rule gives every observation the same sigma: one log for all
				if (k === 0 || s !== sigma[k - 1]) logSigma = Math.log(s);
				const o = 3 * (k * P + p);
				this.packed[o] = mu[k]!;
				this.packed[o + 1] = 1 / s;
				this.packed[o + 2] = logPhiDensity(0) - logSigma - logNorm[k]!;
			}
		});
	}

	/** `count` points drawn from the mixture (rows of internal coordinates). */
	sample(rng: Rng, count: number): Float64Array {
		const d = this.dims.length;
		const out = new Float64Array(count * d);
		for (let c = 0; c < count; c++) {
			const k = pick(this.weights, rng.next());
			for (let j = 0; j < d; j++) {
				const kernel = this.kernels[j]!;
				if (kernel.kind === 'categorical') out[c * d + j] = pick(kernel.prob.subarray(k * kernel.c, (k + 1) * kernel.c), rng.next());
				else {
					const { low, high, step } = kernel;
					const mu = kernel.mu[k]!;
					const sigma = kernel.sigma[k]!;
					const z = truncatedQuantile((low - step / 2 - mu) / sigma, (high + step / 2 - mu) / sigma, rng.next());
					let x = mu + sigma * z;
					if (step > 0) x = low + Math.round((x - low) / step) * step;
					out[c * d + j] = Math.min(high, Math.max(low, x));
				}
			}
		}
		return out;
	}

	/**
	 * log p(x) of each of `count` rows. Per row and component k the log of its product kernel is
	 * summed over the dims in dim order, then the components are combined by log-sum-exp; the
	 * continuous dims' terms are computed on the spot from `packed`, the others looked up per row.
	 */
	logPdf(xs: Float64Array, count: number): Float64Array {
		const d = this.dims.length;
		const K = this.components;
		const P = this.continuous.length;
		const packed = this.packed;
		const logWeights = this.logWeights;
		// the dims whose terms are looked up (categorical, int grid), each with K terms per row
		const lookedUp = this.kernels.flatMap((kernel, j) => (kernel.kind === 'numeric' && kernel.step === 0 ? [] : [j]));
		const table = new Float64Array(lookedUp.length * K);
		const binMasses = lookedUp.map(() => new Map<number, Float64Array>());
		const isContinuous = this.kernels.map((kernel) => kernel.kind === 'numeric' && kernel.step === 0);
		const x = new Float64Array(P);
		const terms = new Float64Array(K);
		const out = new Float64Array(count);
		for (let c = 0; c < count; c++) {
			lookedUp.forEach((j, q) => {
				const kernel = this.kernels[j]!;
				const v = xs[c * d + j]!;
				if (kernel.kind === 'categorical') {
					const i = Math.round(v);
					for (let k = 0; k < K; k++) table[q * K + k] = kernel.logProb[k * kernel.c + i]!;
				} else {
					// a grid value's masses under every kernel, computed once per distinct value among the rows
					let masses = binMasses[q]!.get(v);
					if (masses === undefined) {
						masses = binLogMasses(kernel, v);
						binMasses[q]!.set(v, masses);
					}
					table.set(masses, q * K);
				}
			});
			for (let p = 0; p < P; p++) x[p] = xs[c * d + this.continuous[p]!]!;
			let max = Number.NEGATIVE_INFINITY;
			if (lookedUp.length === 0) {
				// two components at a time: each sum keeps its order, the two chains of additions overlap
				let k = 0;
				for (; k + 2 <= K; k += 2) {
					let s0 = logWeights[k]!;
					let s1 = logWeights[k + 1]!;
					for (let p = 0, o = 3 * k * P, o1 = 3 * (k + 1) * P; p < P; p++, o += 3, o1 += 3) {
						const xp = x[p]!;
						const z0 = (xp - packed[o]!) * packed[o + 1]!;
						s0 += packed[o + 2]! - 0.5 * z0 * z0;
						const z1 = (xp - packed[o1]!) * packed[o1 + 1]!;
						s1 += packed[o1 + 2]! - 0.5 * z1 * z1;
					}
					terms[k] = s0;
					terms[k + 1] = s1;
					max = Math.max(max, s0);
					max = Math.max(max, s1);
				}
				for (; k < K; k++) {
					let s = logWeights[k]!;
					for (let p = 0, o = 3 * k * P; p < P; p++, o += 3) {
						const z = (x[p]! - packed[o]!) * packed[o + 1]!;
						s += packed[o + 2]! - 0.5 * z * z;
					}
					terms[k] = s;
					max = Math.max(max, s);
				}
			} else {
				for (let k = 0; k < K; k++) {
					let s = logWeights[k]!;
					for (let j = 0, p = 0, q = 0, o = 3 * k * P; j < d; j++) {
						if (isContinuous[j]) {
							const z = (x[p++]! - packed[o]!) * packed[o + 1]!;
							s += packed[o + 2]! - 0.5 * z * z;
							o += 3;
						} else s += table[q++ * K + k]!;
					}
					terms[k] = s;
					max = Math.max(max, s);
				}
			}
			if (max === Number.NEGATIVE_INFINITY) {
				out[c] = max;
				continue;
			}
			// terms more than 40 below the largest add less than e^-40 each: skipped
			let sum = 0;
			for (let k = 0; k < K; k++) {
				const v = terms[k]! - max;
				if (v > -40) sum += Math.exp(v);
			}
			out[c] = max + Math.log(sum);
		}
		return out;
	}
}

/** Work arrays for the standardised interval ends handed to logMasses, reused from call to call (their contents never outlive one). */
let ends = { a: new Float64Array(0), b: new Float64Array(0) };
function intervalEnds(m: number): { a: Float64Array; b: Float64Array } {
	if (ends.a.length < m) ends = { a: new Float64Array(2 * m), b: new Float64Array(2 * m) };
	return ends;
}

/** log of the mass of the grid value x's bin [x - step/2, x + step/2] under each kernel, relative to the kernel's whole mass. */
function binLogMasses(kernel: NumericKernel, x: number): Float64Array {
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

/** Index i with cumulative p up to i exceeding u (the last index when rounding leaves u beyond the sum). */
function pick(p: ArrayLike<number>, u: number): number {
	let cum = 0;
	for (let i = 0; i < p.length; i++) {
		cum += p[i]!;
		if (u < cum) return i;
	}
	return p.length - 1;
}

function categoricalKernel(c: number, observed: Float64Array, priorWeight: number): Kernel & { kind: 'categorical' } {
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

function numericKernel(dim: TpeDim & { kind: 'numeric' }, observed: Float64Array, d: number, settings: ParzenSettings): NumericKernel {
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
