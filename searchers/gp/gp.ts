/**
 * Gaussian-process regression: kernel-parameter fit (MAP: log marginal likelihood plus log priors,
 * multi-start box L-BFGS) and the posterior of the latent function with gradients in x.
 *
 * Notation
 *   n, d       observations, input dims
 *   X          n x d inputs, row-major Float64Array (see kernel.ts for the coordinates)
 *   y          Float64Array(n), standardised outputs (sd 1, prior mean 0; model.ts)
 *   theta      Float64Array(d + 2) = [log rho_1..log rho_d, log s2, log noise]
 *   K          gram(X) + noise I;  L = chol(K);  alpha = K^{-1} y;  Kinv = K^{-1}
 *   LML        -0.5 y^T alpha - sum log L_ii - 0.5 n log 2pi
 *   priors     rho_j:  -(0.1 / rho_j + 0.1 rho_j)      (keeps lengthscales within ~[0.3, 3] softly)
 *              s2:     Gamma(2, 1)  -> log s2 - s2
 *              noise:  Gamma(1.1, 30) -> 0.1 log noise - 30 noise;  noise >= minNoise
 *   dLML/dtheta_k = 0.5 tr(W dK/dtheta_k),  W = alpha alpha^T - Kinv
 *   mu(x)      k(x)^T alpha;   var(x) = s2 - k(x)^T Kinv k(x)   (latent f, noise excluded)
 */
import { crossInto, gram, matern52Grad, sqDist, type KernelParams } from './kernel.js';
import { cholInverse, cholesky, cholSolve, inverseFactorT, lowerInverse, type Factor } from './linalg.js';
import { minimizeBox } from './lbfgs.js';

const minNoise = 1e-7;
const LOG_2PI = Math.log(2 * Math.PI);

export interface GpData {
	readonly xs: Float64Array;
	readonly n: number;
	readonly d: number;
	readonly cat: Uint8Array;
	readonly y: Float64Array;
}

export interface Hyper extends KernelParams {
	readonly noise: number;
}

function hyperFromTheta(theta: ArrayLike<number>, d: number): Hyper {
	const rho = new Float64Array(d);
	for (let j = 0; j < d; j++) rho[j] = Math.exp(theta[j]!);
	return { rho, scale: Math.exp(theta[d]!), noise: Math.exp(theta[d + 1]!) };
}

function thetaFromHyper(h: Hyper): Float64Array {
	const d = h.rho.length;
	const t = new Float64Array(d + 2);
	for (let j = 0; j < d; j++) t[j] = Math.log(h.rho[j]!);
	t[d] = Math.log(h.scale);
	t[d + 1] = Math.log(h.noise);
	return t;
}

function thetaBounds(d: number): { lo: Float64Array; hi: Float64Array } {
	const lo = new Float64Array(d + 2);
	const hi = new Float64Array(d + 2);
	for (let j = 0; j < d; j++) {
		lo[j] = Math.log(1e-3);
		hi[j] = Math.log(1e4);
	}
	lo[d] = Math.log(1e-2);
	hi[d] = Math.log(1e2);
	lo[d + 1] = Math.log(minNoise);
	hi[d + 1] = Math.log(2);
	return { lo, hi };
}

/** The default start: lengthscale 0.5 in every dim, scale 1, noise 1e-3. */
export function defaultTheta(d: number): Float64Array {
	return thetaFromHyper({ rho: new Float64Array(d).fill(4), scale: 1, noise: 1e-3 });
}

/** Negative log posterior of theta (MAP objective) and its gradient into `grad`. */
export function negLogPosterior(theta: Float64Array, data: GpData, grad: Float64Array): number {
	return mapObjective(data)(theta, grad);
}

/**
 * The MAP objective for fixed data, as (theta, grad) => value. The per-pair, per-dim distances D_j
 * (pairs i > m, index p = i (i - 1) / 2 + m) are computed once, so one evaluation spends its time in
 * the factor and the inverse (at n = 191, d = 6: ~6 ms per evaluation).
 */
