/**
 * The optional native products (native-kernels.ts, the AVX2 addon) give the WebAssembly GEMM's
 * numbers bit for bit, so an agent trains to the same parameters with or without the addon: both
 * layouts of A, with and without accumulating into C, at both vector widths, over shapes whose rows,
 * columns and k leave every remainder of the tiles (3 rows, 4 or 8 lanes, 16 or 32 columns, k blocks
 * of 128 and 256), and the forward step's sigmoid and cell (the same float32 and float64 operations,
 * fdlibm's exp) on inputs that reach every branch of exp, the cell's backward step and the heads. A product with one rounding instead of two
 * (a fused multiply-add) fails here.
 * Without the addon the test says so and passes; with METATUNE_REQUIRE_NATIVE=1 (CI) it fails.
 */
import test from 'ava';
import { Rng } from '../../../../src/core/rng.js';
import { Kernels } from '../../../../src/objectives/bandit/learner/kernels.js';
import { nativeAddon, nativeStatus } from '../../../../src/objectives/bandit/learner/native-kernels.js';

const random = (rng: Rng, n: number) => Float32Array.from({ length: n }, () => rng.uniform(-1, 1));

/** How many entries of a and b differ as float32 values (-0 and +0 count as different). */
function differences(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let bad = 0;
	for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) bad++;
	return bad + Math.abs(a.length - b.length);
}

/** m, k, n: every row remainder of 3, column tails 1-31, k past both block sizes */
const shapes: readonly (readonly [number, number, number])[] = [
	[64, 55, 192],
	[64, 192, 48],
	[55, 600, 192],
	[1, 1, 1],
	[2, 3, 5],
	[3, 7, 9],
	[4, 17, 33],
	[5, 129, 31],
	[7, 257, 47],
	[8, 13, 12],
	[10, 64, 4],
	[11, 5, 63],
	[13, 300, 19],
	[6, 0, 7],
];

test('the native GEMM equals the WebAssembly GEMM bit for bit (both layouts, accumulating or not, 4 and 8 lanes)', (t) => {
	const status = nativeStatus();
	if (status.kind !== 'native') {
		const message = `native products not running here (${JSON.stringify(status)}); build them with npm run build (g++ and Node's headers)`;
		if (process.env.METATUNE_REQUIRE_NATIVE === '1') return t.fail(`${message} (METATUNE_REQUIRE_NATIVE=1)`);
		process.stderr.write(`native-kernels.test.ts: SKIPPING, ${message}, or set METATUNE_REQUIRE_NATIVE=1 to fail instead\n`);
		return t.pass();
	}
	const addon = nativeAddon();
	if (addon === undefined) return t.fail('nativeStatus says native but nativeAddon is undefined');
	const calibrated = addon.lanes();
	const native = new Kernels('auto');
	const wasm = new Kernels('wasm');
	t.is(native.products, 'native');
	t.is(wasm.products, 'wasm');
	const rng = new Rng(11);
	let checked = 0;
	try {
		for (const lanes of [4, 8] as const) {
			addon.lanes(lanes);
			for (const [m, k, n] of shapes) {
				const a = random(rng, m * k);
				const b = random(rng, k * n);
				// a row of zeros times B: every product is +-0, and the sum from +0 must end +0 as in WebAssembly
				if (m > 1) a.fill(0, 0, k);
				const aT = new Float32Array(m * k);
				for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) aT[j * m + i] = a[i * k + j]!;
				const c0 = random(rng, m * n);
				for (const transposed of [false, true])
					for (const accumulate of [false, true]) {
						// A one float past its region's start (unaligned), C with a wider row stride than n
						const ldc = n + 3;
						const outputs = [native, wasm].map((kernels) => {
							const ra = kernels.put('a', Float32Array.of(0, ...(transposed ? aT : a)));
							const rb = kernels.put('b', b);
							const rc = kernels.region('c', m * ldc);
							for (let i = 0; i < m; i++) kernels.f32.set(c0.subarray(i * n, (i + 1) * n), rc.index + i * ldc);
							kernels.gemm(ra, transposed ? 1 : k, transposed ? m : 1, rb, n, rc, ldc, m, k, n, 1, 0, 0, accumulate);
							return kernels.view(rc, m * ldc).slice();
						});
						t.is(differences(outputs[0]!, outputs[1]!), 0, `${lanes} lanes: [${m}, ${k}]${transposed ? '^T' : ''} x [${k}, ${n}]${accumulate ? ', accumulating' : ''}`);
						checked++;
					}
			}
		}
	} finally {
		addon.lanes(calibrated as 4 | 8);
	}
	t.is(checked, 2 * shapes.length * 4);
});

