/**
 * The agent's own WebAssembly SIMD kernels (kernels.wat, assembled into kernels-wasm.ts by
 * src/bench/scripts/build-kernels.ts): a GEMM, the sigmoid, the LSTM cell and its backward step, on
 * a memory of their own.
 *
 * Why: at batch 64 an update spent ~40% of its time in tfjs-backend-wasm's products, a third of that
 * in what surrounds them (tensors made and read back for the weight gradient, the per-call argument
 * marshalling of cwrap); these kernels run on plain offsets of one memory, and take either layout of
 * their left operand, so the weight gradient xh^T dz needs no transposed copy (docs/design-notes.md).
 *
 * Why they give the same numbers as tfjs-backend-wasm 4.22 (SIMD build, XNNPACK), bit for bit: its
 * products sum each output over k in order in float32 (acc = acc + a b, each rounded, no FMA), as
 * `gemm` does; its sigmoid is XNNPACK's rr2-p5-div, which `sigmoid` repeats operation for operation.
 * Studies trained before therefore replay to the digit (test/objectives/bandit/learner/kernels.test.ts
 * checks both against the tfjs backend on random inputs).
 *
 * Memory: the kernels' constants (a data segment), then named regions of float32 (`region`), allocated once and kept (they grow when a larger size
 * is asked; the memory grows, and `f32` is the current view of it).
 *
 * The GEMM, the cell, the BPTT step and the heads run in the optional native addon when it is built
 * and the CPU has AVX2 (native-kernels.ts; METATUNE_NATIVE=0 turns it off): the same bits on the same
 * memory, in place; the sigmoid, copyRows and exp (for tests) stay here.
 */
import { KERNEL_CONSTANT_BYTES, kernelsWasmBase64 } from './kernels-wasm.js';
import { type NativeAddon, nativeAddon } from './native-kernels.js';

/** The parts of the WebAssembly API used here (the project's type libraries do not declare it). */
interface WasmApi {
	readonly Module: new (bytes: Uint8Array) => object;
	readonly Instance: new (module: object) => { readonly exports: unknown };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface KernelExports {
	readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
	gemm(a: number, sam: number, sak: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, n: number, acc: number): void;
	sigmoid(x: number, y: number, count: number): void;
	exp(x: number): number;
	expSteady(x: number): number;
	gatesCell(z: number, cprev: number, gates: number, cell: number, tanh: number, hidden: number, batch: number, hiddenUnits: number, first: number): void;
	heads(hidden: number, w: number, logits: number, batch: number, hiddenUnits: number, outputs: number): void;
	copyRows(src: number, srcStride: number, dst: number, dstStride: number, rows: number, width: number): void;
	bpttStep(
		dout: number,
		n: number,
		n0: number,
		batch: number,
		outputs: number,
		hidden: number,
		w: number,
		dhNext: number,
		dcNext: number,
		gates: number,
		tanh: number,
		cell: number,
		dz: number,
		last: number,
		first: number,
	): void;
}

let compiled: object | undefined;

/** Rows of B per GEMM call (k blocking): 128 rows of 192 floats are 96 KiB. */
const kBlock = 128;

/** Whether this runtime runs the kernels (WebAssembly with SIMD: Node 16.4+). */
export function kernelsSupported(): boolean {
	try {
		compiled ??= new wasmApi.Module(Buffer.from(kernelsWasmBase64, 'base64'));
		return true;
	} catch {
		return false;
	}
}

/** A region of the kernels' memory: its offset in floats (index into `f32`) and in bytes. */
export interface Region {
	readonly index: number;
	readonly bytes: number;
	readonly size: number;
}

export class Kernels {
	private readonly exports: KernelExports;
	/** the addon's kernels when they run (undefined: kernels.wat's) */
	private readonly native: NativeAddon | undefined;
	private readonly regions = new Map<string, Region>();
	/** the first free byte (the kernels' constants come first) */
	private top = KERNEL_CONSTANT_BYTES;
	/** float32 and float64 views of the whole memory (renewed when the memory grows). */
	f32: Float32Array;
	f64: Float64Array;

