/**
 * One step's LSTM input rows written in the layout the device's forward product reads (rollout.ts's
 * notation): [onehot(a_{t-1}) (K), s r_{t-1} (1), t / T (1), extras (E), reward block, 1, h_{t-1} (H)]
 * where the reward block is phi(r_{t-1}) (F features) or, when the device takes reward codes, a
 * one-hot of the previous reward's value among the V codes. rollout.ts uses it on the agent's kernels,
 * where the rows go straight into the kernels' memory (Device.inputRows), with no [N, R] row of
 * features built first and then copied into the coded layout.
 */

export interface RowSource {
	readonly arms: number;
	readonly extra: number;
	/** offset of the reward block in a row (K + 2 + E) */
	readonly rewardOffset: number;
	readonly features: number;
	readonly hidden: number;
	readonly steps: number;
	readonly inputScale: number;
	readonly extras: Float32Array | undefined;
	readonly perStepExtras: boolean;
	/** the device's reward codes (the block is their one-hot), else undefined (the features) */
	readonly codes: readonly number[] | undefined;
	readonly featuresOf: (r: number) => Float32Array;
	readonly actions: Int32Array;
	readonly rewards: Float32Array;
	/** h_t of every row so far [N, H]; undefined: the h block of rows t > 0 is left as it is (on the
	 * kernels, forwardCell of the step before wrote h_{t-1} there) */
	readonly hiddenRows: Float32Array | undefined;
}

/** Rows n0 .. n0 + batch - 1 (step t) into x [batch, width] from offset 0. */
export function writeInputRows(x: Float32Array, width: number, t: number, n0: number, batch: number, s: RowSource): void {
	const { arms: K, extra: E, rewardOffset: fo, hidden: H, codes, extras, actions, rewards, hiddenRows } = s;
	const block = codes === undefined ? s.features : codes.length;
	const one = fo + block;
	for (let b = 0; b < batch; b++) {
		const n = n0 + b;
		const o = b * width;
		// plain loops: fill() on a few floats costs more than the writes (~20k calls an update at B 64)
		for (let i = o; i < o + K; i++) x[i] = 0;
		for (let i = o + fo; i < o + one; i++) x[i] = 0;
		if (t > 0) {
			const p = n - batch;
			const r = rewards[p] as number;
			x[o + (actions[p] as number)] = 1;
			x[o + K] = r * s.inputScale;
			if (codes === undefined) x.set(s.featuresOf(r), o + fo);
			else {
				const v = codes.indexOf(r);
				if (v < 0) throw new RangeError(`rollout: reward ${r} is not one of the device's reward codes (${codes.join(', ')})`);
				x[o + fo + v] = 1;
			}
		} else x[o + K] = 0;
		x[o + K + 1] = t / s.steps;
		for (let e = 0; e < E; e++) x[o + K + 2 + e] = (s.perStepExtras ? extras![n * E + e] : extras![e]) as number;
		x[o + one] = 1;
		const to = o + one + 1;
		if (t === 0) for (let j = 0; j < H; j++) x[to + j] = 0;
		else if (hiddenRows !== undefined) {
			const from = (n - batch) * H;
			for (let j = 0; j < H; j++) x[to + j] = hiddenRows[from + j] as number;
		}
	}
}
