/**
 * Acquisition functions on a posterior (mean and variance of the latent loss, to be minimised).
 * Both are maximised.
 *
 * Notation
 *   mu, s2     posterior mean and variance at x (s = sqrt(s2))
 *   best       incumbent: the lowest posterior mean over evaluated points (standardised units)
 *   z          (best - mu) / s
 *   phi, Phi   standard normal density and distribution function
 *   h(z)       phi(z) + z Phi(z), so EI = s h(z)
 *   R(t)       Mills ratio Phi(-t) / phi(t) for t >= 0 (continued fraction)
 *   logEI      log s + log h(z). For z <= -2, h(z) = phi(z) (1 - t R(t)) with t = -z, and for
 *              t > 40 the factor 1 - t R(t) comes from its asymptotic series 1/t^2 - 3/t^4 + 15/t^6
 *              - 105/t^8: finite and smooth however far into the tail.
 *   UCB        -mu + sqrt(beta) s   (a lower confidence bound on the loss, negated)
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT1_2 = Math.SQRT1_2;

/** erf by its Taylor series, accurate to ~1e-16 for |x| <= 3. */
function erfSeries(x: number): number {
	const x2 = x * x;
	let term = x;
	let sum = x;
	for (let k = 1; k < 200; k++) {
		term *= -x2 / k;
		const add = term / (2 * k + 1);
		sum += add;
		if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
	}
	return (2 / Math.sqrt(Math.PI)) * sum;
}

/** Mills ratio R(t) = Phi(-t) / phi(t), t >= 2, by Lentz's continued fraction 1/(t+1/(t+2/(t+...))). */
function millsRatio(t: number): number {
	const tiny = 1e-300;
	let f = t;
	let c = t;
	let dd = 0;
	for (let k = 1; k < 500; k++) {
		dd = t + k * dd;
		dd = Math.abs(dd) < tiny ? tiny : dd;
		c = t + k / c;
		c = Math.abs(c) < tiny ? tiny : c;
		dd = 1 / dd;
		const delta = c * dd;
		f *= delta;
		if (Math.abs(delta - 1) < 1e-16) break;
	}
	return 1 / f;
}

/** Standard normal CDF. */
export function normCdf(z: number): number {
	if (z < -3) return Math.exp(-0.5 * z * z - LOG_SQRT_2PI) * millsRatio(-z);
	if (z > 3) return 1 - Math.exp(-0.5 * z * z - LOG_SQRT_2PI) * millsRatio(z);
	return 0.5 * (1 + erfSeries(z * SQRT1_2));
}

/** log Phi(z) and d log Phi / dz = phi(z) / Phi(z), finite far into the lower tail (Mills ratio). */
export function logNormCdf(z: number): { value: number; dz: number } {
	if (z < -3) {
		const r = millsRatio(-z);
		return { value: -0.5 * z * z - LOG_SQRT_2PI + Math.log(r), dz: 1 / r };
	}
	const cdf = normCdf(z);
	return { value: Math.log(cdf), dz: Math.exp(-0.5 * z * z - LOG_SQRT_2PI) / cdf };
}

/** log h(z) and d log h / dz. */
export function logH(z: number): { value: number; dz: number } {
	if (z > -2) {
		const phi = Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
		const cdf = normCdf(z);
		const h = phi + z * cdf;
		return { value: Math.log(h), dz: cdf / h };
	}
	const t = -z;
	const r = millsRatio(t);
	let oneMinus: number;
	if (t > 40) {
		const u = 1 / (t * t);
		oneMinus = u * (1 - 3 * u * (1 - 5 * u * (1 - 7 * u)));
	} else oneMinus = 1 - t * r;
	// log h = log phi(t) + log(1 - t R(t)); d log h / dz = Phi(z) / h(z) = R / (1 - t R)
	return { value: -0.5 * t * t - LOG_SQRT_2PI + Math.log(oneMinus), dz: r / oneMinus };
}

type AcquisitionKind = 'log_ei' | 'ucb' | 'none';

export interface Acquisition {
	readonly kind: AcquisitionKind;
	/** Value at (mu, s2), and its partial derivatives in mu and s2 (written to `out`). */
	evaluate(mu: number, s2: number, out: { dMu: number; dS2: number }): number;
}

export function logEi(best: number): Acquisition {
	return {
		kind: 'log_ei',
		evaluate(mu, s2, out) {
			const s = Math.sqrt(s2);
			const z = (best - mu) / s;
			const { value, dz } = logH(z);
			out.dMu = -dz / s;
			// d/ds [log s + log h(z)] = 1/s - dz * z / s;  ds/ds2 = 1 / (2 s)
			out.dS2 = (1 - dz * z) / s / (2 * s);
			return Math.log(s) + value;
		},
	};
}

export function ucb(beta: number): Acquisition {
	const root = Math.sqrt(beta);
	return {
		kind: 'ucb',
		evaluate(mu, s2, out) {
			const s = Math.sqrt(s2);
			out.dMu = -1;
			out.dS2 = root / (2 * s);
			return -mu + root * s;
		},
	};
}

/** 0 everywhere: under constraints with fewer than two feasible trials only log PF is maximised (feasibility.ts). */
export const feasibilityOnly: Acquisition = {
	kind: 'none',
	evaluate(_mu, _s2, out) {
		out.dMu = 0;
		out.dS2 = 0;
		return 0;
	},
};