	/** `products`: whose kernels run ('auto': the native ones where they run, see native-kernels.ts). */
	constructor(products: 'auto' | 'wasm' = 'auto') {
		if (!kernelsSupported()) throw new Error('the agent kernels need WebAssembly SIMD');
		this.exports = new wasmApi.Instance(compiled as object).exports as unknown as KernelExports;
		this.native = products === 'auto' ? nativeAddon() : undefined;
		this.f32 = new Float32Array(this.exports.memory.buffer);
		this.f64 = new Float64Array(this.exports.memory.buffer);
	}

	/** The region `name` of at least `size` floats (16-byte aligned). */
	region(name: string, size: number): Region {
		const r = this.regions.get(name);
		if (r !== undefined && r.size >= size) return r;
		const bytes = this.top;
		this.top += Math.ceil((size * 4) / 16) * 16;
		const need = this.top - this.exports.memory.buffer.byteLength;
		if (need > 0) {
			this.exports.memory.grow(Math.ceil(need / 65536));
			this.f32 = new Float32Array(this.exports.memory.buffer);
			this.f64 = new Float64Array(this.exports.memory.buffer);
		}
		const out = { index: bytes >>> 2, bytes, size };
		this.regions.set(name, out);
		return out;
	}

	/** Copy `data` into region `name` (made to fit) and return it. */
	put(name: string, data: Float32Array): Region {
		const r = this.region(name, data.length);
		this.f32.set(data, r.index);
		return r;
	}

	/** The first `size` floats of region r (a view: valid until the memory grows). */
	view(r: Region, size = r.size): Float32Array {
		return this.f32.subarray(r.index, r.index + size);
	}

	/** Whose kernels run the products, the cell, the BPTT step and the heads: the native addon's (AVX2) or kernels.wat's. */
	get products(): 'native' | 'wasm' {
		return this.native ? 'native' : 'wasm';
	}

	/**
	 * C [m, n] (row stride ldc) = A B, A(i, k) at a.index + i sam + k sak, B [k, n] (row stride ldb):
	 * offsets in floats from the regions' starts. `accumulate`: C += A B (each sum starts from C).
	 */
	gemm(a: Region, sam: number, sak: number, b: Region, ldb: number, c: Region, ldc: number, m: number, k: number, n: number, aOffset = 0, bOffset = 0, cOffset = 0, accumulate = false): void {
		const pa = a.bytes + 4 * aOffset;
		const pb = b.bytes + 4 * bOffset;
		const pc = c.bytes + 4 * cOffset;
		if (k === 0 && !accumulate) this.f32.fill(0, pc >>> 2, (pc >>> 2) + m * ldc);
		if (this.native) {
			this.native.gemm(this.f32.buffer as ArrayBuffer, pa, sam, sak, pb, ldb, pc, ldc, m, k, n, accumulate ? 1 : 0);
			return;
		}
		// blocks of kBlock rows of B stay in cache across the row tiles; C carries the running sums
		for (let k0 = 0; k0 < k; k0 += kBlock) this.exports.gemm(pa + 4 * k0 * sak, sam, sak, pb + 4 * k0 * ldb, ldb, pc, ldc, m, Math.min(kBlock, k - k0), n, accumulate || k0 > 0 ? 1 : 0);
	}

	/** fdlibm's exp as the kernels run it (for tests: it must equal Math.exp). */
	exp(x: number): number {
		return this.exports.exp(x);
	}

	/** The branch-free exp of the cell (kernels.wat), for tests: it too must equal Math.exp. */
	expSteady(x: number): number {
		return this.exports.expSteady(x);
	}

