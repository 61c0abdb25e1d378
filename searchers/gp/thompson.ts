/**
 * Thompson sampling: one function drawn from the GP posterior, by pathwise conditioning (Wilson et
 * al. 2020) of a random-Fourier-feature prior draw, so it can be evaluated (with gradients) anywhere.
 *
 * Notation
 *   F            random features
 *   omega_f      spectral frequency of the Matern-5/2 kernel: g sqrt(rho) sqrt(5 / u), g ~ N(0, I),
 *                u ~ chi2(5) (a multivariate t with 5 degrees of freedom)
 *   b_f          phase, uniform in [0, 2 pi)
 *   f0(x)        sqrt(2 s2 / F) sum_f w_f cos(omega_f . x + b_f), w ~ N(0, 1): a prior draw
 *   f(x)         f0(x) + k(x, X) v,  v = K^-1 (y - f0(X) - eps), eps ~ N(0, noise): a posterior draw
 *   value        -f(x) (the evaluator maximises)
 */
import type { Rng } from '../../src/core/rng.js';
import type { Posterior } from './gp.js';
import { matern52, matern52Grad, sqDist } from './kernel.js';
import { cholSolve } from './linalg.js';
import type { Evaluator } from './optimize.js';

export class ThompsonEvaluator implements Evaluator {
	private readonly omega: Float64Array;
	private readonly phase: Float64Array;
	private readonly weight: Float64Array;
	private readonly v: Float64Array;
	private readonly amp: number;
	constructor(
		private readonly posterior: Posterior,
		rng: Rng,
		private readonly features = 1024,
	) {
		const { n, d, xs, y } = posterior.data;
		const { rho, scale, noise } = posterior.hyper;
		const F = features;
		this.omega = new Float64Array(F * d);
		this.phase = new Float64Array(F);
		this.weight = new Float64Array(F);
		for (let f = 0; f < F; f++) {
			const t = Math.sqrt(5 / (2 * rng.gamma(2.5)));
			for (let j = 0; j < d; j++) this.omega[f * d + j] = rng.normal() * Math.sqrt(rho[j]!) * t;
			this.phase[f] = 2 * Math.PI * rng.next();
			this.weight[f] = rng.normal();
		}
		this.amp = Math.sqrt((2 * scale) / F);
		const r = new Float64Array(n);
		for (let i = 0; i < n; i++) r[i] = y[i]! - this.prior(xs.subarray(i * d, i * d + d)) - Math.sqrt(noise) * rng.normal();
		this.v = cholSolve(posterior.factor, r);
	}

	private prior(x: ArrayLike<number>, grad?: Float64Array): number {
		const d = x.length;
		let s = 0;
		for (let f = 0; f < this.features; f++) {
			let a = this.phase[f]!;
			for (let j = 0; j < d; j++) a += this.omega[f * d + j]! * x[j]!;
			const w = this.weight[f]!;
			s += w * Math.cos(a);
			if (grad !== undefined) {
				const g = -w * Math.sin(a) * this.amp;
				for (let j = 0; j < d; j++) grad[j] = grad[j]! + g * this.omega[f * d + j]!;
			}
		}
		return this.amp * s;
	}

	/** f(x), with its gradient added into `grad` when given. */
	private sample(x: Float64Array, grad?: Float64Array): number {
		const { xs, n, d, cat } = this.posterior.data;
		const { rho, scale } = this.posterior.hyper;
		grad?.fill(0);
		let f = this.prior(x, grad);
		for (let i = 0; i < n; i++) {
			const r2 = sqDist(x, 0, xs, i * d, d, rho, cat);
			f += scale * matern52(r2) * this.v[i]!;
			if (grad !== undefined) {
				const g = 2 * scale * matern52Grad(r2) * this.v[i]!;
				for (let j = 0; j < d; j++) if (!cat[j]) grad[j] = grad[j]! + g * rho[j]! * (x[j]! - xs[i * d + j]!);
			}
		}
		return f;
	}

	value(x: Float64Array): number {
		return -this.sample(x);
	}

	valueGrad(x: Float64Array, grad: Float64Array): number {
		const v = -this.sample(x, grad);
		for (let j = 0; j < grad.length; j++) grad[j] = -grad[j]!;
		return v;
	}
}
