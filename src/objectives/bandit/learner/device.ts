/**
 * The tensor work of the agent: the matrix products, on the agent's own kernels (kernels.ts) when the
 * backend is wasm, else on the active TensorFlow.js backend. Without the kernels everything
 * elementwise (gates, cell, heads, softmax, sampling) runs in plain JavaScript on Float32Arrays in
 * rollout.ts and bptt.ts; on them the cell, the heads and BPTT's cell backward run there too, on the
 * trajectory kept in their memory (same arithmetic, bit for bit). Not on tfjs ops, because one tfjs kernel costs ~5-30 us of launch and copy overhead while the
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
 *                                                    columns doubled (so that tanh z = 2 sigmoid(2z) - 1);
 *                                                    on the kernels weightViews() instead, written in place
 *   forwardGates(xh [B, R]) -> s [B, G]              s = sigmoid(xh lstm2): the i, f, o gates and
 *                                                    (g + 1) / 2, bias through the 1 column of xh;
 *                                                    one fused kernel (matmul + sigmoid) on the backend
 *   recurrentBack(dz [B, G]) -> dh [B, H]             dh = dz W_rec^T
 *   product(a [m, n], b [n, p]) -> [m, p]             a product of two arrays
 *   headWeightGradient(dOutT, traj) -> [K+1, H]       dOutT h, h read where the rollout left it
 *   backwardBuffers(N, B) -> dz [N, G], dh [B, H]    BPTT's buffers: recurrentBackRows(t B, B) sets
 *                                                    dh = dz_t W_rec^T; weightGradient(x) = x^T dz
 *   inputRows, forwardCell, headOutputs             (kernels only) a step's rows written into the
 *                                                    kernels' memory, forwardGates and rollout.ts's
 *                                                    cell there, then the heads
 *
 * On the kernels a rollout's rows, gates, cell, tanhCell and h stay in the kernels' memory, where the
 * backward pass reads them, and are copied into the trajectory's arrays only when another trajectory
 * takes those regions (`save`): an update then touches each of them once, not also a JavaScript copy
 * (at batch 16, T = 100 the copies were ~0.65 MB of a ~4.8 MB working set, docs/design-notes.md).
 */
import { tf } from './tfjs.js';
import { Kernels, kernelsSupported, type Region } from './kernels.js';

/**
 * The products run by the agent's own kernels (kernels.ts) when the active backend is wasm: the same
 * numbers as tfjs-backend-wasm's, bit for bit, without the engine's per-op bookkeeping or the
 * backend's per-call marshalling. `METATUNE_WASM_DIRECT=0` turns them off (tfjs ops instead).
 */
function useKernels(): boolean {
	return process.env.METATUNE_WASM_DIRECT !== '0' && tf.getBackend() === 'wasm' && kernelsSupported();
}

/**
 * The kernels of disposed devices, for the next device of this thread: a lifetime's agent is made and
 * disposed per lifetime, and a fresh instance's memory (grown to a few MB, outside the JS heap) per
 * lifetime drove V8's full collections. A device reads no region before writing it (the rows at
 * t = 0, the cell and BPTT's first step ignore what is there), so a reused memory gives the same
 * numbers as a fresh one.
 */
const idleKernels: Kernels[] = [];

/** What the kernels keep of a trajectory (rollout.ts), row n = t B + b of n = T B. */
interface ResidentTrajectory {
	readonly gates: Float32Array;
	readonly cell: Float32Array;
	readonly tanhCell: Float32Array;
	readonly hidden: Float32Array;
	/** the input rows (a copy of what forwardCell read: coded when the device takes reward codes) */
	readonly xh: Float32Array;
	readonly coded: Float32Array | undefined;
	readonly steps: number;
	readonly batch: number;
	readonly n: number;
}

/** Region r from `offset` floats on. */
const at = (r: Region, offset: number): Region => ({ index: r.index + offset, bytes: r.bytes + 4 * offset, size: r.size - offset });

