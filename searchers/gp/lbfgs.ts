/**
 * Box-constrained L-BFGS (projected quasi-Newton, "L-BFGS-B lite"): minimise f(x) subject to
 * lo <= x <= hi. Used for the GP's kernel parameters and for refining the acquisition.
 *
 * Written here because no maintained npm package offers bounded L-BFGS with a plain-number API;
 * tested on its own in test/searchers/gp/lbfgs.
 *
 * Notation
 *   x, g      current point and gradient, Float64Array(m)
 *   free      coordinates not held at a bound (x_j = lo_j with g_j > 0, or x_j = hi_j with g_j < 0
 *             are held); the search direction is zero on held coordinates
 *   s_k, y_k  the last `memory` steps and gradient changes (pairs with s^T y <= 0 are skipped)
 *   p         search direction = -H g by the two-loop recursion on free coordinates
 *   P(z)      projection onto the box; the line search backtracks along P(x + a p) (Armijo)
 */

export type ValueAndGrad = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
	readonly maxIter?: number;
	readonly memory?: number;
	/** Stop when the projected gradient's max-norm falls below this. */
	readonly gtol?: number;
	/** Stop when the relative decrease of f in one step falls below this. */
	readonly ftol?: number;
}

export interface LbfgsResult {
	readonly x: Float64Array;
	readonly f: number;
	readonly iterations: number;
	readonly evaluations: number;
}

export function minimizeBox(fg: ValueAndGrad, x0: ArrayLike<number>, lo: ArrayLike<number>, hi: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
	const m = x0.length;
	const maxIter = options.maxIter ?? 100;
	const memory = options.memory ?? 8;
	const gtol = options.gtol ?? 1e-6;
	const ftol = options.ftol ?? 1e-10;
	const project = (z: Float64Array): Float64Array => {
		for (let j = 0; j < m; j++) z[j] = Math.min(hi[j]!, Math.max(lo[j]!, z[j]!));
		return z;
	};
	let x = project(Float64Array.from(x0));
	let g = new Float64Array(m);
	let f = fg(x, g);
	let evaluations = 1;
	if (!Number.isFinite(f)) return { x, f, iterations: 0, evaluations };
	const ss: Float64Array[] = [];
	const ys: Float64Array[] = [];
	const rhos: number[] = [];
	const p = new Float64Array(m);
	const held = new Uint8Array(m);
	const alpha = new Float64Array(memory);
	let iterations = 0;
	for (; iterations < maxIter; iterations++) {
		let pgNorm = 0;
		for (let j = 0; j < m; j++) {
			const gj = g[j]!;
			held[j] = (x[j]! <= lo[j]! && gj > 0) || (x[j]! >= hi[j]! && gj < 0) ? 1 : 0;
			if (!held[j]) pgNorm = Math.max(pgNorm, Math.abs(gj));
		}
		if (pgNorm < gtol) break;
		// Two-loop recursion on the free coordinates.
		for (let j = 0; j < m; j++) p[j] = held[j] ? 0 : -g[j]!;
		const k = ss.length;
		for (let i = k - 1; i >= 0; i--) {
			const s = ss[i]!;
			let a = 0;
			for (let j = 0; j < m; j++) if (!held[j]) a += s[j]! * p[j]!;
			a *= rhos[i]!;
			alpha[i] = a;
			const y = ys[i]!;
			for (let j = 0; j < m; j++) if (!held[j]) p[j] = p[j]! - a * y[j]!;
		}
		if (k > 0) {
			const s = ss[k - 1]!;
			const y = ys[k - 1]!;
			let sy = 0;
			let yy = 0;
			for (let j = 0; j < m; j++) {
				sy += s[j]! * y[j]!;
				yy += y[j]! * y[j]!;
			}
			const gamma = yy > 0 ? sy / yy : 1;
			for (let j = 0; j < m; j++) p[j] = p[j]! * gamma;
		}
		for (let i = 0; i < k; i++) {
			const y = ys[i]!;
			let b = 0;
			for (let j = 0; j < m; j++) if (!held[j]) b += y[j]! * p[j]!;
			b *= rhos[i]!;
			const s = ss[i]!;
			for (let j = 0; j < m; j++) if (!held[j]) p[j] = p[j]! + (alpha[i]! - b) * s[j]!;
		}
		let slope = 0;
		for (let j = 0; j < m; j++) slope += g[j]! * p[j]!;
		if (!(slope < 0)) {
			// Not a descent direction: drop the memory and use steepest descent.
			ss.length = 0;
			ys.length = 0;
			rhos.length = 0;
			slope = 0;
			for (let j = 0; j < m; j++) {
				p[j] = held[j] ? 0 : -g[j]!;
				slope -= p[j]! * p[j]!;
			}
		}
		// First step: scale so the largest move is at most 0.1 of the box (or 1 without a box).
		let step = 1;
		if (k === 0) {
			let pMax = 0;
			let width = Infinity;
			for (let j = 0; j < m; j++) {
				pMax = Math.max(pMax, Math.abs(p[j]!));
				if (Number.isFinite(hi[j]! - lo[j]!)) width = Math.min(width, hi[j]! - lo[j]!);
			}
			const cap = Number.isFinite(width) ? 0.1 * width : 1;
			if (pMax > cap) step = cap / pMax;
		}
		const xNew = new Float64Array(m);
		const gNew = new Float64Array(m);
		let fNew = Infinity;
		let accepted = false;
		for (let tries = 0; tries < 30; tries++) {
			for (let j = 0; j < m; j++) xNew[j] = x[j]! + step * p[j]!;
			project(xNew);
			let decrease = 0;
			for (let j = 0; j < m; j++) decrease += g[j]! * (xNew[j]! - x[j]!);
			fNew = fg(xNew, gNew);
			evaluations++;
			if (Number.isFinite(fNew) && fNew <= f + 1e-4 * decrease) {
				accepted = true;
				break;
			}
			step *= 0.5;
		}
		if (!accepted) break;
		const s = new Float64Array(m);
		const y = new Float64Array(m);
		let sy = 0;
		for (let j = 0; j < m; j++) {
			s[j] = xNew[j]! - x[j]!;
			y[j] = gNew[j]! - g[j]!;
			sy += s[j]! * y[j]!;
		}
		if (sy > 1e-12) {
			ss.push(s);
			ys.push(y);
			rhos.push(1 / sy);
			if (ss.length > memory) {
				ss.shift();
				ys.shift();
				rhos.shift();
			}
		}
		const fOld = f;
		x = xNew;
		g = gNew;
		f = fNew;
		if (fOld - f <= ftol * Math.max(1, Math.abs(f))) {
			iterations++;
			break;
		}
	}
	return { x, f, iterations, evaluations };
}
