/**
 * The tensor work of the agent on the active TensorFlow.js backend: the matrix products. Everything
 * elementwise (gates, cell, heads, softmax, sampling) runs in plain JavaScript on Float32Arrays in
 * rollout.ts and bptt.ts, because one tfjs kernel costs ~5-30 us of launch and copy overhead while the
 * elementwise work of a step is a few microseconds; a step thus needs one kernel forward and one
 * backward instead of ~90 (see bench.ts and docs/design-notes.md).
 *
 * Measured on wasm (one core, B = 16, R = 53, H = 48, T = 100): the products are only fast without
 * transposes (a transposed operand made XNNPACK fall back to a slow path: [B,4H] x [H,4H]^T 228 us,
 * with a pre-transposed [4H,H] operand 23 us; [N,R]^T x [N,4H] 31 ms, [4H,N] x [N,R] 2.2 ms), so the
 * operands are kept in the layouts below and uploaded once per update.
 *
 * Notation: B batch, R LSTM row width, G = 4H gate columns, N = T B rows of a trajectory.
 *   setWeights(lstm2 [R, G], recurrentT [G, H])      once per update; lstm2 = W_lstm with its g
 *                                                    columns doubled (so that tanh z = 2 sigmoid(2z) - 1)
 *   forwardGates(xh [B, R]) -> s [B, G]              s = sigmoid(xh lstm2): the i, f, o gates and
 *                                                    (g + 1) / 2, bias through the 1 column of xh;
 *                                                    one fused kernel (matmul + sigmoid) on the backend
 *   recurrentBack(dz [B, G]) -> dh [B, H]             dh = dz W_rec^T
 *   product(a [m, n], b [n, p]) -> [m, p]             weight gradients at the end of an update
 */
import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's BackendWasm the fast path uses (internal API of 4.22). */
interface WasmBackendInternals {
	readonly wasm: { cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void; readonly HEAPF32: Float32Array };
	readonly dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
}

/**
 * wasm fast path: the per-step products run on persistent wasm tensors written and read in place on
 * the wasm heap, calling the backend's own BatchMatMul and Sigmoid functions directly, which skips the
 * tfjs engine's per-op bookkeeping (tensor creation, reshapes, output allocation, disposal; ~15 us per
 * call, measured). Weights stay ordinary tfjs tensors, re-created on every setWeights, so XNNPACK's
 * packed-weight cache (keyed by tensor id) is never stale.
 */
class WasmDirect {
	private readonly matMul: (...args: unknown[]) => void;
	private readonly sigmoid: (...args: unknown[]) => void;
	private readonly slots = new Map<string, { tensor: tf.Tensor; id: number; offset: number }>();

	constructor(private readonly backend: WasmBackendInternals) {
		this.matMul = backend.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
		this.sigmoid = backend.wasm.cwrap('Sigmoid', null, ['number', 'number']);
	}

	static create(): WasmDirect | undefined {
		if (tf.getBackend() !== 'wasm') return undefined;
		const backend = tf.backend() as unknown as Partial<WasmBackendInternals>;
		if (typeof backend.wasm?.cwrap !== 'function' || backend.dataIdMap === undefined) return undefined;
		return new WasmDirect(backend as WasmBackendInternals);
	}

	private info(t: tf.Tensor): { id: number; offset: number } {
		const d = this.backend.dataIdMap.get(t.dataId);
		if (d === undefined) throw new Error('wasm fast path: tensor not found on the wasm backend');
		return { id: d.id, offset: d.memoryOffset >>> 2 };
	}

	private slot(name: string, size: number): { id: number; offset: number } {
		const key = `${name}/${size}`;
		let s = this.slots.get(key);
		if (!s) {
			const tensor = tf.zeros([size]);
			s = { tensor, ...this.info(tensor) };
			this.slots.set(key, s);
		}
		return s;
	}