test("the native cell equals the WebAssembly gatesCell bit for bit, exp's edge arguments included", (t) => {
	const addon = nativeAddon();
	if (addon === undefined) return t.pass(); // reported by the first test
	const native = new Kernels('auto');
	const wasm = new Kernels('wasm');
	const rng = new Rng(12);
	let checked = 0;
	// H: the 16- and 8-unit chains, the 4-unit path and single units; B rows
	for (const [batch, units] of [
		[64, 48],
		[3, 7],
		[5, 29],
		[2, 3],
	] as const) {
		const z = random(rng, batch * 4 * units).map((x) => x * 6);
		// gate inputs past the sigmoid's cutoff (|z| > 87.3) and exact zeros (row 0's i block)
		z.set([100, -100, 0, -0, 87.4, -87.4].slice(0, Math.min(6, units)), 0);
		const cprev = random(rng, batch * units).map((x) => x * 2);
		// exp's arguments outside its branch-free range: row 0's units 0-2 with g = 0 (z_g = 0) and a tiny
		// or zero c_{t-1}, so |2c| < 2^-28 (where tanh c still shows exp's value); row 1 with |2c| up to ~2000
		for (let j = 0; j < Math.min(3, units); j++) z[3 * units + j] = 0;
		cprev.set([1e-12, -1e-20, 0].slice(0, Math.min(3, units)), 0);
		for (let j = 0; j < units; j++) cprev[units + j] = (j % 2 === 0 ? 1 : -1) * rng.uniform(300, 3000);
		for (const first of [true, false]) {
			const outputs = [native, wasm].map((kernels) => {
				const rz = kernels.put('z', z);
				const rp = kernels.put('cprev', cprev);
				const out = ['gates', 'cell', 'tanh', 'hidden'].map((name, k) => kernels.region(name, (k === 0 ? 4 : 1) * batch * units));
				kernels.gatesCell(rz, first ? undefined : rp, out[0]!, out[1]!, out[2]!, out[3]!, batch, units);
				return out.map((r, k) => kernels.view(r, (k === 0 ? 4 : 1) * batch * units).slice());
			});
			for (let k = 0; k < 4; k++) t.is(differences(outputs[0]![k]!, outputs[1]![k]!), 0, `B ${batch} H ${units}${first ? ' (t = 0)' : ''}: ${['gates', 'cell', 'tanh', 'hidden'][k]}`);
			checked++;
		}
	}
	t.is(checked, 8);
});

