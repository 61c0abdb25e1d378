/**
 * Float64 re-implementation of the A2C loss for finite-difference checks: replays a trajectory's
 * actions and rewards under parameters theta (see a2c.ts for the formula; advantages are given).
 */
import type { Layout } from '../../../../src/objectives/bandit/learner/network.js';
import { encodeReward, type RewardEncoding } from '../../../../src/objectives/bandit/learner/reward-encoding.js';
import type { Trajectory } from '../../../../src/objectives/bandit/learner/trajectory.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Float64 loss of `traj`'s actions and rewards under parameters theta (see a2c.ts for the formula). */
export function referenceLoss(
	layout: Layout,
	theta: Float64Array,
	traj: Trajectory,
	extras: Float32Array,
	returns: Float32Array,
	advantages: Float64Array,
	cv: number,
	ce: number,
	encoding: RewardEncoding = { kind: 'scalar' },
): number {
	const { arms: K, hidden: H, extra: E } = layout.shape;
	const { row: R, inputs: D, gates: G, headOffset, headBiasOffset } = layout;
	const features = new Float32Array(layout.shape.rewardFeatures ?? 0);
	const { steps: T, batch: B, n: N } = traj;
	let loss = 0;
	for (let b = 0; b < B; b++) {
		let h = new Float64Array(H);
		let c = new Float64Array(H);
		for (let t = 0; t < T; t++) {
			const n = t * B + b;
			const x = new Float64Array(R);
			if (t > 0) {
				x[traj.actions[n - B] as number] = 1;
				const r = traj.rewards[n - B] as number;
				x[K] = r;
				encodeReward(encoding, r, features, 0);
				x.set(features, K + 2 + E);
			}
			x[K + 1] = t / T;
			for (let e = 0; e < E; e++) x[K + 2 + e] = extras[e] as number;
			x[D] = 1;
			x.set(h, D + 1);
			const z = new Float64Array(G);
			for (let r = 0; r < R; r++) for (let j = 0; j < G; j++) z[j]! += x[r]! * theta[r * G + j]!;
			const h2 = new Float64Array(H);
			const c2 = new Float64Array(H);
			for (let j = 0; j < H; j++) {
				c2[j] = sigmoid(z[H + j]!) * c[j]! + sigmoid(z[j]!) * Math.tanh(z[3 * H + j]!);
				h2[j] = sigmoid(z[2 * H + j]!) * Math.tanh(c2[j]!);
			}
			h = h2;
			c = c2;
			const out = new Float64Array(K + 1);
			for (let k = 0; k <= K; k++) {
				out[k] = theta[headBiasOffset + k]!;
				for (let j = 0; j < H; j++) out[k]! += theta[headOffset + k * H + j]! * h[j]!;
			}
			const max = Math.max(...out.subarray(0, K));
			let s = 0;
			for (let k = 0; k < K; k++) s += Math.exp(out[k]! - max);
			const logZ = max + Math.log(s);
			let ent = 0;
			for (let k = 0; k < K; k++) ent -= Math.exp(out[k]! - logZ) * (out[k]! - logZ);
			const a = traj.actions[n] as number;
			loss += -advantages[n]! * (out[a]! - logZ) + cv * 0.5 * (returns[n]! - out[K]!) ** 2 - ce * ent;
		}
	}
	return loss / N;
}
