/**
 * Maximising the acquisition over a mixed space: quasi-random candidates, then local refinement from
 * the best few (box L-BFGS over the continuous dims, exact sweeps over every value of each discrete
 * dim, alternating). Discrete dims are only ever evaluated at valid values; small all-discrete spaces
 * are enumerated exactly.
 *
 * Notation
 *   d            input dims; cont = indices of continuous dims
 *   x            Float64Array(d) GP coordinates (encoding.ts)
 *   a(x)         acquisition value (to maximise); the optimiser minimises -a
 *   m            number of candidates (QMC, snapped onto discrete values)
 *   starts       the best `nLocal` distinct candidates plus caller-given points (e.g. near incumbents)
 *   allowed(x)   false for points that must not be proposed (duplicates on a discrete space)
 */
import type { Rng } from '../../src/core/rng.js';
import type { Acquisition } from './acquisition.js';
import { type Feasibility, logFeasible } from './feasibility.js';
import { discreteCoord, discreteIndexAt, snapUnit, type GpDim } from './encoding.js';
import type { Posterior, Prediction } from './gp.js';
import { minimizeBox } from './lbfgs.js';
import { kroneckerPoint, randomShift } from './qmc.js';

export interface OptimizeOptions {
	readonly candidates: number;
	readonly nLocal: number;
	/** Extra local-search starts (valid GP coordinates). */
	readonly extraStarts: readonly Float64Array[];
	/** Enumerate every point when the space is all-discrete with at most this many points. */
	readonly enumerateUpTo: number;
}

export interface Scored {
	readonly x: Float64Array;
	readonly value: number;
}

/** a(x) (+ log PF(x) under a constraint model, feasibility.ts) and, with `grad`, its gradient over continuous dims. */
export class AcqEvaluator {
	private readonly pred: Prediction = { mean: 0, variance: 1 };
	private readonly partial = { dMu: 0, dS2: 0 };
	private readonly dMean: Float64Array;
	private readonly dVar: Float64Array;
	constructor(
		readonly posterior: Posterior,
		readonly acq: Acquisition,
		d: number,
		readonly feasibility?: Feasibility,
	) {
		this.dMean = new Float64Array(d);
		this.dVar = new Float64Array(d);
	}
	value(x: Float64Array): number {
		this.posterior.predict(x, this.pred);
		const a = this.acq.evaluate(this.pred.mean, this.pred.variance, this.partial);
		if (this.feasibility === undefined) return a;
		this.feasibility.posterior.predict(x, this.pred);
		return a + logFeasible(this.feasibility.tau, this.pred.mean, this.pred.variance, this.partial);
	}
	valueGrad(x: Float64Array, grad: Float64Array): number {
		this.posterior.predict(x, this.pred, this.dMean, this.dVar);
		const a = this.acq.evaluate(this.pred.mean, this.pred.variance, this.partial);
		for (let j = 0; j < x.length; j++) grad[j] = this.partial.dMu * this.dMean[j]! + this.partial.dS2 * this.dVar[j]!;
		if (this.feasibility === undefined) return a;
		this.feasibility.posterior.predict(x, this.pred, this.dMean, this.dVar);
		const f = logFeasible(this.feasibility.tau, this.pred.mean, this.pred.variance, this.partial);
		for (let j = 0; j < x.length; j++) grad[j] = grad[j]! + this.partial.dMu * this.dMean[j]! + this.partial.dS2 * this.dVar[j]!;
		return a + f;
	}
}

/** Every point of an all-discrete space (GP coordinates), mixed-radix. */
function enumeratePoints(dims: readonly GpDim[], total: number): Float64Array[] {
	const out: Float64Array[] = [];
	for (let k = 0; k < total; k++) {
		const x = new Float64Array(dims.length);
		let rest = k;
		for (let j = dims.length - 1; j >= 0; j--) {
			const dim = dims[j]!;
			x[j] = dim.size === 1 && dim.kind === 'continuous' ? 0.5 : discreteCoord(dim, rest % dim.size);
			rest = Math.floor(rest / dim.size);
		}
		out.push(x);
	}
	return out;
}

/** Values (indices) to try for discrete dim `dim` around index k0: all if few, else a ladder of neighbours. */
function sweepIndices(dim: GpDim, k0: number): number[] {
	if (dim.size <= 32) return Array.from({ length: dim.size }, (_, k) => k);
	const out = new Set<number>([k0]);
	for (let step = 1; step < dim.size; step *= 2) {
		if (k0 - step >= 0) out.add(k0 - step);
		if (k0 + step < dim.size) out.add(k0 + step);
	}
	return [...out];
}