test('the native BPTT step equals the WebAssembly bpttStep bit for bit (last, middle and first steps)', (t) => {
	const addon = nativeAddon();
	if (addon === undefined) return t.pass(); // reported by the first test
	const native = new Kernels('auto');
	const wasm = new Kernels('wasm');
	const rng = new Rng(13);
	let checked = 0;
	for (const [steps, batch, outputs, units] of [
		[3, 64, 3, 48],
		[3, 5, 4, 7],
		[2, 2, 2, 3],
	] as const) {
		const n = steps * batch;
		const dout = random(rng, outputs * n);
		// zero entries are skipped (as bptt.ts does), so some must be zero
		for (let i = 0; i < dout.length; i += 3) dout[i] = 0;
		const w = random(rng, outputs * units);
		const gates = random(rng, n * 4 * units).map((x) => (x + 1) / 2);
		const tanh = random(rng, n * units);
		const cell = random(rng, n * units).map((x) => x * 3);
		const dhNext = random(rng, batch * units);
		const dcNext = random(rng, batch * units);
		const outputsOf = [native, wasm].map((kernels) => {
			const r = {
				dout: kernels.put('dout', dout),
				w: kernels.put('w', w),
				gates: kernels.put('gates', gates),
				tanh: kernels.put('tanh', tanh),
				cell: kernels.put('cell', cell),
				dh: kernels.put('dh', dhNext),
				dc: kernels.put('dc', dcNext),
				dz: kernels.region('dz', n * 4 * units),
			};
			const seen: Float32Array[] = [];
			for (let step = steps - 1; step >= 0; step--) {
				kernels.bpttStep(r.dout, n, step * batch, batch, outputs, units, r.w, r.dh, r.dc, r.gates, r.tanh, r.cell, r.dz, step === steps - 1, step === 0);
				seen.push(kernels.view(r.dc, batch * units).slice());
			}
			return [...seen, kernels.view(r.dz, n * 4 * units).slice()];
		});
		for (let k = 0; k < outputsOf[0]!.length; k++)
			t.is(differences(outputsOf[0]![k]!, outputsOf[1]![k]!), 0, `T ${steps} B ${batch} K1 ${outputs} H ${units}: ${k < steps ? `dc after step ${steps - 1 - k}` : 'dz'}`);
		checked++;
	}
	t.is(checked, 3);
});

test('the native heads equal the WebAssembly heads bit for bit', (t) => {
	const addon = nativeAddon();
	if (addon === undefined) return t.pass(); // reported by the first test
	const native = new Kernels('auto');
	const wasm = new Kernels('wasm');
	const rng = new Rng(14);
	for (const [batch, units, outputs] of [
		[64, 48, 3],
		[13, 7, 12],
		[1, 3, 2],
	] as const) {
		const hidden = random(rng, batch * units);
		const w = random(rng, outputs * (units + 1));
		const [a, b] = [native, wasm].map((kernels) => {
			const logits = kernels.region('logits', 2 * batch * outputs);
			kernels.heads(kernels.put('hidden', hidden), kernels.put('w', w), logits, batch, units, outputs);
			return kernels.f64.slice(logits.bytes / 8, logits.bytes / 8 + batch * outputs);
		});
		t.is(differences(a!, b!), 0, `B ${batch} H ${units} K1 ${outputs}`);
	}
});

test('the native GEMM refuses an operand past the end of the memory', (t) => {
	const addon = nativeAddon();
	if (addon === undefined) return t.pass(); // reported by the test above
	const memory = new ArrayBuffer(4 * 100);
	t.throws(() => addon.gemm(memory, 0, 10, 1, 0, 10, 0, 10, 10, 10, 11, 0), { instanceOf: RangeError });
	t.throws(() => addon.gemm(memory, 2, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0), { instanceOf: RangeError });
	t.notThrows(() => addon.gemm(memory, 0, 1, 1, 0, 1, 200, 1, 1, 1, 1, 0));
});

test('the native cell, BPTT step and heads refuse regions past the memory, whatever their sizes', (t) => {
	const addon = nativeAddon();
	if (addon === undefined) return t.pass(); // reported by the test above
	const memory = new ArrayBuffer(4 * 100);
	const big = 2 ** 31 - 1;
	// sizes whose products wrap a 64-bit integer must be refused, not read past the memory
	t.throws(() => addon.heads(memory, 0, 0, 0, 2 ** 30 + 1, big, 2 ** 30), { instanceOf: RangeError });
	t.throws(() => addon.gatesCell(memory, 0, 0, 0, 0, 0, 0, big, big, 0), { instanceOf: RangeError });
	t.throws(() => addon.bpttStep(memory, 0, big, 0, 1, big, big, 0, 0, 0, 0, 0, 0, 0, 1, 1), { instanceOf: RangeError });
	// and regions that fit, or just do not, are told apart: heads of B 2, H 3, K1 2 need 6 + 8 floats and 4 doubles
	t.notThrows(() => addon.heads(memory, 0, 24, 64, 2, 3, 2));
	t.throws(() => addon.heads(memory, 0, 24, 376, 2, 3, 2), { instanceOf: RangeError });
});