export class Device {
	/** whether the products run on the agent's kernels (the wasm backend) */
	private readonly onKernels = useKernels();
	/** this device's kernels while it holds them (from construction or first use after dispose until dispose) */
	private held: Kernels | undefined;
	private weights: { lstm: Region; recT: Region } | undefined;
	/** the trajectory whose gates, cell, tanhCell and hidden are in regions 'bg', 'bc', 'bt', 'bh' */
	private cellsOf: ResidentTrajectory | undefined;
	/**
	 * The trajectory last rolled out while its gates, cell, tanhCell, hidden and rows (xh, or coded)
	 * arrays are not written yet: they are read only when another trajectory has taken the regions, so
	 * they are copied out then (`save`), not every step.
	 */
	private unsaved: ResidentTrajectory | undefined;
	/** where backwardSteps wrote dz: region 'bdz', or 'bg' over the gates of a consumed trajectory */
	private dz: Region | undefined;
	/** the trajectory whose gates backwardSteps overwrote with dz (it may not be read again) */
	private consumed: ResidentTrajectory | undefined;
	/** the array (and its rows) whose copy is in region 'bx' */
	private rowsOf: { x: Float32Array; n: number } | undefined;
	/** backwardBuffers without the kernels */
	private plain: { dz: Float32Array; dh: Float32Array } | undefined;
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

	/** the agent's kernels on the wasm backend (with the weights in regions 'lstm' and 'recT'), else undefined */
	get direct(): Kernels | undefined {
		if (!this.onKernels) return undefined;
		this.held ??= idleKernels.pop() ?? new Kernels();
		return this.held;
	}

	/**
	 * The kernels only: the weight regions as arrays to write lstm2 [rows, G] and recurrentT [G, H]
	 * into, in place of setWeights' copies (views of the kernels' memory: write them before the next
	 * call on this device).
	 */
	weightViews(): { lstm: Float32Array; recT: Float32Array } {
		const k = this.direct;
		if (k === undefined) throw new Error('Device.weightViews runs on the kernels only');
		// both regions first (one may grow the memory), then the views
		const lstm = k.region('lstm', this.rows * this.gates);
		const recT = k.region('recT', this.gates * this.hidden);
		this.weights = { lstm, recT };
		return { lstm: k.view(lstm, this.rows * this.gates), recT: k.view(recT, this.gates * this.hidden) };
	}

	setWeights(lstm: Float32Array, recurrentT: Float32Array): void {
		if (this.direct) {
			this.weights = { lstm: this.direct.put('lstm', lstm), recT: this.direct.put('recT', recurrentT) };
			return;
		}
		this.lstm?.dispose();
		this.recurrentT?.dispose();
		this.lstm = tf.tensor2d(lstm, [this.rows, this.gates]);
		this.recurrentT = tf.tensor2d(recurrentT, [this.gates, this.hidden]);
	}

	forwardGates(xh: Float32Array, batch: number, out: Float32Array): void {
		if (this.direct) {
			const k = this.direct;
			const { lstm } = this.directWeights();
			this.kernels += 2; // gemm + sigmoid
			const x = k.put('x', xh.subarray(0, batch * this.rows));
			const z = k.region('z', batch * this.gates);
			k.gemm(x, this.rows, 1, lstm, this.gates, z, this.gates, batch, this.rows, this.gates);
			k.sigmoid(z, z, batch * this.gates);
			out.set(k.view(z, batch * this.gates));
			return;
		}
		if (this.lstm === undefined) throw new Error('Device.setWeights was not called');
		this.kernels++;
		const tx = tf.tensor2d(xh.subarray(0, batch * this.rows), [batch, this.rows]);
		const tz = tf.fused.matMul({ a: tx, b: this.lstm, activation: 'sigmoid' });
		out.set(tz.dataSync());
		tx.dispose();
		tz.dispose();
	}

	/**
	 * The kernels only: forwardGates and the cell of rollout.ts in one call, for the rows n0 .. n0 +
	 * batch - 1 of the trajectory `out` (gates, cell, tanhCell, hidden), t = 0 when `first`. The
	 * trajectory's gates, cell, tanhCell and hidden stay in the kernels' memory (regions 'bg', 'bc',
	 * 'bt', 'bh', where c_{t-1} and h_{t-1} are read), and its rows in 'bx', so that backwardSteps,
	 * weightGradient and headWeightGradient find them there after the last step; they are copied into
	 * out's arrays only when another trajectory takes those regions or the device is disposed (no one
	 * else reads them on the kernels).
	 */
	forwardCell(batch: number, first: boolean, out: ResidentTrajectory, n0: number): void {
		const k = this.direct;
		if (k === undefined) throw new Error('Device.forwardCell runs on the kernels only');
		const { lstm } = this.directWeights();
		const G = this.gates;
		const H = this.hidden;
		const N = out.n;
		this.kernels += 2; // gemm + gatesCell (the sigmoid and the cell)
		if (n0 === 0) this.release(out);
		// every region first (one may grow the memory), then the copies
		const x = k.region('bx', N * this.rows);
		const z = k.region('z', batch * G);
		const gates = k.region('bg', N * G);
		const cell = k.region('bc', N * H);
		const tanh = k.region('bt', N * H);
		const hidden = at(k.region('bh', N * H), n0 * H);
		k.gemm(x, this.rows, 1, lstm, G, z, G, batch, this.rows, G, n0 * this.rows);
		k.gatesCell(z, first ? undefined : at(cell, (n0 - batch) * H), at(gates, n0 * G), at(cell, n0 * H), at(tanh, n0 * H), hidden, batch, H);
		// h_t into the next step's rows, after their reward block and 1 (the last H columns)
		if (n0 + batch < N) k.copyRows(hidden, H, at(x, (n0 + batch + 1) * this.rows - H), this.rows, batch, H);
		if (n0 + batch === N) {
			this.cellsOf = out;
			this.unsaved = out;
			this.rowsOf = { x: out.coded ?? out.xh, n: N };
		}
	}

