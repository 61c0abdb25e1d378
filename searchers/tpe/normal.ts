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

/**
 * out[i] = millsDenominator(ts[index[i]]) for the `count` indices given, all of whose t have the same
 * number of terms: four fractions at a time, each with exactly the operations of the one-at-a-time loop
 * (so the same bits), their divisions independent of each other and so overlapping in the processor.
 */
function millsDenominators(ts: Float64Array, index: Int32Array, count: number, terms: number, out: Float64Array): void {
	let i = 0;
	for (; i + 4 <= count; i += 4) {
		const t0 = ts[index[i]!]!;
		const t1 = ts[index[i + 1]!]!;
		const t2 = ts[index[i + 2]!]!;
		const t3 = ts[index[i + 3]!]!;
		let f0 = t0;
		let f1 = t1;
		let f2 = t2;
		let f3 = t3;
		for (let k = terms; k >= 1; k--) {
			f0 = t0 + k / f0;
			f1 = t1 + k / f1;
			f2 = t2 + k / f2;
			f3 = t3 + k / f3;
		}
		out[index[i]!] = f0;
		out[index[i + 1]!] = f1;
		out[index[i + 2]!] = f2;
		out[index[i + 3]!] = f3;
	}
	for (; i < count; i++) out[index[i]!] = millsDenominator(ts[index[i]!]!);
}

/** Phi(-t) for t >= 0, given f = F(t) when t >= 4 (unused below 4). */
function lowerTailGiven(t: number, f: number): number {
	if (t >= 4) return Math.exp(-0.5 * t * t) / SQRT_2PI / f;
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

/** F(|z|) where Phi(-|z|) needs it (|z| >= 4), else 0. */
function millsOf(z: number): number {
	const t = Math.abs(z);
	return t >= 4 ? millsDenominator(t) : 0;
}

/** Phi(-t) for t >= 0. */
function lowerTail(t: number): number {
	return lowerTailGiven(t, millsOf(t));
}

/** Phi(z). */
export function ndtr(z: number): number {
	return z <= 0 ? lowerTail(-z) : 1 - lowerTail(z);
}

/** log Phi(z) for z <= 0, given f = F(-z) when z <= -4. */
function logLowerGiven(z: number, f: number): number {
	if (z < -4) return logPhiDensity(z) - Math.log(f);
	return Math.log(lowerTailGiven(-z, f));
}

export function logPhi(z: number): number {
	if (z > 0) return Math.log1p(-lowerTail(z));
	return logLowerGiven(z, millsOf(z));
}

/** Whether logMass(a, b) uses F(|z|) for its end z (a or b): beyond 8.5 inside an interval that holds 0 it does not. */
function needsMills(z: number, a: number, b: number): boolean {
	const t = Math.abs(z);
	return t >= 4 && !(a < 0 && b > 0 && t > 8.5);
}

/** logMass(a, b) given fa = F(|a|) and fb = F(|b|) where needsMills says they are used. */
function logMassGiven(a: number, b: number, fa: number, fb: number): number {
	if (a >= b) return Number.NEGATIVE_INFINITY;
	if (b <= 0) {
		const lb = logLowerGiven(b, fb);
		return lb + Math.log1p(-Math.exp(logLowerGiven(a, fa) - lb));
	}
	if (a >= 0) return logMassGiven(-b, -a, fb, fa);
	// Phi(-8.5) < 1e-17: below the precision of 1 - Phi(a) - Phi(-b), so not computed
	return Math.log1p(-(a < -8.5 ? 0 : lowerTailGiven(-a, fa)) - (b > 8.5 ? 0 : lowerTailGiven(b, fb)));
}

/** log(Phi(b) - Phi(a)) for a <= b (-Infinity when a = b). */
export function logMass(a: number, b: number): number {
	return logMassGiven(a, b, needsMills(a, a, b) ? millsOf(a) : 0, needsMills(b, a, b) ? millsOf(b) : 0);
}

/** logMasses' work arrays, reused from call to call (allocating them per call kept the garbage collector busy). */
const newWork = (size: number) => ({ ends: new Float64Array(size), long: new Int32Array(size), short: new Int32Array(size), mills: new Float64Array(size) });
let work = newWork(0);

/**
 * out[k] = logMass(a[k], b[k]) for k < count, bit for bit, several times faster on many intervals
 * with ends in the tails: their continued fractions are evaluated four at a time (millsDenominators).
 */
export function logMasses(a: Float64Array, b: Float64Array, count: number, out: Float64Array): void {
	if (work.ends.length < 2 * count) work = newWork(4 * count);
	// ends[2k] = |a_k|, ends[2k + 1] = |b_k|; the ones whose fraction is used, by number of terms
	const { ends, long, short, mills } = work;
	mills.fill(0, 0, 2 * count);
	let nLong = 0;
	let nShort = 0;
	for (let k = 0; k < count; k++) {
		const ak = a[k]!;
		const bk = b[k]!;
		ends[2 * k] = Math.abs(ak);
		ends[2 * k + 1] = Math.abs(bk);
		for (let e = 2 * k; e <= 2 * k + 1; e++) {
			if (!needsMills(e === 2 * k ? ak : bk, ak, bk)) continue;
			if (ends[e]! < 5) long[nLong++] = e;
			else short[nShort++] = e;
		}
	}
	millsDenominators(ends, long, nLong, 40, mills);
	millsDenominators(ends, short, nShort, 20, mills);
	for (let k = 0; k < count; k++) out[k] = logMassGiven(a[k]!, b[k]!, mills[2 * k]!, mills[2 * k + 1]!);
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
