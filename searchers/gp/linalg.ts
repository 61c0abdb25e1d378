/**
 * Dense linear algebra on row-major Float64Array matrices, just what the GP needs.
 *
 * Notation
 *   A      n x n symmetric positive (semi)definite, row-major: A[i * n + j]
 *   L      n x n lower-triangular Cholesky factor, A + jitter * I = L L^T (upper part left zero)
 *   b      length-n vector
 *
 * Hand-written rather than ml-matrix: ml-matrix stores rows as arrays and its Cholesky allocates;
 * the plain loops below factor a 6-D Matern kernel matrix 3-5x faster at n = 50 and 2-3x at n = 200
 * to the same factor (README, design notes).
 */
import { NumericalError } from '../../src/core/errors.js';

/** Cholesky in place into `out`; returns false when A is not positive definite. */
function choleskyInto(a: Float64Array, n: number, jitter: number, out: Float64Array): boolean {
	out.fill(0);
	for (let j = 0; j < n; j++) {
		const rowJ = j * n;
		let sum = a[rowJ + j]! + jitter;
		for (let k = 0; k < j; k++) {
			const v = out[rowJ + k]!;
			sum -= v * v;
		}
		// (inner products below unrolled by two: ~1.4x faster in V8 at n = 191)
		if (!(sum > 0) || !Number.isFinite(sum)) return false;
		const ljj = Math.sqrt(sum);
		out[rowJ + j] = ljj;
		const inv = 1 / ljj;
		for (let i = j + 1; i < n; i++) {
			const rowI = i * n;
			let s0 = a[rowI + j]!;
			let s1 = 0;
			let k = 0;
			for (; k + 1 < j; k += 2) {
				s0 -= out[rowI + k]! * out[rowJ + k]!;
				s1 -= out[rowI + k + 1]! * out[rowJ + k + 1]!;
			}
			if (k < j) s0 -= out[rowI + k]! * out[rowJ + k]!;
			out[rowI + j] = (s0 + s1) * inv;
		}
	}
	return true;
}

export interface Factor {
	readonly l: Float64Array;
	readonly n: number;
	/** Jitter that was finally added to the diagonal. */
	readonly jitter: number;
}

/**
 * Cholesky with escalating jitter: 0, then 1e-10 x mean(diag), x10 each time up to 1e-3 x mean(diag).
 * Throws NumericalError when every level fails.
 */
export function cholesky(a: Float64Array, n: number): Factor {
	const l = new Float64Array(n * n);
	let meanDiag = 0;
	for (let i = 0; i < n; i++) meanDiag += a[i * n + i]!;
	meanDiag = n > 0 ? Math.abs(meanDiag / n) || 1 : 1;
	if (choleskyInto(a, n, 0, l)) return { l, n, jitter: 0 };
	for (let jitter = 1e-10 * meanDiag; jitter <= 1e-3 * meanDiag * 1.0001; jitter *= 10) {
		if (choleskyInto(a, n, jitter, l)) return { l, n, jitter };
	}
	throw new NumericalError(`Cholesky failed for a ${n} x ${n} matrix even with jitter ${1e-3 * meanDiag}`);
}

/** Solve L x = b (forward substitution); b is overwritten with x. */
function solveLowerInPlace(f: Factor, b: Float64Array): Float64Array {
	const { l, n } = f;
	for (let i = 0; i < n; i++) {
		const row = i * n;
		let s = b[i]!;
		for (let k = 0; k < i; k++) s -= l[row + k]! * b[k]!;
		b[i] = s / l[row + i]!;
	}
	return b;
}

/** Solve L^T x = b (back substitution); b is overwritten with x. */
function solveUpperInPlace(f: Factor, b: Float64Array): Float64Array {
	const { l, n } = f;
	for (let i = n - 1; i >= 0; i--) {
		let s = b[i]!;
		for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * b[k]!;
		b[i] = s / l[i * n + i]!;
	}
	return b;
}

/** A^{-1} b via the factor. */
export function cholSolve(f: Factor, b: ArrayLike<number>): Float64Array {
	const x = Float64Array.from(b);
	return solveUpperInPlace(f, solveLowerInPlace(f, x));
}

/**
 * sum_{k = from}^{to - 1} a[aRow + k] b[bRow + k], unrolled by two (two partial sums: ~1.4x faster in
 * V8 at n = 191 than one).
 */
function rowDot(a: Float64Array, aRow: number, b: Float64Array, bRow: number, from: number, to: number): number {
	let s0 = 0;
	let s1 = 0;
	let k = from;
	for (; k + 1 < to; k += 2) {
		s0 += a[aRow + k]! * b[bRow + k]!;
		s1 += a[aRow + k + 1]! * b[bRow + k + 1]!;
	}
	if (k < to) s0 += a[aRow + k]! * b[bRow + k]!;
	return s0 + s1;
}

/**
 * U = inv(L)^T (upper triangular, row-major): row j of U is column j of inv(L), found by forward
 * substitution, so every inner loop is a dot product of two contiguous rows (measured at n = 191:
 * ~2.4 ms, against ~2.6-4.5 ms for the row-by-row axpy form it replaced).
 */
export function inverseFactorT(f: Factor): Float64Array {
	const { l, n } = f;
	const u = new Float64Array(n * n);
	for (let j = 0; j < n; j++) {
		const rowJ = j * n;
		u[rowJ + j] = 1 / l[rowJ + j]!;
		for (let i = j + 1; i < n; i++) {
			const rowI = i * n;
			u[rowJ + i] = -rowDot(l, rowI, u, rowJ, j, i) / l[rowI + i]!;
		}
	}
	return u;
}

/** Transpose of an n x n row-major matrix. */
function transpose(a: Float64Array, n: number): Float64Array {
	const out = new Float64Array(n * n);
	for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[j * n + i] = a[i * n + j]!;
	return out;
}

/** inv(L), lower triangular, row-major. */
export function lowerInverse(f: Factor, u: Float64Array = inverseFactorT(f)): Float64Array {
	return transpose(u, f.n);
}

/**
 * A^{-1} (full, symmetric) = inv(L)^T inv(L), i.e. (A^{-1})_ij = sum_{k >= max(i,j)} U_ik U_jk with
 * U = inverseFactorT(f): dot products of contiguous rows (measured at n = 191: ~1.4 ms against ~3-4 ms
 * for the axpy form). Pass `u` if already computed.
 */
export function cholInverse(f: Factor, u: Float64Array = inverseFactorT(f)): Float64Array {
	const { n } = f;
	const out = new Float64Array(n * n);
	for (let i = 0; i < n; i++) {
		const rowI = i * n;
		for (let j = 0; j <= i; j++) {
			const rowJ = j * n;
			const dot = rowDot(u, rowI, u, rowJ, i, n);
			out[rowI + j] = dot;
			out[rowJ + i] = dot;
		}
	}
	return out;
}