	/**
	 * One step of the LSTM cell for `batch` rows from the gate pre-activations z = xh lstm2 [batch, 4H]
	 * (see rollout.ts): the sigmoid and the cell in one pass, the same bits as `sigmoid` then
	 * rollout.ts's cell; gates [batch, 4H], cell, tanhCell, hidden [batch, H]; cprev [batch, H] is
	 * c_{t-1} (undefined at t = 0).
	 */
	gatesCell(z: Region, cprev: Region | undefined, gates: Region, cell: Region, tanh: Region, hidden: Region, batch: number, units: number): void {
		if (this.native) this.native.gatesCell(this.f32.buffer as ArrayBuffer, z.bytes, cprev?.bytes ?? 0, gates.bytes, cell.bytes, tanh.bytes, hidden.bytes, batch, units, cprev === undefined ? 1 : 0);
		else this.exports.gatesCell(z.bytes, cprev?.bytes ?? 0, gates.bytes, cell.bytes, tanh.bytes, hidden.bytes, batch, units, cprev === undefined ? 1 : 0);
	}

	/**
	 * The backward pass of the LSTM cell at one step (bptt.ts's loop, the same float64 operations in
	 * the same order) for the rows n0 .. n0 + batch - 1 of an n-row trajectory: from dOutT [outputs,
	 * n], the heads' weights w [outputs, H], dhNext and dcNext [batch, H] (ignored when `last`) and
	 * the trajectory's gates [n, 4H], tanhCell and cell [n, H] (c_{t-1} ignored when `first`), writes
	 * dz [n, 4H] of those rows and dcNext = dc f.
	 */
	bpttStep(
		dOutT: Region,
		n: number,
		n0: number,
		batch: number,
		outputs: number,
		units: number,
		w: Region,
		dhNext: Region,
		dcNext: Region,
		gates: Region,
		tanh: Region,
		cell: Region,
		dz: Region,
		last: boolean,
		first: boolean,
	): void {
		if (this.native)
			this.native.bpttStep(
				this.f32.buffer as ArrayBuffer,
				dOutT.bytes,
				n,
				n0,
				batch,
				outputs,
				units,
				w.bytes,
				dhNext.bytes,
				dcNext.bytes,
				gates.bytes,
				tanh.bytes,
				cell.bytes,
				dz.bytes,
				last ? 1 : 0,
				first ? 1 : 0,
			);
		else this.exports.bpttStep(dOutT.bytes, n, n0, batch, outputs, units, w.bytes, dhNext.bytes, dcNext.bytes, gates.bytes, tanh.bytes, cell.bytes, dz.bytes, last ? 1 : 0, first ? 1 : 0);
	}

	/**
	 * The heads of rollout.ts for `batch` rows: logits [batch, outputs] (float64) = bias + w h, from
	 * hidden [batch, H] and w [outputs, H] followed by the biases [outputs], each a float64 sum over
	 * the units in order from the bias.
	 */
	heads(hidden: Region, w: Region, logits: Region, batch: number, units: number, outputs: number): void {
		if (this.native) this.native.heads(this.f32.buffer as ArrayBuffer, hidden.bytes, w.bytes, logits.bytes, batch, units, outputs);
		else this.exports.heads(hidden.bytes, w.bytes, logits.bytes, batch, units, outputs);
	}

	/** `rows` rows of `width` floats from src (row stride srcStride floats) to dst (dstStride). */
	copyRows(src: Region, srcStride: number, dst: Region, dstStride: number, rows: number, width: number): void {
		this.exports.copyRows(src.bytes, srcStride, dst.bytes, dstStride, rows, width);
	}

	/** y = sigmoid(x) over `count` floats (a multiple of 4). */
	sigmoid(x: Region, y: Region, count: number): void {
		if (count % 4 !== 0) throw new RangeError(`sigmoid: count ${count} is not a multiple of 4`);
		this.exports.sigmoid(x.bytes, y.bytes, count);
	}
}
