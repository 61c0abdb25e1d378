/**
 * The A2C-LSTM bandit agent: parameters, optimiser state and the update step.
 *
 * One update (`train`): roll out B full episodes with the current policy (rollout.ts, sampling from
 * the seeded Rng), compute returns from the per-step discounts (returns.ts), the A2C output gradients
 * (a2c.ts), backpropagate through time once (bptt.ts; no second forward pass), clip the global
 * gradient norm and apply Adam or RMSProp (optimizer.ts) to the trainable parameters.
 *
 * The active TensorFlow.js backend (backend.ts, `initBackend`) must be ready before an Agent is made;
 * it runs the matrix products (device.ts). Call `dispose()` to free its tensors.
 */
import { Rng } from '../../../core/rng.js';
import { a2cOutputGrads, type LossPart, type LossValues } from './a2c.js';
import { type AgentConfig, entropyCoefAt } from './agent-config.js';
import { backward, bpttScratch, type BpttScratch } from './bptt.js';
import { Device } from './device.js';
import { initParams, type Layout, layoutOf, trainableMask } from './network.js';
import { applyUpdate, newOptimizerState, type OptimizerState } from './optimizer.js';
import { encodeReward, type RewardEncoding, rewardFeatureCount } from './reward-encoding.js';
import { discountedReturns, episodeDiscounts } from './returns.js';
import { armCount, defaultHorizon, isBernoulli } from '../bandits/tasks.js';
import { type BanditEnv, rollout, type RolloutOptions } from './rollout.js';
import { Trajectory } from './trajectory.js';

export interface AgentState {
	readonly theta?: Float32Array;
	readonly optimizer?: OptimizerState;
	readonly episodesTrained?: number;
	readonly updates?: number;
}

export interface UpdateStats {
	/** mean undiscounted (unscaled) episode return of this update's B episodes */
	readonly meanReturn: number;
	/** sum of all rewards of the update (unscaled) */
	readonly rewardSum: number;
	readonly loss: LossValues;
	readonly gradNorm: number;
	readonly entropyCoef: number;
}

/** Sum and mean of the undiscounted returns of a batch's B episodes. */
export function batchReturns(episodeReturns: Float64Array, batch: number): { meanReturn: number; rewardSum: number } {
	let rewardSum = 0;
	for (let b = 0; b < batch; b++) rewardSum += episodeReturns[b] as number;
	return { meanReturn: rewardSum / batch, rewardSum };
}

/** A replay draws no random number; rollout still takes a generator. */
const unusedRng = new Rng(0);

export class Agent {
	readonly layout: Layout;
	readonly horizon: number;
	readonly theta: Float32Array;
	readonly optimizer: OptimizerState;
	readonly mask: Uint8Array;
	/** the mask the optimiser reads: undefined when no parameter is frozen (the same update, without reading the mask) */
	private readonly updateMask: Uint8Array | undefined;
	readonly device: Device;
	readonly discounts: Float32Array;
	episodesTrained: number;
	updates: number;
	private uploaded = false;
	private uploadScratch: UploadScratch | undefined;
	private readonly replays = new Map<number, Trajectory>();
	private readonly buffers = new Map<number, BatchBuffers>();

	constructor(
		readonly config: AgentConfig,
		rng: Rng,
		state: AgentState = {},
		/** rewardCodes false: feed the reward features to the product even where codes could stand for them (tests) */
		options: { readonly rewardCodes?: boolean } = {},
	) {
		this.layout = layoutOf({ arms: armCount(config.task), hidden: config.hidden, extra: config.extra_inputs, rewardFeatures: rewardFeatureCount(config.reward_encoding) });
		this.horizon = config.horizon ?? defaultHorizon(config.task);
		this.theta = state.theta ? Float32Array.from(state.theta) : initParams(this.layout, rng.split('init'));
		if (this.theta.length !== this.layout.size) throw new RangeError(`agent: ${this.theta.length} parameters given, the network has ${this.layout.size}`);
		this.optimizer = state.optimizer ?? newOptimizerState(config.optimizer, this.layout.size);
		this.mask = trainableMask(this.layout, config.frozen);
		this.updateMask = this.mask.includes(0) ? this.mask : undefined;
		const codes = options.rewardCodes === false ? undefined : rewardCodes(config, this.layout);
		const F = this.layout.shape.rewardFeatures ?? 0;
		if (codes === undefined) this.device = new Device(this.layout.row, this.layout.gates, config.hidden);
		else {
			const phi = new Float32Array(codes.length * F);
			codes.forEach((code, v) => {
				encodeReward(config.reward_encoding, code, phi, v * F);
			});
			this.device = new Device(this.layout.row - F + codes.length, this.layout.gates, config.hidden, codes, phi);
		}
		this.discounts = episodeDiscounts(config.gamma, this.horizon);
		this.episodesTrained = state.episodesTrained ?? 0;
		this.updates = state.updates ?? 0;
	}

