/**
 * The constraint model: a second GP fitted to the trials' violations, whose probability of
 * feasibility multiplies the expected improvement (constrained EI, Gardner et al. 2014; Optuna's
 * GPSampler with constraints_func does the same with one GP per constraint). The contract gives one
 * summed violation per trial (searcher.ts), so there is one GP.
 *
 * Notation
 *   v_t          violation of complete trial t: 0 feasible, > 0 infeasible (every modelled trial,
 *                feasible or not, in the order asked)
 *   GP_v         a GP on v, built like the objective's (model.ts: standardised with the 90th
 *                percentile as prior mean, so far from the data a point looks as violating as the
 *                worse trials; same refit points and anchors); its fits are recorded under keys of
 *                their own (Observations.tag = 'violation'), so resume reads them back like the
 *                objective's
 *   tau          the threshold v = 0 in GP_v's standardised units: (0 - mean) / sd
 *   PF(x)        P(v(x) <= 0) = Phi((tau - mu_v(x)) / s_v(x)) under GP_v
 *   acquisition  log EI(x) + log PF(x) on the objective GP fitted to the feasible trials only (their
 *                losses carry no penalty); the incumbent is the best posterior mean among them. With
 *                fewer than two feasible trials, log PF(x) alone: the search first looks for the
 *                feasible region
 *   pending      running trials and earlier proposals of the batch are believer fantasies in GP_v too
 *
 * v is censored at 0 (a feasible trial says nothing of its slack), so at a feasible trial mu_v ~ tau
 * and PF ~ 1/2: a constant factor inside the feasible region, which falls towards 0 across the
 * boundary and where the violating trials are.
 */
import type { GpDim } from './encoding.js';
import { Posterior } from './gp.js';
import { type FitMemo, fitFirst, type Observations, standardise, withFantasies } from './model.js';
import { logNormCdf } from './acquisition.js';

/** The violation GP and the threshold in its units. */
export interface Feasibility {
	readonly posterior: Posterior;
	readonly tau: number;
}

/** GP_v on `obs` (losses = violations of every modelled trial), with the pending points as fantasies. */
export function feasibilityModel(obs: Observations, dims: readonly GpDim[], pending: readonly Float64Array[], memo: FitMemo): Feasibility {
	const { data, fit } = fitFirst(obs, obs.n, dims, memo);
	const { mean, sd } = standardise(obs.losses, obs.n);
	return { posterior: withFantasies(new Posterior(data, fit.hyper), pending), tau: (0 - mean) / sd };
}

/** log PF at (mu, s2) of GP_v, and its partial derivatives in mu and s2 (into `out`). */
export function logFeasible(tau: number, mu: number, s2: number, out: { dMu: number; dS2: number }): number {
	const s = Math.sqrt(s2);
	const z = (tau - mu) / s;
	const { value, dz } = logNormCdf(z);
	out.dMu = -dz / s;
	// dz/ds2 = -(tau - mu) / (2 s^3) = -z / (2 s2)
	out.dS2 = (-dz * z) / (2 * s2);
	return value;
}
