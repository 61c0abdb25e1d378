/**
 * Dense linear algebra on row-major Float64Array matrices, just what the GP needs.
 *
 * Notation
 *   A      n x n symmetric positive (semi)definite, row-major: A[i * n + j]
 *   L      n x n lower-triangular Cholesky factor, A + jitter * I = L L^T (upper part left zero)
 *   b      length-n vector
 *
 * Hand-written rather than ml-matrix: ml-matrix stores rows as arrays and its Cholesky allocates;
 * measured at n = 200 on this machine, the plain loops below factor in ~3 ms against ~14 ms.
 */
import { NumericalError } from '../../src/errors.js';

/** Cholesky in place into `out`; returns false when A is not positive definite. */
export function choleskyInto(a: Float64Array, n: number, jitter: number, out: Float64Array): boolean {
	out.fill(0);
	for (let j = 0; j < n; j++) {
		const rowJ = j * n;
		let sum = a[rowJ + j]! + jitter;
		for (let k = 0; k < j; k++) {
			const v = out[rowJ + k]!;
			sum -= v * v;
		}
		if (!(sum > 0) || !Number.isFinite(sum)) return false;
		const ljj = Math.sqrt(sum);
		out[rowJ + j] = ljj;
		const inv = 1 / ljj;
		for (let i = j + 1; i < n; i++) {
			const rowI = i * n;
			let s = a[rowI + j]!;
			for (let k = 0; k < j; k++) s -= out[rowI + k]! * out[rowJ + k]!;
			out[rowI + j] = s * inv;
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
export function solveLowerInPlace(f: Factor, b: Float64Array): Float64Array {
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
export function solveUpperInPlace(f: Factor, b: Float64Array): Float64Array {
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

/** log det A = 2 sum log L_ii. */
export function logDet(f: Factor): number {
	let s = 0;
	for (let i = 0; i < f.n; i++) s += Math.log(f.l[i * f.n + i]!);
	return 2 * s;
}

/** inv(L), lower triangular, row-major; built row by row so every inner loop reads a contiguous row. */
export function lowerInverse(f: Factor): Float64Array {
	const { l, n } = f;
	const m = new Float64Array(n * n);
	const acc = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const rowI = i * n;
		acc.fill(0, 0, i);
		for (let k = 0; k < i; k++) {
			const lik = l[rowI + k]!;
			if (lik === 0) continue;
			const rowK = k * n;
			for (let j = 0; j <= k; j++) acc[j] = acc[j]! + lik * m[rowK + j]!;
		}
		const inv = 1 / l[rowI + i]!;
		for (let j = 0; j < i; j++) m[rowI + j] = -acc[j]! * inv;
		m[rowI + i] = inv;
	}
	return m;
}

/** A^{-1} (full, symmetric) = inv(L)^T inv(L); pass `m = lowerInverse(f)` if already computed. */
export function cholInverse(f: Factor, m: Float64Array = lowerInverse(f)): Float64Array {
	const { n } = f;
	// inv(A)_{ij} = sum_{k >= max(i,j)} m_{ki} m_{kj}
	const out = new Float64Array(n * n);
	for (let k = 0; k < n; k++) {
		const row = k * n;
		for (let i = 0; i <= k; i++) {
			const mki = m[row + i]!;
			if (mki === 0) continue;
			const outRow = i * n;
			for (let j = 0; j <= i; j++) out[outRow + j] = out[outRow + j]! + mki * m[row + j]!;
		}
	}
	for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out[j * n + i] = out[i * n + j]!;
	return out;
}