	/** Reusable buffers for batch size B (training and evaluation may use different B). */
	private buffersFor(batch: number) {
		let buf = this.buffers.get(batch);
		if (!buf) {
			buf = new BatchBuffers(this.layout, this.horizon, batch, this.config.reward_encoding);
			this.buffers.set(batch, buf);
		}
		return buf;
	}

	/** What upload writes: lstm2, recT and the coded rows, allocated once (typed arrays this size are off the JS heap, and ~100 KB of them per update drove V8's external-memory collections). */
	private uploadBuffers(): UploadScratch {
		if (this.uploadScratch === undefined) {
			const { row: R, gates: G } = this.layout;
			const phi = this.device.rewardCodePhi;
			const F = this.layout.shape.rewardFeatures ?? 0;
			this.uploadScratch = new UploadScratch(R, G, this.config.hidden, phi === undefined ? undefined : new CodedRows((R - F + phi.length / F) * G, G));
		}
		return this.uploadScratch;
	}

	/**
	 * The device's weights from theta: lstm2 (the g columns doubled, coded rows where the device takes
	 * reward codes) and recT. On the kernels they are written straight into the kernels' memory (only
	 * the coded case keeps lstm2 here, as codedRows' input), so that an update touches no second copy.
	 */
	private upload(): void {
		if (this.uploaded) return;
		const { row: R, gates: G } = this.layout;
		const lstm = this.theta.subarray(0, R * G);
		const phi = this.device.rewardCodePhi;
		if (this.device.direct) {
			const views = this.device.weightViews();
			if (phi === undefined) doubledG(lstm, R, G, views.lstm);
			else {
				const { lstm2, coded } = this.uploadBuffers();
				doubledG(lstm, R, G, lstm2);
				codedRows(lstm2, this.layout, phi, coded as CodedRowsScratch, views.lstm);
			}
			recurrentT(lstm, this.layout, views.recT);
		} else {
			const { lstm2, recT, coded } = this.uploadBuffers();
			doubledG(lstm, R, G, lstm2);
			recurrentT(lstm, this.layout, recT);
			this.device.setWeights(phi === undefined || coded === undefined ? lstm2 : codedRows(lstm2, this.layout, phi, coded, coded.out), recT);
		}
		this.uploaded = true;
	}

	/** Mark theta as changed from outside (e.g. loaded weights) so it is uploaded again. */
	invalidate(): void {
		this.uploaded = false;
	}

	/**
	 * Play B episodes on env without learning. Returns the trajectory (valid until the next call with
	 * the same batch size) and the undiscounted episode returns [B].
	 */
	play(env: BanditEnv, rng: Rng, options: RolloutOptions = {}): { traj: Trajectory; returns: Float64Array } {
		this.upload();
		const buf = this.buffersFor(env.batch);
		rollout(this.layout, this.theta, this.device, env, rng, buf.traj, this.rolloutOptions(options.extras, options.greedy ?? false, options.replay, options), buf.episodeReturns);
		return { traj: buf.traj, returns: buf.episodeReturns };
	}

	/**
	 * The network's outputs along `traj`'s actions and rewards, with other extra inputs (e.g. the
	 * meta-objective's reference discount): a trajectory for `gradient`/BPTT, valid until the next
	 * replay with the same batch size; `play`'s buffers are left alone.
	 */
	replay(traj: Trajectory, env: BanditEnv, extras: Float32Array | undefined): Trajectory {
		this.upload();
		let out = this.replays.get(traj.batch);
		if (out === undefined) {
			out = new Trajectory(this.layout, this.horizon, traj.batch, this.config.reward_encoding);
			this.replays.set(traj.batch, out);
		}
		rollout(this.layout, this.theta, this.device, env, unusedRng, out, this.rolloutOptions(extras, false, traj));
		return out;
	}

