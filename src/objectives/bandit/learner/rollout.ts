/**
 * One batched rollout of the LSTM actor-critic: B full episodes of T steps, actions sampled from the
 * policy with a seeded Rng. Everything the backward pass (bptt.ts) needs is kept, so the rollout runs
 * once and the gradient needs no second forward pass.
 *
 * Notation (row n = t B + b, time-major; see network.ts for K, H, E, D, R)
 *   xh       [N, R]  LSTM input rows [onehot(a_{t-1}) (K), s r_{t-1} (1), t / T (1), extras (E),
 *                    phi(r_{t-1}) (F), 1, h_{t-1} (H)]   (s = rewardInputScale, phi = rewardEncoding);
 *                    not filled on the agent's kernels with reward codes (coded holds the rows)
 * On the agent's kernels the rows (xh or coded), gates, cell, tanhCell and hidden stay in the kernels'
 * memory and reach these arrays only when the device saves them (device.ts, trajectory.ts).
 *   gates    [N, 4H] activations [i | f | o | g]
 *   cell     [N, H]  c_t;   tanhCell [N, H] tanh(c_t);   hidden [N, H] h_t
 *   probs    [N, K]  pi_t = softmax(logits_t);   logProbs [N, K]
 *   values   [N]     V_t;   actions [N];   rewards [N] (as used for learning: scaled)
 *   expected [N]     expected reward of the chosen arm (for regret)
 * At t = 0: a_{-1} gives an all-zero one-hot, r_{-1} = 0, phi = 0, h_{-1} = c_{-1} = 0.
 *
 * Extra inputs: a Float32Array of length E (the same for every step and instance, e.g. the discount)
 * or of length T B E (row n holds its E values at n E).
 */
import type { Rng } from '../../../core/rng.js';
import type { Device } from './device.js';
import { type RowSource, writeInputRows } from './input-rows.js';
import type { Layout } from './network.js';
import { encodeReward, rewardFeatureCount, type RewardEncoding } from './reward-encoding.js';
import type { Trajectory } from './trajectory.js';

/** The environment side of a rollout (BanditBatch satisfies it). */
export interface BanditEnv {
	readonly arms: number;
	readonly horizon: number;
	readonly batch: number;
	readonly means: Float64Array;
	reset(): void;
	step(actions: ArrayLike<number>, rewards: Float32Array): void;
}

/** The gates buffer of a rollout on the kernels, which never reads it. */
const noGates = new Float32Array(0);

export interface RolloutOptions {
	readonly extras?: Float32Array | undefined;
	/** Multiplies rewards before they are fed back and stored (learning signal); default 1. */
	readonly rewardScale?: number;
	/** Multiplies the previous reward in the network input only (after rewardScale); default 1. */
	readonly rewardInputScale?: number;
	/** Features of the previous reward (after rewardScale); must match layout.shape.rewardFeatures. Default scalar. */
	readonly rewardEncoding?: RewardEncoding;
	/** Take the most probable arm instead of sampling. */
	readonly greedy?: boolean;
	/**
	 * Replay this trajectory's actions and rewards instead of sampling and stepping the env (which is
	 * then neither reset nor stepped, and no random number is drawn): the network's outputs along the
	 * same experience, e.g. with other extra inputs.
	 */
	readonly replay?: Trajectory | undefined;
}

/**
 * Run B episodes on `env` (reset first) with parameters theta (already uploaded to `device`).
 * Fills `traj` and returns the undiscounted (unscaled) return of each episode in `returns` [B].
 */
