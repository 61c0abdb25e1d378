/**
 * Quasi-random points in the unit cube: the Kronecker (R_d) low-discrepancy sequence of Roberts,
 * with a seeded random shift (Cranley-Patterson rotation) so different seeds give different designs.
 * Chosen over Sobol because it needs no direction-number tables and has comparable discrepancy for the
 * small point counts used here (start-up designs of 10-20 points, 1-2k acquisition candidates).
 *
 * Notation
 *   phi_d    the unique positive root of x^(d+1) = x + 1
 *   a_j      frac(phi_d^-(j+1)), j = 0..d-1
 *   shift    Float64Array(d) of uniforms drawn from the seed
 *   u_i      frac(shift + (i + 1) a), the i-th point (i = 0, 1, ...)
 */
import type { Rng } from '../../src/core/rng.js';

const alphaCache = new Map<number, Float64Array>();

function alphas(d: number): Float64Array {
	let a = alphaCache.get(d);
	if (a !== undefined) return a;
	let x = 1.5;
	for (let k = 0; k < 60; k++) x = x - (x ** (d + 1) - x - 1) / ((d + 1) * x ** d - 1);
	a = new Float64Array(d);
	for (let j = 0; j < d; j++) a[j] = (1 / x) ** (j + 1) % 1;
	alphaCache.set(d, a);
	return a;
}

export function randomShift(rng: Rng, d: number): Float64Array {
	const s = new Float64Array(d);
	for (let j = 0; j < d; j++) s[j] = rng.next();
	return s;
}

/** The i-th point of the shifted sequence, written into out (length d). */
export function kroneckerPoint(i: number, shift: Float64Array, out: Float64Array): Float64Array {
	const d = out.length;
	const a = alphas(d);
	for (let j = 0; j < d; j++) {
		const v = (shift[j]! + (i + 1) * a[j]!) % 1;
		out[j] = v < 0 ? v + 1 : v;
	}
	return out;
}
