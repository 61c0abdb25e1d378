/**
 * The agent's update written the usual TensorFlow.js way, measured by src/bench/scripts/bench-tape.ts
 * beside the hand-written one: the rollout runs inside the gradient tape (tf.variableGrads), the LSTM
 * cell, heads and A2C loss are tfjs ops, and tf.train.adam applies the update. The same network, inputs (one-hot
 * previous action, previous reward, t / T, RBF reward features), loss (value coefficient 0.05, the
 * entropy schedule), clip 1 and Adam 0.02 as agent.ts on dependent-uniform; actions are sampled in
 * JavaScript from the probabilities read back each step, as a tfjs program must (no stop-gradient op).
 * It is what the hand-written BPTT (bptt.ts) is measured against in docs/design-notes.md.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../../core/rng.js';
import { BanditBatch } from '../bandits/tasks.js';
import { type AgentConfig, entropyCoefAt, parseAgentConfig } from './agent-config.js';
import type { BackendChoice, BackendName } from './backend-choices.js';
import { initBackend } from './backend.js';
import { encodeReward, rewardFeatureCount } from './reward-encoding.js';

export interface TapeOptions {
	readonly backend: BackendChoice;
	readonly batch: number;
	readonly seconds: number;
	readonly hidden: number;
	/** RBF features of the previous reward (0: scalar only); default the agent's */
	readonly rewardFeatures?: number;
	readonly seed: number;
}

export interface TapeRow {
	readonly backend: BackendName;
	readonly version: string;
	readonly batch: number;
	readonly updates: number;
	readonly stepsPerSecond: number;
	readonly msPerUpdate: number;
}

const K = 2;

/** The command that installs what the tape needs, for messages. */
const tapeInstall = 'npm install --no-save @tensorflow/tfjs@4.22.0';

/**
 * tfjs-core's Node build has no gradient functions: they are registered by the `@tensorflow/tfjs`
 * package (a development-only extra, not a dependency of metatune), whose Node bundle registers every
 * op's gradient with the same tfjs-core this module uses.
 */
function registerGradients(): void {
	try {
		createRequire(import.meta.url)('@tensorflow/tfjs');
	} catch {
		throw new Error(`the tape reference needs @tensorflow/tfjs for the gradients of tfjs ops: run \`${tapeInstall}\` in the clone`);
	}
}

class TapeAgent {
	readonly horizon: number;
	readonly inputs: number;
	readonly kernel: tf.Variable;
	readonly bias: tf.Variable;
	readonly head: tf.Variable;
	readonly headBias: tf.Variable;
	readonly optimizer: tf.Optimizer;
	readonly phi: Float32Array[];
	episodes = 0;

	constructor(
		readonly config: AgentConfig,
		rng: Rng,
	) {
		const H = config.hidden;
		const F = rewardFeatureCount(config.reward_encoding);
		this.horizon = config.horizon ?? 100;
		this.inputs = K + 2 + F;
		const s = 1 / Math.sqrt(H);
		const uniform = (n: number) => Float32Array.from({ length: n }, () => rng.uniform(-s, s));
		this.kernel = tf.variable(tf.tensor2d(uniform((this.inputs + H) * 4 * H), [this.inputs + H, 4 * H]));
		const bias = new Float32Array(4 * H);
		bias.fill(1, H, 2 * H); // forget gate; gate order i, f, o, g as in network.ts
		this.bias = tf.variable(tf.tensor1d(bias));
		this.head = tf.variable(tf.tensor2d(uniform(H * (K + 1)), [H, K + 1]));
		this.headBias = tf.variable(tf.zeros([K + 1]));
		this.optimizer = tf.train.adam(config.lr);
		this.phi = [0, 1].map((r) => {
			const out = new Float32Array(F);
			encodeReward(config.reward_encoding, r, out, 0);
			return out;
		});
	}

