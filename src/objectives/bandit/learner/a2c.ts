/**
 * The A2C loss of a stored trajectory and its gradient with respect to the head outputs.
 *
 * Notation (row n = t B + b, N = T B; pi = softmax(logits), A = G - V treated as a constant)
 *   L_pi  = (1/N) sum_n -A_n log pi_n(a_n)                      policy gradient
 *   L_v   = (1/N) sum_n c_v (G_n - V_n)^2 / 2                    value (already times its coefficient)
 *   L_ent = (1/N) sum_n -c_e H(pi_n),  H = -sum_k pi_k log pi_k  entropy bonus
 *   L     = L_pi + L_v + L_ent
 * Gradients with respect to the head outputs (rows of dOutT [K+1, N]):
 *   dL_pi/dlogit_k  = -(1/N) A (1[k = a] - pi_k)
 *   dL_ent/dlogit_k =  (1/N) c_e pi_k (log pi_k + H)
 *   dL_v/dV         =  (1/N) c_v (V - G)
 */
import type { Trajectory } from './trajectory.js';

export const lossParts = ['policy', 'value', 'entropy', 'total'] as const;
export type LossPart = (typeof lossParts)[number];

export interface A2CCoefficients {
	readonly valueCoef: number;
	readonly entropyCoef: number;
}

export interface LossValues {
	readonly policy: number;
	readonly value: number;
	readonly entropy: number;
	readonly total: number;
	/** mean policy entropy per step (nats) */
	readonly meanEntropy: number;
}

/**
 * Fill dOutT [K+1, N] with the gradient of loss part `part` and return the values of all parts.
 * `returns` [N] are the targets G (see returns.ts).
 */
export function a2cOutputGrads(traj: Trajectory, returns: ArrayLike<number>, coefs: A2CCoefficients, dOutT: Float32Array, part: LossPart = 'total'): LossValues {
	const K = traj.layout.shape.arms;
	const N = traj.n;
	const { probs, logProbs, values, actions } = traj;
	const inv = 1 / N;
	const { valueCoef: cv, entropyCoef: ce } = coefs;
	const usePi = part === 'policy' || part === 'total';
	const useV = part === 'value' || part === 'total';
	const useEnt = part === 'entropy' || part === 'total';
	let lPi = 0;
	let lV = 0;
	let entSum = 0;
	for (let n = 0; n < N; n++) {
		const v = values[n] as number;
		const g = returns[n] as number;
		const adv = g - v;
		const a = actions[n] as number;
		let ent = 0;
		for (let k = 0; k < K; k++) {
			const p = probs[n * K + k] as number;
			if (p > 0) ent -= p * (logProbs[n * K + k] as number);
		}
		entSum += ent;
		lPi -= adv * (logProbs[n * K + a] as number);
		lV += 0.5 * adv * adv;
		for (let k = 0; k < K; k++) {
			const p = probs[n * K + k] as number;
			let d = 0;
			if (usePi) d -= adv * ((k === a ? 1 : 0) - p);
			if (useEnt) d += ce * p * ((logProbs[n * K + k] as number) + ent);
			dOutT[k * N + n] = d * inv;
		}
		dOutT[K * N + n] = useV ? cv * (v - g) * inv : 0;
	}
	const policy = lPi * inv;
	const value = cv * lV * inv;
	const entropy = -ce * entSum * inv;
	return { policy, value, entropy, total: policy + value + entropy, meanEntropy: entSum * inv };
}