	/**
	 * The kernels only: where the rows n0 .. n0 + batch - 1 of the forward product's input go for
	 * forwardCell ([batch, rows], a view of the kernels' memory: write it before the next call). Their
	 * last H columns, h_{t-1}, are already there for t > 0 (forwardCell of the step before wrote them).
	 */
	inputRows(traj: ResidentTrajectory, n0: number, batch: number): Float32Array {
		const k = this.direct;
		if (k === undefined) throw new Error('Device.inputRows runs on the kernels only');
		// the rows of the trajectory rolled out before are saved before this one's overwrite them
		if (n0 === 0) this.release(traj);
		const x = k.region('bx', traj.n * this.rows);
		return k.f32.subarray(x.index + n0 * this.rows, x.index + (n0 + batch) * this.rows);
	}

	/**
	 * The kernels only, after forwardCell of rows n0 .. n0 + batch - 1 of an n-row trajectory: the head
	 * outputs of those rows, logits [batch, outputs] (float64, valid until the next call) = bias + w h,
	 * each a float64 sum over the hidden units in order as rollout.ts computes it; `heads` is theta's
	 * [outputs, H] weights then biases.
	 */
	headOutputs(heads: Float32Array, n: number, n0: number, batch: number, outputs: number): Float64Array {
		const k = this.direct;
		if (k === undefined) throw new Error('Device.headOutputs runs on the kernels only');
		const H = this.hidden;
		this.kernels++;
		const w = k.region('hw', outputs * (H + 1));
		const logits = k.region('hl', 2 * batch * outputs);
		const hidden = at(k.region('bh', n * H), n0 * H);
		k.f32.set(heads.subarray(0, outputs * (H + 1)), w.index);
		k.heads(hidden, w, logits, batch, H, outputs);
		return k.f64.subarray(logits.bytes >>> 3, (logits.bytes >>> 3) + batch * outputs);
	}

	recurrentBack(dz: Float32Array, batch: number, out: Float32Array): void {
		if (this.direct) {
			const k = this.direct;
			const { recT } = this.directWeights();
			this.kernels++;
			const d = k.put('dz', dz.subarray(0, batch * this.gates));
			const h = k.region('dh', batch * this.hidden);
			k.gemm(d, this.gates, 1, recT, this.hidden, h, this.hidden, batch, this.gates, this.hidden);
			out.set(k.view(h, batch * this.hidden));
			return;
		}
		if (this.recurrentT === undefined) throw new Error('Device.setWeights was not called');
		this.run(dz, batch, this.gates, this.recurrentT, out);
	}

	/**
	 * The buffers of one backward pass over n rows: dz [n, G] (row t B + b: the gate gradients of step
	 * t, written by bptt.ts) and dh [batch, H] (what recurrentBackRows writes). On the kernels they are
	 * views of the kernels' memory, reserved together with what weightGradient needs, so the products
	 * read and write them in place; valid until the next call.
	 */
	backwardBuffers(n: number, batch: number): { dz: Float32Array; dh: Float32Array } {
		const G = this.gates;
		if (this.direct) {
			const k = this.direct;
			const dz = k.region('bdz', n * G);
			const dh = k.region('bdh', batch * this.hidden);
			k.region('bx', n * this.rows);
			k.region('bw', this.rows * G);
			return { dz: k.view(dz, n * G), dh: k.view(dh, batch * this.hidden) };
		}
		if (this.plain === undefined || this.plain.dz.length < n * G || this.plain.dh.length < batch * this.hidden) this.plain = { dz: new Float32Array(n * G), dh: new Float32Array(batch * this.hidden) };
		return { dz: this.plain.dz.subarray(0, n * G), dh: this.plain.dh.subarray(0, batch * this.hidden) };
	}

