/**
 * Matern 5/2 kernel with one lengthscale per dimension (ARD), times a scale. Categorical dims use a
 * Hamming-type distance (0 when equal, 1 otherwise) in place of the squared difference.
 *
 * Notation
 *   d          number of input dims
 *   x, x'      points, Float64Array(d): unit-cube coordinates for float/int dims, the choice index for
 *              categorical dims
 *   cat        Uint8Array(d), 1 for categorical dims
 *   rho_j      inverse squared lengthscale of dim j (rho_j = 1 / l_j^2)
 *   D_j        (x_j - x'_j)^2, or [x_j != x'_j] for categorical j
 *   r2         sum_j rho_j D_j;  r = sqrt(r2)
 *   s2         kernel scale (signal variance)
 *   k(x, x')   s2 (1 + sqrt5 r + 5/3 r2) exp(-sqrt5 r)
 *   k'(r2)     dk/dr2 = -(5/6) s2 (1 + sqrt5 r) exp(-sqrt5 r)   (smooth at r = 0)
 */

const SQRT5 = Math.sqrt(5);

export interface KernelParams {
	/** Inverse squared lengthscales, length d. */
	readonly rho: Float64Array;
	readonly scale: number;
}

/** r2 between x (offset xi in xs) and y (offset yi in ys). */
export function sqDist(xs: Float64Array, xi: number, ys: Float64Array, yi: number, d: number, rho: Float64Array, cat: Uint8Array): number {
	let r2 = 0;
	for (let j = 0; j < d; j++) {
		const diff = xs[xi + j]! - ys[yi + j]!;
		r2 += rho[j]! * (cat[j] ? (diff === 0 ? 0 : 1) : diff * diff);
	}
	return r2;
}

/** k as a function of r2 (scale excluded). */
function matern52(r2: number): number {
	const r = Math.sqrt(r2);
	return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
}

/** dk/dr2 (scale excluded). */
export function matern52Grad(r2: number): number {
	const r = Math.sqrt(r2);
	return -(5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/** Gram matrix K_ij = k(x_i, x_j) (no noise), row-major n x n, for n points stacked in xs (n x d). */
export function gram(xs: Float64Array, n: number, d: number, p: KernelParams, cat: Uint8Array): Float64Array {
	const k = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		k[i * n + i] = p.scale;
		for (let j = 0; j < i; j++) {
			const v = p.scale * matern52(sqDist(xs, i * d, xs, j * d, d, p.rho, cat));
			k[i * n + j] = v;
			k[j * n + i] = v;
		}
	}
	return k;
}

/** k(x, x_i) for each of the n points in xs, into out (length n). */
export function crossInto(x: Float64Array, xs: Float64Array, n: number, d: number, p: KernelParams, cat: Uint8Array, out: Float64Array): Float64Array {
	for (let i = 0; i < n; i++) out[i] = p.scale * matern52(sqDist(x, 0, xs, i * d, d, p.rho, cat));
	return out;
}
