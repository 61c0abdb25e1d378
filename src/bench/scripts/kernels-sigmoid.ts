/**
 * The text of the kernels' sigmoid (kernels.wat's `sigmoid`, and the steps that `gatesCell` inlines),
 * for build-kernels.ts: y = 1 / (1 + exp(-x)) as XNNPACK's f32-vsigmoid wasmsimd rr2-p5-div
 * (tfjs-backend-wasm 4.22): exp by a degree-5 polynomial after a two-constant range reduction, one
 * division. Every operation is lane-wise, so a lane's result does not depend on what the other lanes
 * hold or on how the inputs are grouped into vectors. The constants are XNNPACK's hex-float literals,
 * written as their float32 bits.
 */

/** float32 constants written as their bits (the hex-float literals of XNNPACK's source). */
const f32 = (hex: string): string => {
	const m = /^(-?)0x1\.([0-9A-F]+)p([+-]?\d+)$/i.exec(hex);
	if (m === null) throw new Error(`bad hex float ${hex}`);
	const digits = m[2] as string;
	const value = (m[1] === '-' ? -1 : 1) * (1 + Number.parseInt(digits, 16) / 16 ** digits.length) * 2 ** Number(m[3]);
	const bits = new Int32Array(new Float32Array([value]).buffer)[0] as number;
	if (new Float32Array([value])[0] !== value) throw new Error(`${hex} is not a float32`);
	return `(v128.const i32x4 ${bits} ${bits} ${bits} ${bits})`;
};

/** The locals that sigmoidSteps(p) uses (v128). */
export const sigmoidLocals = (p: string): string => ['z', 'n', 's', 't', 'p', 'e'].map((v) => ` (local $v${v}${p} v128)`).join('');

/**
 * The sigmoid of the f32x4 in local $x{p} into local $y{p}, one statement per line: the
 * statements of several vectors can be interleaved (independent chains for the core to overlap).
 */
export function sigmoidSteps(p: string): string[] {
	const v = (name: string) => `(local.get $v${name}${p})`;
	const set = (name: string, e: string) => `(local.set $v${name}${p} ${e})`;
	const x = `(local.get $x${p})`;
	return [
		set('z', `(f32x4.abs ${x})`),
		set('n', `(f32x4.add ${f32('0x1.8000FEp23')} (f32x4.mul ${v('z')} ${f32('-0x1.715476p+0')}))`),
		set('s', `(i32x4.shl ${v('n')} (i32.const 23))`),
		set('n', `(f32x4.sub ${v('n')} ${f32('0x1.8000FEp23')})`),
		set('t', `(f32x4.add ${v('z')} (f32x4.mul ${v('n')} ${f32('0x1.62E400p-1')}))`),
		set('t', `(f32x4.add ${v('t')} (f32x4.mul ${v('n')} ${f32('0x1.7F7D1Cp-20')}))`),
		set('p', `(f32x4.add ${f32('0x1.573A1Ap-5')} (f32x4.mul ${v('t')} ${f32('-0x1.0F9F9Cp-7')}))`),
		set('p', `(f32x4.add ${f32('-0x1.555A80p-3')} (f32x4.mul ${v('t')} ${v('p')}))`),
		set('p', `(f32x4.add ${f32('0x1.FFFDC6p-2')} (f32x4.mul ${v('t')} ${v('p')}))`),
		set('p', `(f32x4.add ${f32('-0x1.FFFFF6p-1')} (f32x4.mul ${v('t')} ${v('p')}))`),
		set('t', `(f32x4.mul ${v('t')} ${v('s')})`),
		set('e', `(f32x4.add ${v('s')} (f32x4.mul ${v('t')} ${v('p')}))`),
		set('e', `(f32x4.div ${v('e')} (f32x4.add ${v('e')} (v128.const f32x4 1 1 1 1)))`),
		set('e', `(v128.andnot ${v('e')} (f32x4.gt ${v('z')} ${f32('0x1.5D589Ep+6')}))`),
		`(local.set $y${p} (v128.bitselect ${v('e')} (f32x4.sub (v128.const f32x4 1 1 1 1) ${v('e')}) (i32x4.shr_s ${x} (i32.const 31))))`,
	];
}

/** Statements of several step lists interleaved: the first of each, then the second of each, ... */
export const interleave = (lists: string[][]): string[] => {
	const out: string[] = [];
	const longest = Math.max(...lists.map((l) => l.length));
	for (let i = 0; i < longest; i++) for (const l of lists) if (i < l.length) out.push(l[i] as string);
	return out;
};

export const sigmoid = `  (func (export "sigmoid") (param $x i32) (param $y i32) (param $count i32)
    (local $end i32) (local $x0 v128) (local $y0 v128)${sigmoidLocals('0')}
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $count) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $x0 (v128.load (local.get $x)))
${sigmoidSteps('0')
	.map((s) => `      ${s}`)
	.join('\n')}
      (v128.store (local.get $y) (local.get $y0))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (br $next)))
  )
  ;; one f32x4 (for the cell's last units when H % 4 != 0)
  (func $sigmoid4 (param $x0 v128) (result v128)
    (local $y0 v128)${sigmoidLocals('0')}
${sigmoidSteps('0')
	.map((s) => `    ${s}`)
	.join('\n')}
    (local.get $y0)
  )`;