	/**
	 * The kernels only: bptt.ts's loop over the steps, T - 1 down to 0, into the dz of backwardBuffers:
	 * each step's cell backward (kernels.ts bpttStep) and dh = dz_t W_rec^T for the step before, from
	 * dOutT [outputs, N] and the heads' weights [outputs, H]. The trajectory's gates, tanhCell and cell
	 * are read where forwardCell left them when `traj` is the trajectory it wrote last, else copied
	 * into the kernels' memory once.
	 *
	 * `consume`: the caller needs no other gradient of this rollout (a training step), so dz is written
	 * over the gates (each step reads a row's gates before it writes that row's dz, in both kernels),
	 * and the update touches one [N, 4H] array instead of two: at batch 16, T = 100 1.2 MB of a lane's
	 * ~4 MB. The trajectory's gates are then lost: it may not be backpropagated again before the next
	 * rollout into it, nor saved.
	 */
	backwardSteps(traj: ResidentTrajectory, dOutT: Float32Array, heads: Float32Array, outputs: number, consume = false): void {
		const k = this.direct;
		if (k === undefined) throw new Error('Device.backwardSteps runs on the kernels only');
		if (traj === this.consumed) throw new Error('Device.backwardSteps: the trajectory was consumed by a backward pass before (roll it out again)');
		const G = this.gates;
		const H = this.hidden;
		const { n: N, batch: B, steps: T } = traj;
		// the resident trajectory's arrays first, should a region grow (a larger N) or be overwritten
		if (this.cellsOf !== traj) this.save();
		k.region('bx', N * this.rows);
		k.region('bw', this.rows * G);
		// every region first (one may grow the memory), then the copies
		const gates = k.region('bg', N * G);
		const dz = consume ? gates : k.region('bdz', N * G);
		const dh = k.region('bdh', B * H);
		const tanh = k.region('bt', N * H);
		const cell = k.region('bc', N * H);
		const hidden = k.region('bh', N * H);
		const dout = k.region('bo', outputs * N);
		const w = k.region('bhw', outputs * H);
		const dc = k.region('bdc', B * H);
		if (this.cellsOf !== traj) {
			k.f32.set(traj.gates.subarray(0, N * G), gates.index);
			k.f32.set(traj.tanhCell.subarray(0, N * H), tanh.index);
			k.f32.set(traj.cell.subarray(0, N * H), cell.index);
			k.f32.set(traj.hidden.subarray(0, N * H), hidden.index);
			this.cellsOf = traj;
		}
		k.f32.set(dOutT.subarray(0, outputs * N), dout.index);
		k.f32.set(heads.subarray(0, outputs * H), w.index);
		this.dz = dz;
		if (consume) {
			// nothing of it is read again but its h and rows (headWeightGradient, weightGradient)
			this.consumed = traj;
			if (this.unsaved === traj) this.unsaved = undefined;
		}
		for (let t = T - 1; t >= 0; t--) {
			k.bpttStep(dout, N, t * B, B, outputs, H, w, dh, dc, gates, tanh, cell, dz, t === T - 1, t === 0);
			this.kernels++;
			if (t > 0) this.recurrentBackRows(t * B, B);
		}
	}

	/** dh [batch, H] = dz rows first .. first + batch - 1 times W_rec^T (the buffers of backwardBuffers). */
	recurrentBackRows(first: number, batch: number): void {
		const G = this.gates;
		if (this.direct) {
			const k = this.direct;
			const { recT } = this.directWeights();
			this.kernels++;
			k.gemm(this.dz ?? k.region('bdz', 0), G, 1, recT, this.hidden, k.region('bdh', 0), this.hidden, batch, G, this.hidden, first * G);
			return;
		}
		const { dz, dh } = this.plain ?? this.backwardBuffers(0, 0);
		this.recurrentBack(dz.subarray(first * G, (first + batch) * G), batch, dh);
	}