	/**
	 * Every rollout's options, built in one place with the same fields in the same order: a training
	 * step, an evaluation ({greedy}) and a replay then pass objects of one shape, so that V8's
	 * optimised rollout, compiled for the first, is not thrown away by the next (an object of another
	 * shape would discard it at each lifetime's evaluation, and the next lifetime would compile it
	 * again). `overrides` (play's callers) may replace the config's reward scales and encoding.
	 */
	private rolloutOptions(extras: Float32Array | undefined, greedy: boolean, replay: Trajectory | undefined, overrides: RolloutOptions = {}): RolloutOptions {
		return {
			extras,
			rewardScale: overrides.rewardScale ?? this.config.reward_scale,
			rewardInputScale: overrides.rewardInputScale ?? this.config.reward_input_scale,
			rewardEncoding: overrides.rewardEncoding ?? this.config.reward_encoding,
			greedy,
			replay,
		};
	}

	/**
	 * Gradient of loss part `part` for a trajectory from `play` (a fresh copy). `discounts` [T] default
	 * to the config's gamma (the meta-gradient tuner passes its current one).
	 */
	gradient(
		traj: Trajectory,
		part: LossPart = 'total',
		entropyCoef = entropyCoefAt(this.config, this.episodesTrained),
		discounts: Float32Array = this.discounts,
	): { grad: Float32Array; loss: LossValues } {
		this.upload();
		const buf = this.buffersFor(traj.batch);
		const returns = discountedReturns(traj.rewards, discounts, traj.steps, traj.batch, buf.returns);
		const loss = a2cOutputGrads(traj, returns, { valueCoef: this.config.value_coef, entropyCoef }, buf.dOutT, part);
		const grad = backward(this.layout, this.theta, this.device, traj, buf.dOutT, buf.scratch);
		return { grad: Float32Array.from(grad), loss };
	}

	/** One A2C update from B fresh episodes on env (env.batch is B). */
	train(env: BanditEnv, rng: Rng, extras?: Float32Array): UpdateStats {
		const { traj, returns: episodeReturns } = this.play(env, rng, extras ? { extras } : {});
		const buf = this.buffersFor(env.batch);
		const entropyCoef = entropyCoefAt(this.config, this.episodesTrained);
		const returns = discountedReturns(traj.rewards, this.discounts, traj.steps, traj.batch, buf.returns);
		const loss = a2cOutputGrads(traj, returns, { valueCoef: this.config.value_coef, entropyCoef }, buf.dOutT, 'total');
		// the trajectory is play's, rolled out here and rewritten by the next play: its one gradient may consume it
		const grad = backward(this.layout, this.theta, this.device, traj, buf.dOutT, buf.scratch, true);
		const gradNorm = this.applyGradient(grad, env.batch);
		return { ...batchReturns(episodeReturns, env.batch), loss, gradNorm, entropyCoef };
	}

	/**
	 * One optimiser step with a gradient computed on `batch` fresh episodes: clip, update theta, count
	 * the episodes and the update. Returns the gradient norm before clipping.
	 */
	applyGradient(grad: Float32Array, batch: number): number {
		const norm = applyUpdate(this.optimizer, this.theta, grad, this.config.lr, this.config.grad_clip, this.updateMask, this.config);
		this.uploaded = false;
		this.episodesTrained += batch;
		this.updates += 1;
		return norm;
	}

	dispose(): void {
		this.device.dispose();
		this.uploaded = false;
	}
}

/**
 * The previous-reward values of a task whose rewards take only these values (the Bernoulli two-armed
 * tasks: 0 and the scaled 1), when the network encodes the reward by features: the forward product
 * then takes a one-hot of the value instead of its F features, a row of 2 columns instead of 16
 * (with the feature memo of rollout.ts, bench agent: the default network from ~85% of the featureless
 * one's speed to 91-96%, docs/design-notes.md). The same function: a code's weights are the features
 * of that value times the feature weights (codedRows), and bptt.ts maps the gradient back.
 */