	/** One A2C update on B fresh episodes, the rollout recorded by the tape. */
	update(env: BanditBatch, rng: Rng): void {
		const { hidden: H, gamma, value_coef: cv, grad_clip: clip } = this.config;
		const B = env.batch;
		const T = this.horizon;
		const D = this.inputs;
		const ce = entropyCoefAt(this.config, this.episodes);
		tf.tidy(() => {
			env.reset();
			const rewards = new Float32Array(T * B);
			const actions = new Int32Array(B);
			const step = new Float32Array(B);
			const { value, grads } = tf.variableGrads(() => {
				let h: tf.Tensor2D = tf.zeros([B, H]);
				let c: tf.Tensor2D = tf.zeros([B, H]);
				let x: tf.Tensor2D = tf.zeros([B, D]);
				const logPiA: tf.Tensor1D[] = [];
				const entropies: tf.Tensor1D[] = [];
				const values: tf.Tensor1D[] = [];
				const xs = new Float32Array(B * D);
				for (let t = 0; t < T; t++) {
					const z = tf.add(tf.matMul(tf.concat([x, h], 1), this.kernel), this.bias);
					const [zi, zf, zo, zg] = tf.split(z, 4, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
					c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
					h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
					const out = tf.add(tf.matMul(h, this.head), this.headBias);
					const logPi = tf.logSoftmax(tf.slice(out, [0, 0], [B, K]));
					const pi = tf.exp(logPi);
					const probs = pi.dataSync();
					for (let b = 0; b < B; b++) actions[b] = rng.next() < (probs[b * K] as number) ? 0 : 1;
					const chosen = tf.oneHot(tf.tensor1d(actions, 'int32'), K);
					logPiA.push(tf.sum(tf.mul(logPi, chosen), 1) as tf.Tensor1D);
					entropies.push(tf.neg(tf.sum(tf.mul(pi, logPi), 1)) as tf.Tensor1D);
					values.push(tf.reshape(tf.slice(out, [0, K], [B, 1]), [B]) as tf.Tensor1D);
					env.step(actions, step);
					rewards.set(step, t * B);
					xs.fill(0);
					for (let b = 0; b < B; b++) {
						const o = b * D;
						xs[o + (actions[b] as number)] = 1;
						xs[o + K] = step[b] as number;
						xs[o + K + 1] = (t + 1) / T;
						xs.set(this.phi[step[b] as number] as Float32Array, o + K + 2);
					}
					x = tf.tensor2d(xs, [B, D]);
				}
				const returns = new Float32Array(T * B);
				for (let b = 0; b < B; b++) {
					let g = 0;
					for (let t = T - 1; t >= 0; t--) {
						g = (rewards[t * B + b] as number) + (t < T - 1 ? gamma * g : 0);
						returns[t * B + b] = g;
					}
				}
				const v = tf.stack(values) as tf.Tensor2D;
				const vData = v.dataSync();
				const G = tf.tensor2d(returns, [T, B]);
				const advantage = tf.tensor2d(
					returns.map((g, n) => g - (vData[n] as number)),
					[T, B],
				);
				const policy = tf.neg(tf.mean(tf.mul(advantage, tf.stack(logPiA))));
				const valueLoss = tf.mul(cv * 0.5, tf.mean(tf.square(tf.sub(G, v))));
				return tf.sub(tf.add(policy, valueLoss), tf.mul(ce, tf.mean(tf.stack(entropies)))) as tf.Scalar;
			});
			value.dispose();
			const list = Object.values(grads);
			const norm = Math.sqrt(list.reduce((s, g) => s + (tf.sum(tf.square(g)).dataSync()[0] as number), 0));
			const scale = clip > 0 && norm > clip ? clip / norm : 1;
			const named = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
			this.optimizer.applyGradients(named);
		});
		this.episodes += B;
	}

	dispose(): void {
		for (const v of [this.kernel, this.bias, this.head, this.headBias]) v.dispose();
		this.optimizer.dispose();
	}
}

/** Env steps per second of the tape update at one batch size (one warm-up update, then `seconds`). */
export async function benchTape(options: TapeOptions): Promise<TapeRow> {
	registerGradients();
	const backend = await initBackend(options.backend);
	const config = parseAgentConfig({
		batch: options.batch,
		hidden: options.hidden,
		...(options.rewardFeatures === undefined ? {} : { reward_encoding: options.rewardFeatures === 0 ? { kind: 'scalar' } : { kind: 'rbf', features: options.rewardFeatures, low: 0, high: 1 } }),
	});
	const rng = new Rng(options.seed);
	const agent = new TapeAgent(config, rng.split('init'));
	try {
		const env = new BanditBatch({ kind: 'dependent-uniform', batch: options.batch, horizon: agent.horizon }, rng.split('bandits'));
		const actions = rng.split('actions');
		agent.update(env, actions);
		let updates = 0;
		const t0 = performance.now();
		let elapsed = 0;
		do {
			agent.update(env, actions);
			updates++;
			elapsed = (performance.now() - t0) / 1000;
		} while (elapsed < options.seconds);
		return { backend, version: tf.version_core, batch: options.batch, updates, stepsPerSecond: (updates * options.batch * agent.horizon) / elapsed, msPerUpdate: (elapsed * 1000) / updates };
	} finally {
		agent.dispose();
	}
}
