/**
 * Backpropagation through time for the LSTM actor-critic, from the gradient of any loss with respect
 * to the head outputs of a stored trajectory (rollout.ts) to the gradient with respect to theta.
 * Linear in dOut: the A2C loss, its parts (grad-stats.ts) and later meta-gradient pseudo-losses all
 * use this one routine. Checked against central finite differences of an independent float64
 * re-implementation of the loss (test/objectives/bandit/learner/a2c.test.ts) and, through the meta-gradient,
 * of J'(theta'(eta)) (test/objectives/bandit/lifetimes/meta-gradient.test.ts); not against tfjs autodiff.
 *
 * Notation (row n = t B + b; see network.ts and rollout.ts)
 *   dOutT [K+1, N]   dL/dlogits (rows 0..K-1) and dL/dV (row K), column n
 *   dh_t = W_head^T dOut_t + dh_t^next,      dh_t^next = W_rec dz_{t+1}   (zero at t = T-1)
 *   dc_t = dh_t o_t (1 - tanh^2 c_t) + dc_{t+1} f_{t+1}
 *   dz_i = dc g i (1-i);  dz_f = dc c_{t-1} f (1-f);  dz_o = dh tanh(c) o (1-o);  dz_g = dc i (1-g^2)
 *   dW_lstm [R, 4H] = xh^T dz  (one product over all N rows on the device, dz [N, 4H] kept whole)
 *   dW_head [K+1, H] = dOutT h (on the device);   dhbias = row sums of dOutT
 */
import type { Device } from './device.js';
import type { Layout } from './network.js';
import type { Trajectory } from './trajectory.js';

export interface BpttScratch {
	readonly grad: Float32Array;
	/** the LSTM weight gradient as the device's forward product saw its rows: [device.rows, 4H] */
	readonly lstmRows: Float32Array;
}

/** A class, not an object literal, so that each lifetime's scratch keeps its fields' types in V8 (see RolloutScratch in rollout.ts). */
class BpttBuffers implements BpttScratch {
	readonly grad: Float32Array;
	readonly lstmRows: Float32Array;
	constructor(layout: Layout) {
		this.grad = new Float32Array(layout.size);
		this.lstmRows = new Float32Array(layout.lstmSize + 8 * layout.gates);
	}
}

export function bpttScratch(layout: Layout, _n: number): BpttScratch {
	return new BpttBuffers(layout);
}

/**
 * Gradient of a loss with respect to theta given its gradient dOutT with respect to the head outputs.
 * Writes into and returns `scratch.grad` (overwritten on the next call with the same scratch).
 */
export function backward(
	layout: Layout,
	theta: Float32Array,
	device: Device,
	traj: Trajectory,
	dOutT: Float32Array,
	scratch: BpttScratch = bpttScratch(layout, traj.n),
	/** no other gradient of traj follows before its next rollout (device.ts backwardSteps: dz then goes over its gates) */
	consume = false,
): Float32Array {
	const { arms: K, hidden: H } = layout.shape;
	const { row: R, headOffset, headBiasOffset } = layout;
	const G = 4 * H;
	const N = traj.n;
	const { grad, lstmRows } = scratch;
	if (device.direct) device.backwardSteps(traj, dOutT, theta.subarray(headOffset, headBiasOffset), K + 1, consume);
	else backwardSteps(layout, theta, device, traj, dOutT);
	// Weight gradients: LSTM on the device, heads too (both one product each).
	const coded = traj.coded;
	const phi = device.rewardCodePhi;
	if (coded === undefined || phi === undefined) {
		device.weightGradient(traj.xh, N, grad.subarray(0, R * G));
	} else {
		// the forward product saw a one-hot of the previous reward's value (codes) where the features
		// were: the product gives d(code rows), and feature row i's gradient is sum_v phi_i(v) d(code v)
		const { rewardFeatureOffset: fo } = layout;
		const F = layout.shape.rewardFeatures ?? 0;
		const V = phi.length / F;
		const Rc = R - F + V;
		const w = lstmRows.subarray(0, Rc * G);
		device.weightGradient(coded, N, w);
		grad.set(w.subarray(0, fo * G), 0);
		for (let i = 0; i < F; i++) {
			for (let c = 0; c < G; c++) {
				let g = 0;
				for (let v = 0; v < V; v++) g += (phi[v * F + i] as number) * (w[(fo + v) * G + c] as number);
				grad[(fo + i) * G + c] = g;
			}
		}
		grad.set(w.subarray((fo + V) * G, Rc * G), (fo + F) * G);
	}
	device.headWeightGradient(dOutT, K + 1, traj, grad.subarray(headOffset, headBiasOffset));
	for (let k = 0; k <= K; k++) {
		let s = 0;
		for (let n = 0; n < N; n++) s += dOutT[k * N + n] as number;
		grad[headBiasOffset + k] = s;
	}
	return grad;
}

/** The loop over the steps in JavaScript (the device without the kernels; kernels.ts repeats it). */
function backwardSteps(layout: Layout, theta: Float32Array, device: Device, traj: Trajectory, dOutT: Float32Array): void {
	const { arms: K, hidden: H } = layout.shape;
	const { headOffset } = layout;
	const G = 4 * H;
	const B = traj.batch;
	const T = traj.steps;
	const N = traj.n;
	const { gates, cell, tanhCell } = traj;
	const { dz, dh: dhNext } = device.backwardBuffers(N, B);
	const dcNext = new Float32Array(B * H);
	const dh = new Float64Array(H);
	for (let t = T - 1; t >= 0; t--) {
		const n0 = t * B;
		for (let b = 0; b < B; b++) {
			const n = n0 + b;
			for (let j = 0; j < H; j++) dh[j] = t < T - 1 ? (dhNext[b * H + j] as number) : 0;
			for (let k = 0; k <= K; k++) {
				const d = dOutT[k * N + n] as number;
				if (d === 0) continue;
				const wo = headOffset + k * H;
				for (let j = 0; j < H; j++) dh[j] = (dh[j] as number) + d * (theta[wo + j] as number);
			}
			const go = n * G;
			const ho = n * H;
			const po = (n - B) * H;
			const zo = go;
			for (let j = 0; j < H; j++) {
				const i = gates[go + j] as number;
				const f = gates[go + H + j] as number;
				const o = gates[go + 2 * H + j] as number;
				const g = gates[go + 3 * H + j] as number;
				const tc = tanhCell[ho + j] as number;
				const d = dh[j] as number;
				const dc = d * o * (1 - tc * tc) + (t < T - 1 ? (dcNext[b * H + j] as number) : 0);
				const cPrev = t > 0 ? (cell[po + j] as number) : 0;
				const zi = dc * g * i * (1 - i);
				const zf = dc * cPrev * f * (1 - f);
				const zoo = d * tc * o * (1 - o);
				const zg = dc * i * (1 - g * g);
				dz[zo + j] = zi;
				dz[zo + H + j] = zf;
				dz[zo + 2 * H + j] = zoo;
				dz[zo + 3 * H + j] = zg;
				dcNext[b * H + j] = dc * f;
			}
		}
		if (t > 0) device.recurrentBackRows(n0, B);
	}
}
