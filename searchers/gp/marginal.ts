/**
 * Kernel parameters integrated out instead of fixed at the MAP point: samples from their posterior
 * by slice sampling, and the acquisition averaged over the samples (Snoek et al. 2012, "integrated
 * acquisition").
 *
 * Notation
 *   theta        log kernel parameters (gp.ts); p(theta | y) proportional to exp(-negLogPosterior)
 *   S            number of samples kept
 *   a_s(x)       log-EI under sample s
 *   a(x)         log mean_s exp(a_s(x)) = logsumexp_s a_s(x) - log S (log of the averaged EI)
 *   grad a       sum_s w_s grad a_s, w_s = softmax_s a_s(x)
 */
import type { Rng } from '../../src/core/rng.js';
import { mapObjective, thetaBounds, type GpData } from './gp.js';
import type { Evaluator } from './optimize.js';

/**
 * Univariate slice sampling with stepping out (Neal 2003), one coordinate at a time in turn, from
 * `start`; returns `count` states, one every `thin` sweeps after `burn` sweeps.
 */
export function sliceSample(data: GpData, start: Float64Array, rng: Rng, count: number, thin: number, burn: number, width = 1): Float64Array[] {
	const objective = mapObjective(data);
	const grad = new Float64Array(start.length);
	const { lo, hi } = thetaBounds(data.d);
	const logp = (t: Float64Array): number => {
		const v = -objective(t, grad);
		return Number.isFinite(v) ? v : Number.NEGATIVE_INFINITY;
	};
	const x = Float64Array.from(start);
	let fx = logp(x);
	const out: Float64Array[] = [];
	const m = x.length;
	for (let sweep = 0; out.length < count; sweep++) {
		for (let j = 0; j < m; j++) {
			const x0 = x[j]!;
			const level = fx + Math.log(rng.next() || Number.MIN_VALUE);
			let left = x0 - width * rng.next();
			let right = left + width;
			const at = (v: number): number => {
				x[j] = v;
				return logp(x);
			};
			for (let k = 0; k < 4 && left > lo[j]! && at(left) > level; k++) left -= width;
			for (let k = 0; k < 4 && right < hi[j]! && at(right) > level; k++) right += width;
			left = Math.max(left, lo[j]!);
			right = Math.min(right, hi[j]!);
			for (let k = 0; k < 50; k++) {
				const v = left + (right - left) * rng.next();
				const fv = at(v);
				if (fv > level) {
					fx = fv;
					break;
				}
				if (v < x0) left = v;
				else right = v;
				x[j] = x0;
			}
			if (x[j] !== x0 && !(fx > level)) x[j] = x0;
		}
		if (sweep >= burn && (sweep - burn) % thin === thin - 1) out.push(Float64Array.from(x));
	}
	return out;
}

/** log of the mean of exp(a_s) over the members, with its gradient. */
export class MeanEvaluator implements Evaluator {
	private readonly values: Float64Array;
	private readonly grads: Float64Array[];
	constructor(
		private readonly members: readonly Evaluator[],
		d: number,
	) {
		this.values = new Float64Array(members.length);
		this.grads = members.map(() => new Float64Array(d));
	}
	value(x: Float64Array): number {
		let top = Number.NEGATIVE_INFINITY;
		this.members.forEach((m, s) => {
			this.values[s] = m.value(x);
			top = Math.max(top, this.values[s]!);
		});
		if (!Number.isFinite(top)) return top;
		let sum = 0;
		for (const v of this.values) sum += Math.exp(v - top);
		return top + Math.log(sum / this.members.length);
	}
	valueGrad(x: Float64Array, grad: Float64Array): number {
		let top = Number.NEGATIVE_INFINITY;
		this.members.forEach((m, s) => {
			this.values[s] = m.valueGrad(x, this.grads[s]!);
			top = Math.max(top, this.values[s]!);
		});
		grad.fill(0);
		if (!Number.isFinite(top)) return top;
		let sum = 0;
		for (const v of this.values) sum += Math.exp(v - top);
		this.members.forEach((_, s) => {
			const w = Math.exp(this.values[s]! - top) / sum;
			const g = this.grads[s]!;
			for (let j = 0; j < grad.length; j++) grad[j] = grad[j]! + w * g[j]!;
		});
		return top + Math.log(sum / this.members.length);
	}
}
