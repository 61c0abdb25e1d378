/**
 * What a batched rollout (rollout.ts) keeps for the backward pass (bptt.ts): the trajectory's rows,
 * gates, cell states, outputs, actions and rewards, time-major (row n = t B + b; the notation block
 * of rollout.ts names each), and the rollout's working buffers, made once per trajectory and reused
 * by every rollout into it.
 */
import type { Layout } from './network.js';
import type { RewardEncoding } from './reward-encoding.js';

export class Trajectory {
	readonly n: number;
	readonly xh: Float32Array;
	/**
	 * xh (or coded), gates, cell, tanhCell and hidden: on the WebAssembly kernels the rollout leaves
	 * them in the kernels' memory, where the backward pass reads them, and the device copies them here
	 * only when another trajectory takes that memory or the device is disposed (device.ts `save`);
	 * read them from here only after one of those, or on the tfjs path, which fills them at every step
	 */
	readonly gates: Float32Array;
	readonly cell: Float32Array;
	readonly tanhCell: Float32Array;
	readonly hidden: Float32Array;
	readonly probs: Float32Array;
	readonly logProbs: Float32Array;
	readonly values: Float32Array;
	readonly actions: Int32Array;
	readonly rewards: Float32Array;
	readonly expected: Float32Array;
	/** the rows the forward product saw when the device takes reward codes (N x device.rows), else undefined */
	coded: Float32Array | undefined;
	/**
	 * rollout's working buffers, made once per trajectory rather than per call (typed arrays above 64
	 * bytes live outside the JS heap; made per update they drove V8's external-memory collections):
	 * the step's actions and rewards [B], the heads' outputs [K + 1], the gates without the kernels
	 * [B, 4H] (made on first use), and each reward value's features under `encoding`
	 */
	readonly scratch: RolloutScratch;

	constructor(
		readonly layout: Layout,
		readonly steps: number,
		readonly batch: number,
		/** the reward encoding its rollouts will use (the agent's), so that their feature memo starts with it */
		encoding?: RewardEncoding,
	) {
		const { arms: K, hidden: H } = layout.shape;
		const N = steps * batch;
		this.n = N;
		this.xh = new Float32Array(N * layout.row);
		this.gates = new Float32Array(N * 4 * H);
		this.cell = new Float32Array(N * H);
		this.tanhCell = new Float32Array(N * H);
		this.hidden = new Float32Array(N * H);
		this.probs = new Float32Array(N * K);
		this.logProbs = new Float32Array(N * K);
		this.values = new Float32Array(N);
		this.actions = new Int32Array(N);
		this.rewards = new Float32Array(N);
		this.expected = new Float32Array(N);
		this.scratch = new RolloutScratch(batch, K, encoding);
	}
}

/**
 * A trajectory's rollout buffers (Trajectory.scratch). A class, not an object literal: V8 makes a
 * literal that runs again (the next lifetime's trajectory in a worker) a copied boilerplate,
 * generalising its fields' types, which discards the optimised rollout of the lifetime before.
 */
export class RolloutScratch {
	readonly act: Int32Array;
	readonly rew: Float32Array;
	readonly logits: Float64Array;
	z: Float32Array | undefined = undefined;
	/**
	 * the encoding `features` holds: the one the trajectory was made for, so that rollout's branch
	 * that resets the memo for another never runs in a lifetime (run in the optimised rollout of an
	 * earlier lifetime, a branch it never saw throws that code away); without one, an object that is
	 * no agent's, so the first rollout resets the empty memo
	 */
	encoding: RewardEncoding;
	readonly features = new Map<number, Float32Array>();
	constructor(batch: number, arms: number, encoding: RewardEncoding = { kind: 'scalar' }) {
		this.encoding = encoding;
		this.act = new Int32Array(batch);
		this.rew = new Float32Array(batch);
		this.logits = new Float64Array(arms + 1);
	}
}
