/**
 * Encodings of the previous reward in the LSTM input, beside the scalar s r_{t-1} that is always fed.
 *
 *   scalar   no extra features (F = 0)
 *   rbf      F Gaussian bumps phi_i(r) = exp(-(r - c_i)^2 / (2 w^2)), centres c_i evenly spaced on
 *            [low, high] (c_0 = low, c_{F-1} = high), width w = (high - low) / (F - 1): a smooth one-hot
 *            of the reward's value. A scalar input must be decoded by steep gate nonlinearities to tell
 *            rewards 0.1 apart (the eleven-armed informative arm); with the bumps the mapping from the
 *            reward's value to an arm is close to linear. Rewards outside [low - 3w, high + 3w] give
 *            (almost) all-zero features; the scalar still carries their size.
 * The encoded r is the reward as used for learning (after reward_scale). At t = 0 (no previous
 * reward) the features are all zero.
 */

export type RewardEncoding = { readonly kind: 'scalar' } | { readonly kind: 'rbf'; readonly features: number; readonly low: number; readonly high: number };

/** Number of reward features F the encoding adds to the input row. */
export function rewardFeatureCount(encoding: RewardEncoding): number {
	switch (encoding.kind) {
		case 'scalar':
			return 0;
		case 'rbf':
			return encoding.features;
	}
}

/**
 * Features below this are written as exactly 0: a bump far from the reward reaches ~1e-43 (16
 * features on [0, 1]), a float32 subnormal, which some CPUs and kernels process far more slowly
 * (issue 14 measured 2.3x); at 1e-20 it is 20 orders of magnitude below the features that matter.
 */
const featureFloor = 1e-20;

/** Write the F features of reward r into out[offset .. offset + F). */
export function encodeReward(encoding: RewardEncoding, r: number, out: Float32Array, offset: number): void {
	switch (encoding.kind) {
		case 'scalar':
			return;
		case 'rbf': {
			const { features: F, low, high } = encoding;
			const w = F > 1 ? (high - low) / (F - 1) : Math.max(high - low, 1);
			const inv = 1 / (2 * w * w);
			for (let i = 0; i < F; i++) {
				const c = F > 1 ? low + i * w : (low + high) / 2;
				const d = r - c;
				const phi = Math.exp(-d * d * inv);
				out[offset + i] = phi < featureFloor ? 0 : phi;
			}
			return;
		}
	}
}
