/**
 * Parameter layout and initialisation of the LSTM actor-critic (Wang et al. 2016).
 *
 * Notation (shapes row-major)
 *   K  arms            H  LSTM units          E  extra scalar inputs per step (e.g. the discount)
 *   F  reward features (reward-encoding.ts; 0 for the plain scalar reward)
 *   D = K + 2 + E + F  input width: one-hot previous action (K), previous reward, t / horizon, extras,
 *                      reward features
 *   R = D + 1 + H      row width of the LSTM input row xh_t = [x_t, 1, h_{t-1}] (the 1 carries the bias)
 *   4H                 gate columns, in the order [i | f | o | g]
 *
 * All parameters live in one flat Float32Array theta (so the optimiser, clipping and checkpoints are
 * single loops), laid out as
 *   lstm   [R, 4H]   rows: lstm/input (D rows), lstm/bias (1 row), lstm/recurrent (H rows)
 *   head   [K+1, H]  rows: policy/kernel (K rows, logits), value/kernel (1 row)
 *   hbias  [K+1]     policy/bias (K), value/bias (1)
 * The cell: z = xh W_lstm;  i, f, o = sigmoid(z_i, z_f, z_o);  g = tanh(z_g);  c = f c' + i g;
 * h = o tanh(c);  [logits, value] = W_head h + hbias.
 */
import type { Rng } from '../../../core/rng.js';

export interface NetworkShape {
	readonly arms: number;
	readonly hidden: number;
	readonly extra: number;
	/** F, default 0 */
	readonly rewardFeatures?: number;
}

export const paramNames = ['lstm/input', 'lstm/bias', 'lstm/recurrent', 'policy/kernel', 'value/kernel', 'policy/bias', 'value/bias'] as const;
export type ParamName = (typeof paramNames)[number];

interface ParamSpec {
	readonly name: ParamName;
	readonly offset: number;
	readonly shape: readonly number[];
	readonly size: number;
}

export interface Layout {
	readonly shape: NetworkShape;
	/** input width D */
	readonly inputs: number;
	/** column of the first reward feature in the input row (K + 2 + E) */
	readonly rewardFeatureOffset: number;
	/** LSTM row width R = D + 1 + H */
	readonly row: number;
	readonly gates: number;
	readonly lstmOffset: number;
	readonly lstmSize: number;
	readonly headOffset: number;
	readonly headBiasOffset: number;
	readonly size: number;
	readonly params: readonly ParamSpec[];
}

/**
 * One Layout per network shape in a thread, made once: every agent of that shape (each lifetime in
 * a worker) shares it. Made again, its object literals would become V8 boilerplates, generalising
 * their fields' types and discarding the optimised code of the lifetime before (rollout, BPTT).
 */
const layouts = new Map<string, Layout>();

export function layoutOf(shape: NetworkShape): Layout {
	const key = `${shape.arms} ${shape.hidden} ${shape.extra} ${shape.rewardFeatures}`;
	let layout = layouts.get(key);
	if (layout === undefined) {
		layout = newLayout({ arms: shape.arms, hidden: shape.hidden, extra: shape.extra, ...(shape.rewardFeatures === undefined ? {} : { rewardFeatures: shape.rewardFeatures }) });
		layouts.set(key, layout);
	}
	return layout;
}

function newLayout(shape: NetworkShape): Layout {
	const { arms: K, hidden: H, extra: E } = shape;
	const F = shape.rewardFeatures ?? 0;
	const D = K + 2 + E + F;
	const R = D + 1 + H;
	const G = 4 * H;
	const sizes: Record<ParamName, readonly number[]> = {
		'lstm/input': [D, G],
		'lstm/bias': [G],
		'lstm/recurrent': [H, G],
		'policy/kernel': [K, H],
		'value/kernel': [1, H],
		'policy/bias': [K],
		'value/bias': [1],
	};
	let offset = 0;
	const params = paramNames.map((name) => {
		const dims = sizes[name];
		const size = dims.reduce((a, b) => a * b, 1);
		const spec = { name, offset, shape: dims, size };
		offset += size;
		return spec;
	});
	return {
		shape,
		inputs: D,
		rewardFeatureOffset: K + 2 + E,
		row: R,
		gates: G,
		lstmOffset: 0,
		lstmSize: R * G,
		headOffset: R * G,
		headBiasOffset: R * G + (K + 1) * H,
		size: offset,
		params,
	};
}

/** Named views into theta (no copies). */
export function paramViews(layout: Layout, theta: Float32Array): Record<ParamName, Float32Array> {
	const out = {} as Record<ParamName, Float32Array>;
	for (const p of layout.params) out[p.name] = theta.subarray(p.offset, p.offset + p.size);
	return out;
}

/**
 * Fresh parameters: LSTM and head weights U(-1/sqrt(H), 1/sqrt(H)) (PyTorch's default), gate biases
 * 0 except the forget gate (1), head biases 0. (Policy weights scaled by 0.01, a common choice, made
 * no difference to dependent-easy learning in a 2000-episode check.)
 */
export function initParams(layout: Layout, rng: Rng): Float32Array {
	const { hidden: H } = layout.shape;
	const theta = new Float32Array(layout.size);
	const v = paramViews(layout, theta);
	const s = 1 / Math.sqrt(H);
	for (const w of [v['lstm/input'], v['lstm/recurrent'], v['policy/kernel'], v['value/kernel']]) for (let i = 0; i < w.length; i++) w[i] = rng.uniform(-s, s);
	v['lstm/bias'].fill(1, H, 2 * H);
	return theta;
}

/** Element mask (1 = trainable) with the named parameters frozen. */
export function trainableMask(layout: Layout, frozen: readonly ParamName[]): Uint8Array {
	const mask = new Uint8Array(layout.size).fill(1);
	for (const p of layout.params) if (frozen.includes(p.name)) mask.fill(0, p.offset, p.offset + p.size);
	return mask;
}