export function rollout(layout: Layout, theta: Float32Array, device: Device, env: BanditEnv, rng: Rng, traj: Trajectory, options: RolloutOptions = {}, returns?: Float64Array): void {
	const { arms: K, hidden: H, extra: E } = layout.shape;
	const { row: R, inputs: D, headOffset, headBiasOffset, rewardFeatureOffset: fo } = layout;
	const F = layout.shape.rewardFeatures ?? 0;
	const encoding: RewardEncoding = options.rewardEncoding ?? { kind: 'scalar' };
	const B = traj.batch;
	const T = traj.steps;
	const G = 4 * H;
	if (env.batch !== B || env.horizon !== T || env.arms !== K)
		throw new RangeError(`rollout: env (B ${env.batch}, T ${env.horizon}, K ${env.arms}) does not match the trajectory (B ${B}, T ${T}, K ${K})`);
	const extras = options.extras;
	const perStepExtras = E > 0 && extras !== undefined && extras.length !== E;
	if (E > 0 && (extras === undefined || (extras.length !== E && extras.length !== T * B * E))) throw new RangeError(`rollout: expected ${E} or ${T * B * E} extra inputs, got ${extras?.length ?? 0}`);
	const scale = options.rewardScale ?? 1;
	const greedy = options.greedy ?? false;
	const inputScale = options.rewardInputScale ?? 1;
	if (rewardFeatureCount(encoding) !== F) throw new RangeError(`rollout: the reward encoding gives ${rewardFeatureCount(encoding)} features, the network expects ${F}`);
	const { xh, gates, cell, tanhCell, hidden, probs, logProbs, values, actions, rewards, expected } = traj;
	const scratch = traj.scratch;
	if (!device.direct && scratch.z === undefined) scratch.z = new Float32Array(B * G);
	const z = scratch.z ?? noGates;
	const codes = F > 0 ? device.rewardCodes : undefined;
	if (codes !== undefined && device.rows !== R - F + codes.length) throw new RangeError(`rollout: the device takes rows of ${device.rows}, not ${R - F + codes.length}`);
	if (codes !== undefined && traj.coded?.length !== T * B * device.rows) traj.coded = new Float32Array(T * B * device.rows);
	if (codes === undefined) traj.coded = undefined;
	const coded = traj.coded;
	// a reward's features are the same every time it recurs (rewards take few values: Bernoulli 0/1,
	// the eleven-armed payoffs): computed once per value and encoding instead of F exps per step
	if (scratch.encoding !== encoding) {
		scratch.features.clear();
		scratch.encoding = encoding;
	}
	const featureMemo = scratch.features;
	const featuresOf = (r: number): Float32Array => {
		let phi = featureMemo.get(r);
		if (phi === undefined) {
			phi = new Float32Array(F);
			encodeReward(encoding, r, phi, 0);
			if (featureMemo.size < 256) featureMemo.set(r, phi);
		}
		return phi;
	};
	const { act, rew, logits } = scratch;
	const headWeights = theta.subarray(headOffset, headBiasOffset + K + 1);
	const rowSource: RowSource = {
		arms: K,
		extra: E,
		rewardOffset: fo,
		features: F,
		hidden: H,
		steps: T,
		inputScale,
		extras,
		perStepExtras,
		codes,
		featuresOf,
		actions,
		rewards,
		hiddenRows: undefined,
	};
	const means = env.means;
	const replay = options.replay;
	if (replay !== undefined && (replay.steps !== T || replay.batch !== B))
		throw new RangeError(`rollout: the replayed trajectory (T ${replay.steps}, B ${replay.batch}) does not match (T ${T}, B ${B})`);
	returns?.fill(0);
	if (replay === undefined) env.reset();
	for (let t = 0; t < T; t++) {
		const n0 = t * B;
		let heads: Float64Array | undefined;
		if (device.direct) {
			// on the kernels: the rows straight into their memory in the device's layout, then the
			// product, the cell and the heads there (the same arithmetic as below: kernels.ts)
			// (the rows and h stay there too: the device copies them into coded or xh and hidden only
			// when another trajectory takes their place)
			const x = device.inputRows(traj, n0, B);
			writeInputRows(x, device.rows, t, n0, B, rowSource);
			device.forwardCell(B, t === 0, traj, n0);
			heads = device.headOutputs(headWeights, traj.n, n0, B, K + 1);
		} else {
			// Input rows.
			for (let b = 0; b < B; b++) {
				const n = n0 + b;
				const o = n * R;
				xh.fill(0, o, o + K);
				if (t > 0) {
					const p = n - B;
					xh[o + (actions[p] as number)] = 1;
					xh[o + K] = (rewards[p] as number) * inputScale;
					if (codes === undefined) xh.set(featuresOf(rewards[p] as number), o + fo);
					else xh.fill(0, o + fo, o + fo + F); // the product reads the code instead (traj.coded)
				} else {
					xh[o + K] = 0;
					xh.fill(0, o + fo, o + fo + F);
				}
				xh[o + K + 1] = t / T;
				for (let e = 0; e < E; e++) xh[o + K + 2 + e] = (perStepExtras ? extras![n * E + e] : extras![e]) as number;
				xh[o + D] = 1;
			}
			// plain loops: a subarray per row and step cost more than the copy (~6k of them per update at B 64)
			if (t > 0)
				for (let b = 0; b < B; b++) {
					const from = (n0 - B + b) * H;
					const to = (n0 + b) * R + D + 1;
					for (let j = 0; j < H; j++) xh[to + j] = hidden[from + j] as number;
				}
			else for (let b = 0; b < B; b++) xh.fill(0, b * R + D + 1, (b + 1) * R);
			let rows = xh.subarray(n0 * R, (n0 + B) * R);
			if (codes !== undefined) {
				// the same rows with the reward features replaced by a one-hot of the previous reward's value
				const V = codes.length;
				const Rc = R - F + V;
				const xc = coded as Float32Array;
				for (let b = 0; b < B; b++) {
					const o = (n0 + b) * R;
					const oc = (n0 + b) * Rc;
					for (let i = 0; i < fo; i++) xc[oc + i] = xh[o + i] as number;
					for (let v = 0; v < V; v++) xc[oc + fo + v] = 0;
					if (t > 0) {
						const r = rewards[n0 - B + b] as number;
						const v = codes.indexOf(r);
						if (v < 0) throw new RangeError(`rollout: reward ${r} is not one of the device's reward codes (${codes.join(', ')})`);
						xc[oc + fo + v] = 1;
					}
					for (let i = fo + F; i < R; i++) xc[oc + i - F + V] = xh[o + i] as number;
				}
				rows = xc.subarray(n0 * Rc, (n0 + B) * Rc);
			}
			// The cell: on the agent's kernels in one call with the product (the same float64 arithmetic
			// and exp as below: kernels.ts), then the heads there too; else here.
			device.forwardGates(rows, B, z);
		}
		for (let b = 0; b < B; b++) {
			const n = n0 + b;
			const zo = b * G;
			const go = n * G;
			const ho = n * H;
			const co = (n - B) * H;
			if (!device.direct)
				for (let j = 0; j < H; j++) {
					const i = z[zo + j] as number;
					const f = z[zo + H + j] as number;
					const og = z[zo + 2 * H + j] as number;
					const g = 2 * (z[zo + 3 * H + j] as number) - 1;
					gates[go + j] = i;
					gates[go + H + j] = f;
					gates[go + 2 * H + j] = og;
					gates[go + 3 * H + j] = g;
					const c = (t > 0 ? f * (cell[co + j] as number) : 0) + i * g;
					const tc = 2 / (1 + Math.exp(-2 * c)) - 1;
					cell[ho + j] = c;
					tanhCell[ho + j] = tc;
					hidden[ho + j] = og * tc;
				}
			// Heads: logits (K) and value (on the kernels: the same float64 sums).
			if (heads !== undefined) for (let k = 0; k <= K; k++) logits[k] = heads[b * (K + 1) + k] as number;
			else
				for (let k = 0; k <= K; k++) {
					let s = theta[headBiasOffset + k] as number;
					const wo = headOffset + k * H;
					for (let j = 0; j < H; j++) s += (theta[wo + j] as number) * (hidden[ho + j] as number);
					logits[k] = s;
				}
			values[n] = logits[K] as number;
			let max = -Infinity;
			for (let k = 0; k < K; k++) if ((logits[k] as number) > max) max = logits[k] as number;
			let sum = 0;
			for (let k = 0; k < K; k++) sum += Math.exp((logits[k] as number) - max);
			const logSum = max + Math.log(sum);
			let a = K - 1;
			let best = -Infinity;
			const u = greedy || replay !== undefined ? 0 : rng.next();
			let acc = 0;
			let chosen = false;
			for (let k = 0; k < K; k++) {
				const lp = (logits[k] as number) - logSum;
				const p = Math.exp(lp);
				logProbs[n * K + k] = lp;
				probs[n * K + k] = p;
				if (greedy) {
					if (lp > best) {
						best = lp;
						a = k;
					}
				} else if (!chosen) {
					acc += p;
					if (u < acc) {
						a = k;
						chosen = true;
					}
				}
			}
			if (replay !== undefined) a = replay.actions[n] as number;
			act[b] = a;
			actions[n] = a;
		}
		if (replay !== undefined) {
			for (let b = 0; b < B; b++) {
				const n = n0 + b;
				rewards[n] = replay.rewards[n] as number;
				expected[n] = replay.expected[n] as number;
				if (returns) returns[b] = (returns[b] as number) + (replay.rewards[n] as number) / scale;
			}
			continue;
		}
		env.step(act, rew);
		for (let b = 0; b < B; b++) {
			const n = n0 + b;
			const r = rew[b] as number;
			rewards[n] = r * scale;
			expected[n] = means[b * K + (act[b] as number)] as number;
			if (returns) returns[b] = (returns[b] as number) + r;
		}
	}
}