function mapObjective(data: GpData): (theta: Float64Array, grad: Float64Array) => number {
	const { xs, n, d, cat, y } = data;
	const pairs = (n * (n - 1)) / 2;
	const dist = new Float64Array(pairs * d);
	for (let i = 0, p = 0; i < n; i++) {
		for (let m = 0; m < i; m++, p++) {
			for (let j = 0; j < d; j++) {
				const diff = xs[i * d + j]! - xs[m * d + j]!;
				dist[p * d + j] = cat[j] ? (diff === 0 ? 0 : 1) : diff * diff;
			}
		}
	}
	const kf = new Float64Array(n * n);
	const k = new Float64Array(n * n);
	const dkdr2 = new Float64Array(pairs); // dk/dr2 / s2 per pair
	return (theta, grad) => {
		const h = hyperFromTheta(theta, d);
		const { rho, scale, noise } = h;
		for (let i = 0, p = 0; i < n; i++) {
			kf[i * n + i] = scale;
			for (let m = 0; m < i; m++, p++) {
				let r2 = 0;
				for (let j = 0; j < d; j++) r2 += rho[j]! * dist[p * d + j]!;
				const r = Math.sqrt(5 * r2);
				const e = Math.exp(-r);
				const v = scale * (1 + r + (r * r) / 3) * e;
				kf[i * n + m] = v;
				kf[m * n + i] = v;
				dkdr2[p] = -(5 / 6) * (1 + r) * e;
			}
		}
		k.set(kf);
		for (let i = 0; i < n; i++) k[i * n + i] = k[i * n + i]! + noise;
		let f: Factor;
		try {
			f = cholesky(k, n);
		} catch {
			grad.fill(0);
			return Number.POSITIVE_INFINITY;
		}
		const alpha = cholSolve(f, y);
		let quad = 0;
		let halfLogDet = 0;
		for (let i = 0; i < n; i++) {
			quad += y[i]! * alpha[i]!;
			halfLogDet += Math.log(f.l[i * n + i]!);
		}
		const lml = -0.5 * quad - halfLogDet - 0.5 * n * LOG_2PI;
		let logPrior = 0;
		for (let j = 0; j < d; j++) logPrior -= 0.1 / rho[j]! + 0.1 * rho[j]!;
		logPrior += Math.log(scale) - scale;
		logPrior += 0.1 * Math.log(noise) - 30 * noise;

		// W = alpha alpha^T - Kinv (symmetric); gradient terms 0.5 tr(W dK).
		const kinv = cholInverse(f);
		grad.fill(0);
		let trWKf = 0;
		let trW = 0;
		for (let i = 0, p = 0; i < n; i++) {
			const ai = alpha[i]!;
			const rowI = i * n;
			trW += ai * ai - kinv[rowI + i]!;
			trWKf += (ai * ai - kinv[rowI + i]!) * kf[rowI + i]!;
			for (let m = 0; m < i; m++, p++) {
				const w = 2 * (ai * alpha[m]! - kinv[rowI + m]!); // both (i,m) and (m,i)
				trWKf += w * kf[rowI + m]!;
				const dk = w * scale * dkdr2[p]!;
				for (let j = 0; j < d; j++) grad[j] = grad[j]! + dk * dist[p * d + j]!;
			}
		}
		for (let j = 0; j < d; j++) {
			const r = rho[j]!;
			const dLml = 0.5 * r * grad[j]!;
			const dPrior = 0.1 / r - 0.1 * r;
			grad[j] = -(dLml + dPrior);
		}
		grad[d] = -(0.5 * trWKf + (1 - scale));
		grad[d + 1] = -(0.5 * noise * trW + (0.1 - 30 * noise));
		return -(lml + logPrior);
	};
}

export interface FitResult {
	readonly hyper: Hyper;
	readonly theta: Float64Array;
	/** Negative log posterior at the optimum. */
	readonly loss: number;
}

/**
 * MAP kernel parameters: box L-BFGS from every start, the best result wins (ties: the earlier start).
 * Stops when a step gains less than 1e-5 relative (~2e-3 nats at n = 200): finer optima of the
 * marginal likelihood did not change proposals in our runs, and each step costs O(n^3).
 */
export function fitHyper(data: GpData, starts: readonly Float64Array[], maxIter = 60): FitResult {
	const { lo, hi } = thetaBounds(data.d);
	let best: FitResult | undefined;
	const objective = mapObjective(data);
	for (const start of starts) {
		const r = minimizeBox(objective, start, lo, hi, { maxIter, gtol: 1e-3, ftol: 1e-5 });
		if (Number.isFinite(r.f) && (best === undefined || r.f < best.loss)) best = { hyper: hyperFromTheta(r.x, data.d), theta: r.x, loss: r.f };
	}
	if (best === undefined) {
		const theta = Float64Array.from(starts[0] ?? defaultTheta(data.d));
		best = { hyper: hyperFromTheta(theta, data.d), theta, loss: Number.POSITIVE_INFINITY };
	}
	return best;
}