	/**
	 * The forward product's weight gradient out [rows, G] = x^T dz over the n rows x [n, rows] that it
	 * saw and the dz of backwardBuffers: each entry a float32 sum over the rows in order.
	 */
	weightGradient(x: Float32Array, n: number, out: Float32Array): void {
		const G = this.gates;
		const R = this.rows;
		if (this.direct) {
			const k = this.direct;
			this.kernels++;
			const w = k.region('bw', R * G);
			// the rows forwardCell read are still there when x is the last rolled-out trajectory's copy
			const inPlace = this.rowsOf?.x === x && this.rowsOf.n === n;
			if (!inPlace) this.save();
			const bx = inPlace ? k.region('bx', n * R) : k.put('bx', x.subarray(0, n * R));
			this.rowsOf = { x, n };
			k.gemm(bx, 1, R, this.dz ?? k.region('bdz', 0), G, w, G, R, n, G);
			out.set(k.view(w, R * G));
			return;
		}
		const dz = this.plain?.dz;
		if (dz === undefined) throw new Error('Device.backwardBuffers was not called');
		const dzT = new Float32Array(G * n);
		for (let i = 0; i < n; i++) for (let c = 0; c < G; c++) dzT[c * n + i] = dz[i * G + c] as number;
		const wT = new Float32Array(G * R);
		this.product(dzT, G, n, x, R, wT);
		for (let r = 0; r < R; r++) for (let c = 0; c < G; c++) out[r * G + c] = wT[c * R + r] as number;
	}

	/**
	 * The heads' weight gradient out [outputs, H] = dOutT [outputs, N] h [N, H] of the trajectory
	 * backwardSteps read last: on the kernels h is read in place, where forwardCell left it.
	 */
	headWeightGradient(dOutT: Float32Array, outputs: number, traj: ResidentTrajectory, out: Float32Array): void {
		const k = this.direct;
		const H = this.hidden;
		const N = traj.n;
		if (k === undefined || this.cellsOf !== traj) {
			this.product(dOutT, outputs, N, traj.hidden, H, out);
			return;
		}
		this.kernels++;
		// every region first (one may grow the memory), then the copy
		const a = k.region('pa', outputs * N);
		const c = k.region('pc', outputs * H);
		const hidden = k.region('bh', N * H);
		k.f32.set(dOutT.subarray(0, outputs * N), a.index);
		k.gemm(a, N, 1, hidden, H, c, H, outputs, N, H);
		out.set(k.view(c, outputs * H));
	}

	/** a [m, n] x b [n, p] into out [m, p]. */
	product(a: Float32Array, m: number, n: number, b: Float32Array, p: number, out: Float32Array): void {
		if (this.direct) {
			const k = this.direct;
			this.kernels++;
			const ra = k.put('pa', a.subarray(0, m * n));
			const rb = k.put('pb', b.subarray(0, n * p));
			const rc = k.region('pc', m * p);
			k.gemm(ra, n, 1, rb, p, rc, p, m, n, p);
			out.set(k.view(rc, m * p));
			return;
		}
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

	private directWeights(): { lstm: Region; recT: Region } {
		if (this.weights === undefined) throw new Error('Device.setWeights was not called');
		return this.weights;
	}

	/** Before a rollout into `traj` rewrites the regions: the trajectory rolled out before is saved (unless it is traj) and none is resident. */
	private release(traj: ResidentTrajectory): void {
		this.save(traj);
		this.unsaved = undefined;
		this.cellsOf = undefined;
		this.rowsOf = undefined;
		this.consumed = undefined;
		this.dz = undefined;
	}

	/** Writes the gates, cell, tanhCell, hidden and rows of the unsaved trajectory (unless it is `except`) into its arrays. */
	private save(except?: ResidentTrajectory): void {
		const u = this.unsaved;
		const k = this.held;
		if (u === undefined || u === except || k === undefined) return;
		const G = this.gates;
		const H = this.hidden;
		const N = u.n;
		u.gates.set(k.view(k.region('bg', N * G), N * G));
		u.cell.set(k.view(k.region('bc', N * H), N * H));
		u.tanhCell.set(k.view(k.region('bt', N * H), N * H));
		u.hidden.set(k.view(k.region('bh', N * H), N * H));
		// the rows stay in 'bx' until then (weightGradient replaces them only after a save)
		const x = u.coded ?? u.xh;
		if (this.rowsOf?.x === x) x.set(k.view(k.region('bx', N * this.rows), N * this.rows));
		this.unsaved = undefined;
	}

	/** Frees the tensors and hands the kernels to the thread's next device (taken again if this one is used after). */
	dispose(): void {
		this.save();
		this.weights = undefined;
		this.cellsOf = undefined;
		this.rowsOf = undefined;
		this.consumed = undefined;
		this.dz = undefined;
		if (this.held !== undefined) idleKernels.push(this.held);
		this.held = undefined;
		this.lstm?.dispose();
		this.recurrentT?.dispose();
		this.lstm = undefined;
		this.recurrentT = undefined;
	}
}
