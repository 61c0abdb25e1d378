/**
 * What bit-identity costs the agent's forward step and products: the kernels the agent runs (exact:
 * the same bits as tfjs-backend-wasm and rollout.ts's float64 cell) timed against two variants that
 * would change the agent's numbers and are therefore NOT used by it (nor built into kernels.wat):
 *   cell f32   the LSTM cell in float32 SIMD with tanh c = 2 sigmoid(2 c) - 1 (XNNPACK's sigmoid),
 *              four units a vector, instead of float64 with fdlibm's exp two units a vector;
 *   gemm fma   the GEMM's multiply-add fused (relaxed SIMD's f32x4.relaxed_madd, one rounding
 *              instead of two), on the update's three shapes at B 64 (needs V8's
 *              --experimental-wasm-relaxed-simd; skipped without it).
 * The modules are assembled here with wabt from the same generators as build-kernels.ts.
 *
 *   npm install --no-save wabt@1.0.39
 *   node --experimental-wasm-relaxed-simd --import tsx src/bench/scripts/agent-inexact.ts [--batch 64]
 *
 * Prints microseconds per call (CPU time, the best of 5 alternated rounds) and the saving per
 * update (T = 100 steps), so that the design notes can say what an inexact agent would gain.
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { exp, exp2 } from './kernels-cell.js';
import { gatesCell } from './kernels-gates-cell.js';
import { tile } from './kernels-gemm.js';
import { interleave, sigmoid, sigmoidLocals, sigmoidSteps } from './kernels-sigmoid.js';

const { values } = parseArgs({ options: { batch: { type: 'string', default: '64' } } });
const B = Number(values.batch);
// the FMA variant's GEMM takes rows in pairs (its 2 x 16 tiles without the odd-row tail)
if (!(Number.isInteger(B) && B >= 2 && B % 2 === 0)) {
	process.stderr.write(`agent-inexact: --batch: expected an even integer of at least 2 (got ${values.batch})\n`);
	process.exit(2);
}
const H = 48;
const G = 4 * H;
const T = 100;

/** The cell in float32: four units of a row at once, every gate and tanh through the sigmoid. */
const gatesCellF32 = `  (func (export "gatesCellF32") (param $z i32) (param $cprev i32) (param $gates i32) (param $cell i32) (param $tanh i32) (param $hid i32) (param $B i32) (param $H i32)
    (local $n i32) (local $j i32) (local $hb i32) (local $zo i32) (local $ho i32) (local $g v128) (local $c v128)
   ${['i', 'f', 'o', 'g', 't'].map((q) => ` (local $x${q} v128) (local $y${q} v128)${sigmoidLocals(q)}`).join('')}
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (block $rows (loop $row
      (br_if $rows (i32.ge_u (local.get $n) (local.get $B)))
      (local.set $j (i32.const 0))
      (block $quads (loop $quad
        (br_if $quads (i32.ge_u (local.get $j) (local.get $H)))
        (local.set $zo (i32.add (local.get $z) (i32.shl (i32.add (i32.mul (local.get $n) (i32.shl (local.get $H) (i32.const 2))) (local.get $j)) (i32.const 2))))
        (local.set $ho (i32.shl (i32.add (i32.mul (local.get $n) (local.get $H)) (local.get $j)) (i32.const 2)))
        ${['i', 'f', 'o', 'g'].map((q, k) => `(local.set $x${q} (v128.load (i32.add (local.get $zo) (i32.mul (local.get $hb) (i32.const ${k})))))`).join('\n        ')}
        ${interleave(['i', 'f', 'o', 'g'].map((q) => sigmoidSteps(q))).join('\n        ')}
        (local.set $g (f32x4.sub (f32x4.add (local.get $yg) (local.get $yg)) (v128.const f32x4 1 1 1 1)))
        (local.set $c (f32x4.add (f32x4.mul (local.get $yf) (v128.load (i32.add (local.get $cprev) (local.get $ho)))) (f32x4.mul (local.get $yi) (local.get $g))))
        (local.set $xt (f32x4.add (local.get $c) (local.get $c)))
        ${sigmoidSteps('t').join('\n        ')}
        (local.set $yt (f32x4.sub (f32x4.add (local.get $yt) (local.get $yt)) (v128.const f32x4 1 1 1 1)))
        (v128.store (i32.add (local.get $gates) (i32.sub (local.get $zo) (local.get $z))) (local.get $yi))
        (v128.store (i32.add (i32.add (local.get $gates) (i32.sub (local.get $zo) (local.get $z))) (local.get $hb)) (local.get $yf))
        (v128.store (i32.add (i32.add (local.get $gates) (i32.sub (local.get $zo) (local.get $z))) (i32.mul (local.get $hb) (i32.const 2))) (local.get $yo))
        (v128.store (i32.add (i32.add (local.get $gates) (i32.sub (local.get $zo) (local.get $z))) (i32.mul (local.get $hb) (i32.const 3))) (local.get $g))
        (v128.store (i32.add (local.get $cell) (local.get $ho)) (local.get $c))
        (v128.store (i32.add (local.get $tanh) (local.get $ho)) (local.get $yt))
        (v128.store (i32.add (local.get $hid) (local.get $ho)) (f32x4.mul (local.get $yo) (local.get $yt)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $quad)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $row)))
  )`;