function rewardCodes(config: AgentConfig, layout: Layout): number[] | undefined {
	const F = layout.shape.rewardFeatures ?? 0;
	if (F <= 2 || !isBernoulli(config.task)) return undefined;
	return [0, Math.fround(config.reward_scale)];
}

/** out [R, G] = the LSTM weights lstm [R, G] with the g columns (the last quarter) doubled. */
function doubledG(lstm: Float32Array, R: number, G: number, out: Float32Array): void {
	const H = G / 4;
	out.set(lstm);
	for (let r = 0; r < R; r++) for (let c = 3 * H; c < G; c++) out[r * G + c] = 2 * (lstm[r * G + c] as number);
}

/** out [G, H] = the recurrent rows of the LSTM weights lstm [R, G], transposed. */
function recurrentT(lstm: Float32Array, layout: Layout, out: Float32Array): void {
	const { gates: G, inputs: D } = layout;
	const H = G / 4;
	const rec0 = (D + 1) * G;
	for (let j = 0; j < H; j++) for (let c = 0; c < G; c++) out[c * H + j] = lstm[rec0 + j * G + c] as number;
}

/** out [R - F + V, G] = lstm2 [R, G] with its F reward-feature rows replaced by one row per reward code v: sum_i phi[v, i] row_i (phi [V, F]: the device's rewardCodePhi). */
function codedRows(lstm2: Float32Array, layout: Layout, phi: Float32Array, scratch: CodedRowsScratch, out: Float32Array): Float32Array {
	const { gates: G, rewardFeatureOffset: fo } = layout;
	const F = layout.shape.rewardFeatures ?? 0;
	const V = phi.length / F;
	const { acc } = scratch;
	out.set(lstm2.subarray(0, fo * G), 0);
	for (let v = 0; v < V; v++) {
		acc.fill(0);
		for (let i = 0; i < F; i++) {
			const p = phi[v * F + i] as number;
			if (p === 0) continue;
			const row = (fo + i) * G;
			for (let c = 0; c < G; c++) acc[c] = (acc[c] as number) + p * (lstm2[row + c] as number);
		}
		out.set(acc, (fo + v) * G);
	}
	out.set(lstm2.subarray((fo + F) * G), (fo + V) * G);
	return out;
}

/** codedRows' output [R - F + V, G] and its float64 accumulator [G], kept by the agent across updates. */
interface CodedRowsScratch {
	readonly out: Float32Array;
	readonly acc: Float64Array;
}

// Classes, not object literals: V8 makes a literal that runs again (the next lifetime's agent in the
// same worker) a copied boilerplate, generalising its fields' types, which discards the optimised
// upload of the first lifetime; a constructor's objects keep them.

/** An update's buffers for batch size B: the trajectory, BPTT's scratch, the heads' output gradients [K + 1, T B], the returns [T B] and the episode returns [B]. */
class BatchBuffers {
	readonly traj: Trajectory;
	readonly scratch: BpttScratch;
	readonly dOutT: Float32Array;
	readonly returns: Float32Array;
	readonly episodeReturns: Float64Array;
	constructor(layout: Layout, horizon: number, batch: number, encoding: RewardEncoding) {
		this.traj = new Trajectory(layout, horizon, batch, encoding);
		this.scratch = bpttScratch(layout, this.traj.n);
		this.dOutT = new Float32Array((layout.shape.arms + 1) * this.traj.n);
		this.returns = new Float32Array(this.traj.n);
		this.episodeReturns = new Float64Array(batch);
	}
}

class CodedRows implements CodedRowsScratch {
	readonly out: Float32Array;
	readonly acc: Float64Array;
	constructor(outSize: number, gates: number) {
		this.out = new Float32Array(outSize);
		this.acc = new Float64Array(gates);
	}
}

/** What upload writes: the doubled LSTM weights [R, G], the transposed recurrent ones [G, H] and the coded rows. */
class UploadScratch {
	readonly lstm2: Float32Array;
	readonly recT: Float32Array;
	constructor(
		rows: number,
		gates: number,
		hidden: number,
		readonly coded: CodedRows | undefined,
	) {
		this.lstm2 = new Float32Array(rows * gates);
		this.recT = new Float32Array(gates * hidden);
	}
}