function currentIndex(dim: GpDim, v: number): number {
	return dim.kind === 'categorical' ? Math.round(v) : discreteIndexAt(dim, v);
}

/**
 * Local refinement from x0: alternate L-BFGS on continuous dims and exact discrete sweeps (a sweep
 * only moves to allowed points).
 */
function refine(evaluator: AcqEvaluator, dims: readonly GpDim[], x0: Float64Array, allowed: (x: Float64Array) => boolean = () => true, rounds = 3): Scored {
	const d = dims.length;
	const cont = dims.flatMap((dim, j) => (dim.kind === 'continuous' && dim.size !== 1 ? [j] : []));
	let x = Float64Array.from(x0);
	let value = allowed(x) ? evaluator.value(x) : Number.NEGATIVE_INFINITY;
	const full = new Float64Array(d);
	const gradFull = new Float64Array(d);
	for (let round = 0; round < rounds; round++) {
		const before = value;
		if (cont.length > 0) {
			const lo = new Float64Array(cont.length);
			const hi = new Float64Array(cont.length).fill(1);
			const base = x;
			const r = minimizeBox(
				(z, g) => {
					full.set(base);
					cont.forEach((j, i) => {
						full[j] = z[i]!;
					});
					const v = evaluator.valueGrad(full, gradFull);
					cont.forEach((j, i) => {
						g[i] = -gradFull[j]!;
					});
					return Number.isFinite(v) ? -v : Number.POSITIVE_INFINITY;
				},
				Float64Array.from(cont, (j) => x[j]!),
				lo,
				hi,
				{ maxIter: 60, gtol: 1e-7, ftol: 1e-12 },
			);
			if (-r.f > value) {
				const moved = Float64Array.from(base);
				cont.forEach((j, i) => {
					moved[j] = r.x[i]!;
				});
				if (allowed(moved)) {
					x = moved;
					value = -r.f;
				}
			}
		}
		for (let j = 0; j < d; j++) {
			const dim = dims[j]!;
			if (dim.kind === 'continuous') continue;
			const k0 = currentIndex(dim, x[j]!);
			let bestK = k0;
			const trial = Float64Array.from(x);
			for (const k of sweepIndices(dim, k0)) {
				if (k === k0) continue;
				trial[j] = discreteCoord(dim, k);
				const v = evaluator.value(trial);
				if (v > value && allowed(trial)) {
					value = v;
					bestK = k;
				}
			}
			x[j] = discreteCoord(dim, bestK);
		}
		if (!(value > before + 1e-12 * Math.abs(before))) break;
	}
	return { x, value };
}

/**
 * The best allowed points, best first (at most `want`), or fewer when the space has no more allowed
 * points. Deterministic given rng's state.
 */
export function optimizeAcquisition(evaluator: AcqEvaluator, dims: readonly GpDim[], allowed: (x: Float64Array) => boolean, rng: Rng, options: OptimizeOptions): Scored | undefined {
	const d = dims.length;
	let total = 1;
	for (const dim of dims) total *= dim.kind === 'continuous' && dim.size !== 1 ? Number.POSITIVE_INFINITY : dim.size;
	if (total <= options.enumerateUpTo) {
		let best: Scored | undefined;
		for (const x of enumeratePoints(dims, total)) {
			if (!allowed(x)) continue;
			const value = evaluator.value(x);
			if (best === undefined || value > best.value) best = { x, value };
		}
		return best;
	}
	const shift = randomShift(rng, d);
	const scored: Scored[] = [];
	for (let i = 0; i < options.candidates; i++) {
		const x = snapUnit(dims, kroneckerPoint(i, shift, new Float64Array(d)));
		scored.push({ x, value: evaluator.value(x) });
	}
	scored.sort((a, b) => b.value - a.value);
	const starts: Float64Array[] = [...options.extraStarts];
	for (const s of scored) {
		if (starts.length >= options.nLocal + options.extraStarts.length) break;
		if (allowed(s.x)) starts.push(s.x);
	}
	const results: Scored[] = starts.map((x) => refine(evaluator, dims, x, allowed));
	const pool = [...results, ...scored].filter((s) => Number.isFinite(s.value)).sort((a, b) => b.value - a.value);
	for (const s of pool) if (allowed(s.x)) return s;
	return undefined;
}