/** C [M, N] (+)= A B over whole 2 x 16 tiles (M even, N % 16 = 0), with `fma` the fused multiply-add. */
function gemmText(name: string, fma: boolean): string {
	let t = tile(2, 4).replace('$tile_2x16', `$tile_${name}`);
	if (fma) t = t.replace(/\(f32x4\.add \(local\.get (\$c\d_\d)\) \(f32x4\.mul (\(local\.get \$va\d\)) (\(local\.get \$vb\d\))\)\)/g, '(f32x4.relaxed_madd $2 $3 (local.get $1))');
	return `${t}
  (func (export "${name}") (param $a i32) (param $sam i32) (param $sak i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32) (param $M i32) (param $K i32) (param $N i32) (param $acc i32)
    (local $m i32) (local $n i32)
    (block $md (loop $ml
      (br_if $md (i32.ge_u (local.get $m) (local.get $M)))
      (local.set $n (i32.const 0))
      (block $nd (loop $nl
        (br_if $nd (i32.ge_u (local.get $n) (local.get $N)))
        (call $tile_${name} (i32.add (local.get $a) (i32.mul (local.get $m) (i32.shl (local.get $sam) (i32.const 2)))) (i32.add (local.get $b) (i32.shl (local.get $n) (i32.const 2))) (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $m) (local.get $ldc)) (local.get $n)) (i32.const 2))) (local.get $sam) (local.get $sak) (local.get $ldb) (local.get $ldc) (local.get $K) (local.get $acc))
        (local.set $n (i32.add (local.get $n) (i32.const 16)))
        (br $nl)))
      (local.set $m (i32.add (local.get $m) (i32.const 2)))
      (br $ml)))
  )`;
}

const require = createRequire(import.meta.url);
const wabtName = 'wabt';
type Wabt = { parseWat(n: string, t: string, f: Record<string, boolean>): { toBinary(o: object): { buffer: Uint8Array }; validate(): void } };
const wabt = await (require(wabtName) as () => Promise<Wabt>)();
const wasm = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object) => { exports: Record<string, unknown> } } }).WebAssembly;
function instantiate(body: string, relaxed: boolean): Record<string, unknown> {
	const parsed = wabt.parseWat('inexact.wat', `(module (memory (export "memory") 512)\n${body}\n)`, { simd: true, relaxed_simd: relaxed });
	parsed.validate();
	return new wasm.Instance(new wasm.Module(parsed.toBinary({}).buffer)).exports;
}
const cells = instantiate(`${sigmoid}\n${exp}\n${exp2}\n${gatesCell}\n${gatesCellF32}`, false);
let fmaModule: Record<string, unknown> | undefined;
try {
	fmaModule = instantiate(`${gemmText('gemmExact', false)}\n${gemmText('gemmFma', true)}`, true);
} catch {
	fmaModule = undefined;
}
const exact = fmaModule ?? instantiate(gemmText('gemmExact', false), false);

