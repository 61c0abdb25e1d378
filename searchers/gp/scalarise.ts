/**
 * The one loss per trial the GP models: with one metric sign * value; with several, a random
 * scalarisation per proposal (ParEGO, Knowles 2006); under constraints, infeasible trials penalised.
 *
 * Notation
 *   trials       the complete trials with a finite value (and, with several metrics, a finite value
 *                per metric), in the order asked
 *   f_tk         with m >= 2 metrics: loss k of trial t (sign_k * value_k) normalised to [0, 1] by the
 *                min and max of loss k over the feasible trials (over all of them when none is
 *                feasible; 0 where max = min)
 *   lambda_i     proposal i's weights: uniform on the simplex (m exponential(1) draws / their sum)
 *                from new Rng(seed).split(`parego ${i}`), so a batch of n is n asks of one and a resume
 *                draws the same weights
 *   s_t          the augmented Tchebycheff scalarisation max_k lambda_k f_tk + rho sum_k lambda_k f_tk,
 *                rho = 0.05: each minimiser of s is on the Pareto front, and every front point
 *                minimises s for some lambda (also on non-convex fronts, unlike a weighted sum); the
 *                augmentation breaks ties in favour of non-dominated points
 *   penalty      infeasible trials (violation v > 0): loss = max over feasible + span * (0.1 + v / v_max),
 *                span = max - min of the feasible losses (1 when 0 or none is feasible; base 0 when
 *                none), so every infeasible trial is worse than every feasible one and the GP is led
 *                from the most violating towards the boundary
 */
import { Rng } from '../../src/core/rng.js';
import { completed, lossSign } from '../common.js';
import type { Direction, SearcherTrial } from '../searcher.js';

const rho = 0.05;

/** The complete trials the GP sees (a finite value per metric with several metrics), in the order asked. */
export function modelled(trials: readonly SearcherTrial[], directions: readonly Direction[] | undefined): ReturnType<typeof completed> {
	const done = completed(trials);
	if (directions === undefined) return done;
	return done.filter((t) => t.values !== undefined && t.values.length === directions.length && t.values.every(Number.isFinite));
}

/** Proposal i's ParEGO weights (see the notation). */
export function paregoWeights(seed: number, index: number, m: number): number[] {
	const rng = new Rng(seed).split(`parego ${index}`);
	const e = Array.from({ length: m }, () => -Math.log(1 - rng.next()));
	const total = e.reduce((a, b) => a + b, 0);
	return e.map((v) => v / total);
}

/**
 * The losses of `trials` (from `modelled`): sign * value with one metric, the scalarisation with
 * `weights` with several (`weights` required then); infeasible trials penalised.
 */
export function scalarLosses(trials: readonly SearcherTrial[], direction: Direction, directions: readonly Direction[] | undefined, weights: readonly number[] | undefined): Float64Array {
	const feasible = trials.map((t) => !((t.violation ?? 0) > 0));
	const raw = directions === undefined || weights === undefined ? trials.map((t) => lossSign(direction) * (t.value as number)) : tchebycheff(trials, directions, weights, feasible);
	return penalise(raw, trials, feasible);
}

function tchebycheff(trials: readonly SearcherTrial[], directions: readonly Direction[], weights: readonly number[], feasible: readonly boolean[]): number[] {
	const losses = trials.map((t) => directions.map((d, k) => lossSign(d) * (t.values as readonly number[])[k]!));
	const basis = feasible.some(Boolean) ? losses.filter((_, i) => feasible[i]) : losses;
	const low = directions.map((_, k) => Math.min(...basis.map((y) => y[k]!)));
	const high = directions.map((_, k) => Math.max(...basis.map((y) => y[k]!)));
	return losses.map((y) => {
		let worst = Number.NEGATIVE_INFINITY;
		let sum = 0;
		y.forEach((v, k) => {
			const span = high[k]! - low[k]!;
			const f = span > 0 ? (v - low[k]!) / span : 0;
			worst = Math.max(worst, weights[k]! * f);
			sum += weights[k]! * f;
		});
		return worst + rho * sum;
	});
}

function penalise(raw: readonly number[], trials: readonly SearcherTrial[], feasible: readonly boolean[]): Float64Array {
	const out = Float64Array.from(raw);
	if (feasible.every(Boolean)) return out;
	const ok = raw.filter((_, i) => feasible[i]);
	const top = ok.length === 0 ? 0 : Math.max(...ok);
	const span = ok.length === 0 ? 1 : top - Math.min(...ok) || 1;
	const vMax = Math.max(...trials.map((t) => t.violation ?? 0));
	trials.forEach((t, i) => {
		if (!feasible[i]) out[i] = top + span * (0.1 + (t.violation as number) / vMax);
	});
	return out;
}