/** A fit as recorded (its theta only: model.ts), as fitHyper returned it; its loss is not recorded (NaN). */
export function fitFromTheta(theta: readonly number[], d: number): FitResult {
	const t = Float64Array.from(theta);
	return { hyper: hyperFromTheta(t, d), theta: t, loss: Number.NaN };
}

export interface Prediction {
	mean: number;
	variance: number;
}

/** The posterior of the latent function given data and fixed kernel parameters. */
export class Posterior {
	readonly factor: Factor;
	readonly alpha: Float64Array;
	/** inv(L), for value-only predictions: var = s2 - |inv(L) k(x)|^2. */
	readonly linv: Float64Array;
	readonly kinv: Float64Array;
	private readonly kx: Float64Array;
	private readonly v: Float64Array;
	private readonly r2: Float64Array;

	/** Throws NumericalError when K cannot be factored even with jitter. */
	constructor(
		readonly data: GpData,
		readonly hyper: Hyper,
	) {
		const { xs, n, d, cat, y } = data;
		const k = gram(xs, n, d, hyper, cat);
		for (let i = 0; i < n; i++) k[i * n + i] = k[i * n + i]! + hyper.noise;
		this.factor = cholesky(k, n);
		this.alpha = cholSolve(this.factor, y);
		const u = inverseFactorT(this.factor);
		this.linv = lowerInverse(this.factor, u);
		this.kinv = cholInverse(this.factor, u);
		this.kx = new Float64Array(n);
		this.v = new Float64Array(n);
		this.r2 = new Float64Array(n);
	}

	/** Posterior mean at each training point: y - noise * alpha. */
	trainMeans(): Float64Array {
		const out = new Float64Array(this.data.n);
		for (let i = 0; i < this.data.n; i++) out[i] = this.data.y[i]! - this.hyper.noise * this.alpha[i]!;
		return out;
	}

	/**
	 * Mean and variance at x; with `dMean`/`dVar` (length d) also their gradients in x over the
	 * non-categorical dims (categorical entries are set to 0).
	 */
	predict(x: Float64Array, out: Prediction, dMean?: Float64Array, dVar?: Float64Array): Prediction {
		const { xs, n, d, cat } = this.data;
		const { rho, scale } = this.hyper;
		const kx = this.kx;
		if (dMean === undefined) crossInto(x, xs, n, d, this.hyper, cat, kx);
		else {
			for (let i = 0; i < n; i++) {
				const r2 = sqDist(x, 0, xs, i * d, d, rho, cat);
				this.r2[i] = r2;
				kx[i] = scale * (1 + Math.sqrt(5 * r2) + (5 / 3) * r2) * Math.exp(-Math.sqrt(5 * r2));
			}
		}
		let mean = 0;
		let quad = 0;
		const v = this.v;
		if (dMean === undefined) {
			// quad = |inv(L) kx|^2: half the work of kx^T Kinv kx.
			const linv = this.linv;
			for (let i = 0; i < n; i++) {
				mean += kx[i]! * this.alpha[i]!;
				const row = i * n;
				let s = 0;
				for (let m = 0; m <= i; m++) s += linv[row + m]! * kx[m]!;
				quad += s * s;
			}
		} else {
			const kinv = this.kinv;
			for (let i = 0; i < n; i++) {
				mean += kx[i]! * this.alpha[i]!;
				const row = i * n;
				let s = 0;
				for (let m = 0; m < n; m++) s += kinv[row + m]! * kx[m]!;
				v[i] = s;
				quad += kx[i]! * s;
			}
		}
		out.mean = mean;
		out.variance = Math.max(scale - quad, 1e-12 * scale);
		if (dMean !== undefined && dVar !== undefined) {
			dMean.fill(0);
			dVar.fill(0);
			for (let i = 0; i < n; i++) {
				const g = scale * matern52Grad(this.r2[i]!) * 2;
				const ga = g * this.alpha[i]!;
				const gv = -2 * g * v[i]!;
				for (let j = 0; j < d; j++) {
					if (cat[j]) continue;
					const t = rho[j]! * (x[j]! - xs[i * d + j]!);
					dMean[j] = dMean[j]! + ga * t;
					dVar[j] = dVar[j]! + gv * t;
				}
			}
			if (scale - quad < 1e-12 * scale) dVar.fill(0);
		}
		return out;
	}
}