const cpuMs = (): number => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
};
/** Best microseconds per call of each function over 5 rounds, the functions alternated in each round. */
function race(calls: Record<string, () => void>, reps: number): Record<string, number> {
	const best: Record<string, number> = {};
	for (let round = 0; round < 6; round++)
		for (const [name, f] of Object.entries(calls)) {
			const t0 = cpuMs();
			for (let i = 0; i < reps; i++) f();
			const us = ((cpuMs() - t0) / reps) * 1000;
			if (round > 0) best[name] = Math.min(best[name] ?? Infinity, us);
		}
	return best;
}
const fill = (memory: unknown, from: number, count: number, scale: number) => {
	const f32 = new Float32Array((memory as { buffer: ArrayBuffer }).buffer);
	for (let i = 0; i < count; i++) f32[from / 4 + i] = Math.sin(i * 1.3) * scale;
};

// the cell: z [B, G] at 0, cprev, gates, cell, tanh, hidden after it (bytes)
const zBytes = 4 * B * G;
const [cp, gts, cl, th, hd] = [zBytes, 2 * zBytes, 3 * zBytes, 4 * zBytes, 5 * zBytes];
fill(cells.memory, 0, B * G, 4);
fill(cells.memory, cp, B * H, 2);
const fn = (name: string) => cells[name] as (...args: number[]) => void;
const cell = race({ exact: () => fn('gatesCell')(0, cp, gts, cl, th, hd, B, H, 0), f32: () => fn('gatesCellF32')(0, cp, gts, cl, th, hd, B, H) }, 2000);
process.stdout.write(
	`cell, B ${B}, H ${H}: float64 (exact) ${cell.exact?.toFixed(1)} us, float32 ${cell.f32?.toFixed(1)} us a step; ${((((cell.exact ?? 0) - (cell.f32 ?? 0)) * T) / 1000).toFixed(2)} ms less an update\n`,
);

// the products of an update: forward [B, R] x [R, G] and recurrent [B, G] x [G, H] per step, weight gradient x^T dz once
const R = 56;
let saved = 0;
for (const [name, M, K, N, transposed, perUpdate] of [
	['forward', B, R, G, false, T],
	['recurrent', B, G, H, false, T - 1],
	['weight gradient', R, T * B, G, true, 1],
] as const) {
	const a = 0;
	const b = 4 * M * K;
	const c = b + 4 * K * N;
	fill(exact.memory, a, M * K, 1);
	fill(exact.memory, b, K * N, 0.5);
	const [sam, sak] = transposed ? [1, M] : [K, 1];
	// k in blocks of 128 rows with C carrying the sums, as Kernels.gemm runs it
	const run = (module: Record<string, unknown>, f: string) => () => {
		for (let k0 = 0; k0 < K; k0 += 128) (module[f] as (...args: number[]) => void)(a + 4 * k0 * sak, sam, sak, b + 4 * k0 * N, N, c, N, M, Math.min(128, K - k0), N, k0 > 0 ? 1 : 0);
	};
	const calls: Record<string, () => void> = { exact: run(exact, 'gemmExact') };
	if (fmaModule !== undefined) calls.fma = run(fmaModule, 'gemmFma');
	const t = race(calls, transposed ? 20 : 1000);
	const gain = fmaModule === undefined ? undefined : (((t.exact ?? 0) - (t.fma ?? 0)) * perUpdate) / 1000;
	if (gain !== undefined) saved += gain;
	process.stdout.write(
		`gemm ${name} [${M}, ${K}] x [${K}, ${N}]: exact ${t.exact?.toFixed(1)} us${fmaModule === undefined ? ' (fma: run node with --experimental-wasm-relaxed-simd)' : `, fma ${t.fma?.toFixed(1)} us; ${gain?.toFixed(2)} ms less an update`}\n`,
	);
}
if (fmaModule !== undefined) process.stdout.write(`products with fma: ${saved.toFixed(2)} ms less an update\n`);
