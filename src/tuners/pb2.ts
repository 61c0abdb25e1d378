/**
 * PB2's explore (Parker-Holder et al. 2020, "Provably efficient online hyperparameter optimization
 * with population-based bandits"): a GP bandit over (time, params) -> reward change proposes the
 * float settings an exploiting member continues with, instead of a random x0.8 / x1.2. Reuses the
 * project's GP (searchers/gp: Matern 5/2, MAP kernel parameters); time enters as one more input
 * dimension, so that old observations count less where the reward surface moved (a simplification
 * of the paper's time-varying kernel, which decays correlations by |t - t'| explicitly).
 *
 * Notation
 *   obs        one per ended segment that continued a checkpoint: x = [t, u_1..u_d], y = its reward
 *              change (value at its end minus the value of the checkpoint it restored), sign-flipped
 *              when minimising so that larger is better
 *   t          the segment's generation / the current generation (in [0, 1])
 *   u_j        float param j on the unit scale of its range (space.ts toUnit: log-aware)
 *   y_std      (y - mean) / sd
 *   UCB        mu(x) + sqrt(kappa) * sd(x), kappa = 2, maximised over `candidates` uniform draws of
 *              the float params (plus the exploited settings) at t = 1
 *   batch      members proposed earlier in the same generation are added as observations with
 *              y = the posterior mean there (kriging believer), so a batch spreads out
 * Ints and categoricals are left to explore's resample; with fewer than `minObservations`
 * observations the proposer is not used (perturbation instead).
 */
import { defaultTheta, fitHyper, Posterior, type GpData } from '../../searchers/gp/gp.js';
import type { Rng } from '../core/rng.js';
import { dimensions, fromUnit, type Params, type Space, toUnit } from '../core/space.js';

export interface Pb2Observation {
	/** generation / current generation, in [0, 1] */
	readonly t: number;
	readonly params: Params;
	/** reward change, larger is better */
	readonly change: number;
}

const kappa = 2;
const candidates = 256;
const minObservations = 3;

/** A proposer of float settings (explore: pb2), or undefined when there are too few observations. */
export function pb2Proposer(space: Space, observations: readonly Pb2Observation[]): ((params: Params, rng: Rng) => Params) | undefined {
	const floats = dimensions(space).filter((d) => d.param.type === 'float');
	if (floats.length === 0 || observations.length < minObservations) return undefined;
	const d = floats.length + 1;
	const xs: number[] = [];
	const ys: number[] = [];
	for (const o of observations) {
		xs.push(o.t, ...floats.map((f) => toUnit(f.param, o.params[f.name] as number)));
		ys.push(o.change);
	}
	const mean = ys.reduce((a, b) => a + b, 0) / ys.length;
	const sd = Math.sqrt(ys.reduce((a, b) => a + (b - mean) ** 2, 0) / ys.length) || 1;
	const fitted = fitHyper(
		data(
			xs,
			ys.map((y) => (y - mean) / sd),
			d,
		),
		[defaultTheta(d)],
	);
	return (params, rng) => {
		const posterior = new Posterior(
			data(
				xs,
				ys.map((y) => (y - mean) / sd),
				d,
			),
			fitted.hyper,
		);
		const point = new Float64Array(d);
		const prediction = { mean: 0, variance: 0 };
		let best: Float64Array | undefined;
		let bestScore = Number.NEGATIVE_INFINITY;
		for (let c = 0; c <= candidates; c++) {
			point[0] = 1;
			for (let j = 0; j < floats.length; j++) {
				const f = floats[j] as (typeof floats)[number];
				point[j + 1] = c === 0 ? toUnit(f.param, params[f.name] as number) : rng.next();
			}
			posterior.predict(point, prediction);
			const score = prediction.mean + Math.sqrt(kappa * Math.max(0, prediction.variance));
			if (score > bestScore) {
				bestScore = score;
				best = Float64Array.from(point);
			}
		}
		const chosen = best as Float64Array;
		posterior.predict(chosen, prediction);
		// kriging believer: the next member of this generation sees this proposal as observed
		xs.push(...chosen);
		ys.push(prediction.mean * sd + mean);
		const out: Params = { ...params };
		floats.forEach((f, j) => {
			out[f.name] = fromUnit(f.param, chosen[j + 1] as number);
		});
		return out;
	};
}

function data(xs: readonly number[], y: readonly number[], d: number): GpData {
	return { xs: Float64Array.from(xs), n: y.length, d, cat: new Uint8Array(d), y: Float64Array.from(y) };
}