	/** out [m, p] = x [m, n] w [n, p] (then sigmoid when asked). */
	run(x: Float32Array, m: number, n: number, w: tf.Tensor, p: number, sigmoid: boolean, out: Float32Array): void {
		const a = this.slot('a', m * n);
		const o = this.slot('o', m * p);
		const b = this.info(w);
		this.backend.wasm.HEAPF32.set(x.subarray(0, m * n), a.offset);
		this.matMul(a.id, shapeBytes(1, m, n), 3, b.id, shapeBytes(1, n, p), 3, false, false, o.id);
		let res = o;
		if (sigmoid) {
			res = this.slot('s', m * p);
			this.sigmoid(o.id, res.id);
		}
		const heap = this.backend.wasm.HEAPF32;
		out.set(heap.subarray(res.offset, res.offset + m * p));
	}

	dispose(): void {
		for (const s of this.slots.values()) s.tensor.dispose();
		this.slots.clear();
	}
}

function shapeBytes(a: number, b: number, c: number): Uint8Array {
	return new Uint8Array(new Int32Array([a, b, c]).buffer);
}

export class Device {
	private readonly direct = process.env.METATUNE_WASM_DIRECT === '0' ? undefined : WasmDirect.create();
	private lstm: tf.Tensor2D | undefined;
	private recurrentT: tf.Tensor2D | undefined;
	/** Backend kernels launched since construction, including the fast path's direct calls that
	 * tf.profile cannot see (uploads and reads are not kernels). */
	kernels = 0;

	/**
	 * `rewardCodes`: the previous-reward values the forward product sees as a one-hot instead of their
	 * reward features (rollout.ts; the rows of setWeights' lstm2 then hold one row per code where the
	 * feature rows were: see Agent.upload). Undefined: the plain row.
	 */
	constructor(
		readonly rows: number,
		readonly gates: number,
		readonly hidden: number,
		readonly rewardCodes?: readonly number[],
		/** the reward features of each code, [V, F] (for the weight gradient, bptt.ts) */
		readonly rewardCodePhi?: Float32Array,
	) {}

	setWeights(lstm: Float32Array, recurrentT: Float32Array): void {
		this.lstm?.dispose();
		this.recurrentT?.dispose();
		this.lstm = tf.tensor2d(lstm, [this.rows, this.gates]);
		this.recurrentT = tf.tensor2d(recurrentT, [this.gates, this.hidden]);
	}

	forwardGates(xh: Float32Array, batch: number, out: Float32Array): void {
		if (this.lstm === undefined) throw new Error('Device.setWeights was not called');
		if (this.direct) {
			this.kernels += 2; // BatchMatMul + Sigmoid
			this.direct.run(xh, batch, this.rows, this.lstm, this.gates, true, out);
			return;
		}
		this.kernels++;
		const tx = tf.tensor2d(xh.subarray(0, batch * this.rows), [batch, this.rows]);
		const tz = tf.fused.matMul({ a: tx, b: this.lstm, activation: 'sigmoid' });
		out.set(tz.dataSync());
		tx.dispose();
		tz.dispose();
	}

	recurrentBack(dz: Float32Array, batch: number, out: Float32Array): void {
		if (this.recurrentT === undefined) throw new Error('Device.setWeights was not called');
		if (this.direct) {
			this.kernels++;
			this.direct.run(dz, batch, this.gates, this.recurrentT, this.hidden, false, out);
			return;
		}
		this.run(dz, batch, this.gates, this.recurrentT, out);
	}

	/** a [m, n] x b [n, p] into out [m, p]. */
	product(a: Float32Array, m: number, n: number, b: Float32Array, p: number, out: Float32Array): void {
		const ta = tf.tensor2d(a, [m, n]);
		const tb = tf.tensor2d(b, [n, p]);
		const tc = tf.matMul(ta, tb);
		this.kernels++;
		out.set(tc.dataSync());
		ta.dispose();
		tb.dispose();
		tc.dispose();
	}

	private run(x: Float32Array, batch: number, width: number, w: tf.Tensor2D, out: Float32Array): void {
		const tx = tf.tensor2d(x.subarray(0, batch * width), [batch, width]);
		const tz = tf.matMul(tx, w);
		this.kernels++;
		out.set(tz.dataSync());
		tx.dispose();
		tz.dispose();
	}

	dispose(): void {
		this.direct?.dispose();
		this.lstm?.dispose();
		this.recurrentT?.dispose();
		this.lstm = undefined;
		this.recurrentT = undefined;
	}
}
