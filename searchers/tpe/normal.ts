/**
 * The standard normal pieces the TPE's truncated-normal kernels need, in log space where a kernel
 * far from a point would otherwise underflow to a density of 0. Fast, because a suggestion at 1000
 * trials evaluates Phi some 10^4 times.
 *
 * Notation
 *   phi, Phi        standard normal density and distribution function; t = |z|
 *   Phi(-t)         t < 4: Hart's rational approximation (algorithm 5666, as given by West 2005),
 *                   relative error < 1e-12 there; t >= 4: phi(t) / F(t) with the Mills-ratio continued
 *                   fraction F(t) = t + 1/(t + 2/(t + 3/(t + ...))) evaluated backwards from 40 terms
 *                   (20 from t = 5), relative error < 1e-14. test/searchers/tpe/parzen.test.ts checks both.
 *   logPhi(z)       log Phi(z); for z < -4 as log phi(z) - log F(-z), finite however far into the tail
 *   mass(a, b)      log(Phi(b) - Phi(a)) for a < b: the probability of [a, b]. Computed in the lower
 *                   tail when b <= 0, by symmetry when a >= 0, and as log(1 - Phi(a) - Phi(-b))
 *                   when the interval holds 0 (each term then small and accurate)
 *   ndtri(p)        Phi^-1(p): Acklam's rational approximation (relative error ~1e-9) refined by one
 *                   Halley step on Phi
 *   truncated(a, b, u)   the u-quantile of a standard normal truncated to [a, b] (inverse CDF);
 *                   an interval in the upper tail is sampled as the mirror of the lower one
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

export function logPhiDensity(z: number): number {
	return -0.5 * z * z - LOG_SQRT_2PI;
}

/** F(t) with Phi(-t) = phi(t) / F(t), for t >= 4. */
function millsDenominator(t: number): number {
	let f = t;
	for (let k = t < 5 ? 40 : 20; k >= 1; k--) f = t + k / f;
	return f;
}

/** Phi(-t) for t >= 0. */
function lowerTail(t: number): number {
	if (t >= 4) return Math.exp(-0.5 * t * t) / SQRT_2PI / millsDenominator(t);
	let num = 0.0352624965998911 * t + 0.700383064443688;
	num = num * t + 6.37396220353165;
	num = num * t + 33.912866078383;
	num = num * t + 112.079291497871;
	num = num * t + 221.213596169931;
	num = num * t + 220.206867912376;
	let den = 0.0883883476483184 * t + 1.75566716318264;
	den = den * t + 16.064177579207;
	den = den * t + 86.7807322029461;
	den = den * t + 296.564248779674;
	den = den * t + 637.333633378831;
	den = den * t + 793.826512519948;
	den = den * t + 440.413735824752;
	return (Math.exp(-0.5 * t * t) * num) / den;
}

/** Phi(z). */
export function ndtr(z: number): number {
	return z <= 0 ? lowerTail(-z) : 1 - lowerTail(z);
}

export function logPhi(z: number): number {
	if (z < -4) return logPhiDensity(z) - Math.log(millsDenominator(-z));
	if (z > 0) return Math.log1p(-lowerTail(z));
	return Math.log(lowerTail(-z));
}

/** log(Phi(b) - Phi(a)) for a <= b (-Infinity when a = b). */
export function logMass(a: number, b: number): number {
	if (a >= b) return Number.NEGATIVE_INFINITY;
	if (b <= 0) {
		const lb = logPhi(b);
		return lb + Math.log1p(-Math.exp(logPhi(a) - lb));
	}
	if (a >= 0) return logMass(-b, -a);
	// Phi(-8.5) < 1e-17: below the precision of 1 - Phi(a) - Phi(-b), so not computed
	return Math.log1p(-(a < -8.5 ? 0 : ndtr(a)) - (b > 8.5 ? 0 : ndtr(-b)));
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
	const e = ndtr(x) - p;
	const u = e * Math.exp(-logPhiDensity(x));
	return x - u / (1 + (x * u) / 2);
}

/** The u-quantile (u in [0, 1)) of a standard normal truncated to [a, b], a < b. */
export function truncatedQuantile(a: number, b: number, u: number): number {
	if (a >= 0) return -truncatedQuantile(-b, -a, 1 - u);
	const pa = ndtr(a);
	const pb = ndtr(b);
	const x = ndtri(pa + u * (pb - pa));
	return Math.min(b, Math.max(a, x));
}
