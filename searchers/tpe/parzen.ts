/**
 * A Parzen estimator over one group of dims: a mixture of product kernels (kernels.ts), one component
 * per observation plus one prior component, as in Optuna's TPE (our own code).
 *
 * Notation
 *   n            observations (rows of internal coordinates, in trial order)
 *   K = n + 1    components: the observations, then the prior
 *   w_k          component weights: the observations' weights, then `priorWeight`, normalised
 *   kernel_kj    component k's kernel on dim j (kernels.ts: truncated normals, categorical distributions)
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
import { binLogMasses, categoricalKernel, type Kernel, type NumericKernel, numericKernel, type ParzenSettings } from './kernels.js';
import { logPhiDensity, truncatedQuantile } from './normal.js';

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

/** Index i with cumulative p up to i exceeding u (the last index when rounding leaves u beyond the sum). */
function pick(p: ArrayLike<number>, u: number): number {
	let cum = 0;
	for (let i = 0; i < p.length; i++) {
		cum += p[i]!;
		if (u < cum) return i;
	}
	return p.length - 1;
}
