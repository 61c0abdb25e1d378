/**
 * The tensor work of the agent on the active TensorFlow.js backend: the matrix products. Everything
 * elementwise (gates, cell, heads, softmax, sampling) runs in plain JavaScript on Float32Arrays in
 * rollout.ts and bptt.ts, because one tfjs kernel costs ~5-30 us of launch and copy overhead while the
 * elementwise work of a step is a few microseconds; a step thus needs one kernel forward and one
 * backward instead of ~90 (see bench.ts and the report in DESIGN.md).
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

export class Device {
	private lstm: tf.Tensor2D | undefined;
	private recurrentT: tf.Tensor2D | undefined;
	/** Kernels launched since construction (matrix products; uploads and reads are not kernels). */
	kernels = 0;

	constructor(
		readonly rows: number,
		readonly gates: number,
		readonly hidden: number,
	) {}

	setWeights(lstm: Float32Array, recurrentT: Float32Array): void {
		this.lstm?.dispose();
		this.recurrentT?.dispose();
		this.lstm = tf.tensor2d(lstm, [this.rows, this.gates]);
		this.recurrentT = tf.tensor2d(recurrentT, [this.gates, this.hidden]);
	}

	forwardGates(xh: Float32Array, batch: number, out: Float32Array): void {
		if (this.lstm === undefined) throw new Error('Device.setWeights was not called');
		const tx = tf.tensor2d(xh.subarray(0, batch * this.rows), [batch, this.rows]);
		const tz = tf.fused.matMul({ a: tx, b: this.lstm, activation: 'sigmoid' });
		this.kernels++;
		out.set(tz.dataSync());
		tx.dispose();
		tz.dispose();
	}

	recurrentBack(dz: Float32Array, batch: number, out: Float32Array): void {
		if (this.recurrentT === undefined) throw new Error('Device.setWeights was not called');
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
		this.lstm?.dispose();
		this.recurrentT?.dispose();
		this.lstm = undefined;
		this.recurrentT = undefined;
	}
}
