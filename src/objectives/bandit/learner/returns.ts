/**
 * Discounted returns from a per-step discount array (rlax style: the discount is an ordinary input,
 * gamma_t = 0 ends an episode), and their derivative with respect to a scalar discount gamma.
 *
 * Notation (time-major, row n = t B + b)
 *   r        [T, B]        rewards r_t
 *   discount [T] or [T, B] gamma_t (0 at the last step of an episode)
 *   G        [T, B]        G_t = r_t + gamma_t G_{t+1},  G_T = 0
 *   dG       [T, B]        dG_t/dgamma = m_t G_{t+1} + gamma_t dG_{t+1}/dgamma,  dG_T = 0,
 *                          where gamma_t = gamma m_t with m_t in {0, 1} (1 inside the episode)
 */

/** gamma_t = gamma for t < T - 1 and 0 at the last step. */
export function episodeDiscounts(gamma: number, steps: number): Float32Array {
	const d = new Float32Array(steps).fill(gamma);
	d[steps - 1] = 0;
	return d;
}

function discountAt(discount: ArrayLike<number>, t: number, n: number, perInstance: boolean): number {
	return (perInstance ? discount[n] : discount[t]) as number;
}

/** G_t = r_t + gamma_t G_{t+1} for every instance; returns `out` [T, B]. */
export function discountedReturns(rewards: ArrayLike<number>, discount: ArrayLike<number>, steps: number, batch: number, out: Float32Array = new Float32Array(steps * batch)): Float32Array {
	const perInstance = discount.length === steps * batch && batch > 1;
	for (let b = 0; b < batch; b++) {
		let g = 0;
		for (let t = steps - 1; t >= 0; t--) {
			const n = t * batch + b;
			g = (rewards[n] as number) + discountAt(discount, t, n, perInstance) * g;
			out[n] = g;
		}
	}
	return out;
}

/**
 * dG_t/dgamma for a discount gamma_t = gamma m_t (m_t = 1 where gamma_t > 0): the backward recursion
 * dG_t = m_t G_{t+1} + gamma_t dG_{t+1}. `returns` are the G of discountedReturns with the same discount.
 */
export function returnsGammaDerivative(returns: ArrayLike<number>, discount: ArrayLike<number>, steps: number, batch: number, out: Float32Array = new Float32Array(steps * batch)): Float32Array {
	const perInstance = discount.length === steps * batch && batch > 1;
	for (let b = 0; b < batch; b++) {
		let d = 0;
		for (let t = steps - 1; t >= 0; t--) {
			const n = t * batch + b;
			const g = discountAt(discount, t, n, perInstance);
			const next = t + 1 < steps ? (returns[n + batch] as number) : 0;
			d = (g > 0 ? next : 0) + g * d;
			out[n] = d;
		}
	}
	return out;
}
