/**
 * The standard normal pieces the TPE's truncated-normal kernels need, in log space where a kernel
 * far from a point would otherwise underflow to a density of 0.
 *
 * Notation
 *   phi, Phi        standard normal density and distribution function
 *   logPhi(z)       log Phi(z): for z < -3 from the Mills ratio R(t) = Phi(-t) / phi(t), so it stays
 *                   finite (about -z^2 / 2) however far into the lower tail
 *   mass(a, b)      log(Phi(b) - Phi(a)) for a < b: the probability of [a, b]. Computed in the lower
 *                   tail when b <= 0, by symmetry when a >= 0, and as log(1 - Phi(a) - Phi(-b))
 *                   when the interval holds 0 (each term then small and accurate)
 *   ndtri(p)        Phi^-1(p): Acklam's rational approximation (relative error ~1e-9) refined by one
 *                   Halley step on Phi, which brings it to double precision
 *   truncated(a, b, u)   the u-quantile of a standard normal truncated to [a, b] (inverse CDF);
 *                   an interval in the upper tail is sampled as the mirror of the lower one
 */
import { millsRatio, normCdf } from '../gp/acquisition.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

export function logPhiDensity(z: number): number {
	return -0.5 * z * z - LOG_SQRT_2PI;
}

export function logPhi(z: number): number {
	if (z < -3) return logPhiDensity(z) + Math.log(millsRatio(-z));
	if (z > 3) return Math.log1p(-Math.exp(logPhiDensity(z)) * millsRatio(z));
	return Math.log(normCdf(z));
}

/** log(Phi(b) - Phi(a)) for a <= b (-Infinity when a = b). */
export function logMass(a: number, b: number): number {
	if (a >= b) return Number.NEGATIVE_INFINITY;
	if (b <= 0) {
		const lb = logPhi(b);
		return lb + Math.log1p(-Math.exp(logPhi(a) - lb));
	}
	if (a >= 0) return logMass(-b, -a);
	return Math.log1p(-normCdf(a) - normCdf(-b));
}

const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklam(p: number): number {
	if (p < P_LOW) {
		const q = Math.sqrt(-2 * Math.log(p));
		return (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
	}
	if (p > 1 - P_LOW) return -acklam(1 - p);
	const q = p - 0.5;
	const r = q * q;
	return ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
}

/** Phi^-1(p) for p in (0, 1); -Infinity / Infinity at 0 / 1. */
export function ndtri(p: number): number {
	if (p <= 0) return Number.NEGATIVE_INFINITY;
	if (p >= 1) return Number.POSITIVE_INFINITY;
	const x = acklam(p);
	// one Halley step: e = Phi(x) - p, u = e / phi(x)
	const e = normCdf(x) - p;
	const u = e * Math.exp(-logPhiDensity(x));
	return x - u / (1 + (x * u) / 2);
}

/** The u-quantile (u in [0, 1)) of a standard normal truncated to [a, b], a < b. */
export function truncatedQuantile(a: number, b: number, u: number): number {
	if (a >= 0) return -truncatedQuantile(-b, -a, 1 - u);
	const pa = normCdf(a);
	const pb = normCdf(b);
	const x = ndtri(pa + u * (pb - pa));
	return Math.min(b, Math.max(a, x));
}
