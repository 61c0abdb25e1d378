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
 */
import type { Rng } from '../../src/core/rng.js';
import type { TpeDim } from './groups.js';
import { logMass, logPhiDensity, truncatedQuantile } from './normal.js';

const SIGMA0 = 0.2;

type Kernel =
	| {
			readonly kind: 'numeric';
			readonly low: number;
			readonly high: number;
			readonly step: number;
			readonly mu: Float64Array;
			readonly sigma: Float64Array;
			/** log of the kernel's mass over the whole padded interval */
			readonly logNorm: Float64Array;
			/** 1 / sigma_k */
			readonly inv: Float64Array;
			/** log of a continuous kernel's density at its mean: -log sigma_k - log sqrt(2 pi) - logNorm_k */
			readonly peak: Float64Array;
	  }
	| { readonly kind: 'categorical'; readonly c: number; readonly prob: Float64Array; readonly logProb: Float64Array };

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
		this.kernels = dims.map((dim, j) => {
			const column = new Float64Array(n);
			for (let i = 0; i < n; i++) column[i] = obs[i * d + j]!;
			return dim.kind === 'categorical' ? categoricalKernel(dim.choices.length, column, settings.priorWeight) : numericKernel(dim, column, d, settings);
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

	/** log p(x) of each of `count` rows. */
	logPdf(xs: Float64Array, count: number): Float64Array {
		const d = this.dims.length;
		const K = this.components;
		const acc = new Float64Array(count * K);
		for (let c = 0; c < count; c++) acc.set(this.logWeights, c * K);
		for (let j = 0; j < d; j++) {
			const kernel = this.kernels[j]!;
			const binMasses = new Map<number, Float64Array>();
			for (let c = 0; c < count; c++) {
				const x = xs[c * d + j]!;
				const row = c * K;
				if (kernel.kind === 'categorical') {
					const i = Math.round(x);
					for (let k = 0; k < K; k++) acc[row + k]! += kernel.logProb[k * kernel.c + i]!;
				} else if (kernel.step === 0) {
					const { mu, inv, peak } = kernel;
					for (let k = 0; k < K; k++) {
						const z = (x - mu[k]!) * inv[k]!;
						acc[row + k]! += peak[k]! - 0.5 * z * z;
					}
				} else {
					// a grid value's masses under every kernel, computed once per distinct value among the candidates
					let masses = binMasses.get(x);
					if (masses === undefined) {
						masses = new Float64Array(K);
						const h = kernel.step / 2;
						for (let k = 0; k < K; k++) {
							const s = kernel.sigma[k]!;
							const m = kernel.mu[k]!;
							masses[k] = logMass((x - h - m) / s, (x + h - m) / s) - kernel.logNorm[k]!;
						}
						binMasses.set(x, masses);
					}
					for (let k = 0; k < K; k++) acc[row + k]! += masses[k]!;
				}
			}
		}
		const out = new Float64Array(count);
		for (let c = 0; c < count; c++) {
			let max = Number.NEGATIVE_INFINITY;
			for (let k = 0; k < K; k++) max = Math.max(max, acc[c * K + k]!);
			if (max === Number.NEGATIVE_INFINITY) {
				out[c] = max;
				continue;
			}
			// terms more than 40 below the largest add less than e^-40 each: skipped
			let sum = 0;
			for (let k = 0; k < K; k++) {
				const v = acc[c * K + k]! - max;
				if (v > -40) sum += Math.exp(v);
			}
			out[c] = max + Math.log(sum);
		}
		return out;
	}
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

function categoricalKernel(c: number, observed: Float64Array, priorWeight: number): Kernel {
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

function numericKernel(dim: TpeDim & { kind: 'numeric' }, observed: Float64Array, d: number, settings: ParzenSettings): Kernel {
	const { low, high, step } = dim;
	const n = observed.length;
	const range = high - low + step;
	const sigmas = settings.multivariate ? new Float64Array(n).fill(SIGMA0 * Math.max(n, 1) ** (-1 / (d + 4)) * range) : neighbourSigmas(observed, low, high, step);
	const minSigma = range / Math.min(100, n + 2);
	const mu = new Float64Array(n + 1);
	const sigma = new Float64Array(n + 1);
	mu.set(observed);
	mu[n] = 0.5 * (low + high);
	for (let k = 0; k < n; k++) sigma[k] = Math.min(range, Math.max(minSigma, sigmas[k]!));
	sigma[n] = range;
	const logNorm = new Float64Array(n + 1);
	for (let k = 0; k <= n; k++) logNorm[k] = logMass((low - step / 2 - mu[k]!) / sigma[k]!, (high + step / 2 - mu[k]!) / sigma[k]!);
	const inv = new Float64Array(n + 1);
	const peak = new Float64Array(n + 1);
	let logSigma = 0;
	for (let k = 0; k <= n; k++) {
		const s = sigma[k]!;
		// the multivariate rule gives every observation the same sigma: one log for all
		if (k === 0 || s !== sigma[k - 1]) logSigma = Math.log(s);
		inv[k] = 1 / s;
		peak[k] = logPhiDensity(0) - logSigma - logNorm[k]!;
	}
	return { kind: 'numeric', low, high, step, mu, sigma, logNorm, inv, peak };
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
