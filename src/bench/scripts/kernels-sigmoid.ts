/**
 * The text of the kernels' sigmoid (kernels.wat's `sigmoid`), for build-kernels.ts:
 * y = 1 / (1 + exp(-x)) as XNNPACK's f32-vsigmoid wasmsimd rr2-p5-div (tfjs-backend-wasm 4.22):
 * exp by a degree-5 polynomial after a two-constant range reduction, one division, count % 4 = 0.
 * The constants are XNNPACK's hex-float literals, written as their float32 bits.
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

export const sigmoid = `  (func (export "sigmoid") (param $x i32) (param $y i32) (param $count i32)
    (local $end i32) (local $vx v128) (local $vz v128) (local $vn v128) (local $vs v128) (local $vt v128) (local $vp v128) (local $ve v128) (local $vf v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $count) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $vx (v128.load (local.get $x)))
      (local.set $vz (f32x4.abs (local.get $vx)))
      (local.set $vn (f32x4.add ${f32('0x1.8000FEp23')} (f32x4.mul (local.get $vz) ${f32('-0x1.715476p+0')})))
      (local.set $vs (i32x4.shl (local.get $vn) (i32.const 23)))
      (local.set $vn (f32x4.sub (local.get $vn) ${f32('0x1.8000FEp23')}))
      (local.set $vt (f32x4.add (local.get $vz) (f32x4.mul (local.get $vn) ${f32('0x1.62E400p-1')})))
      (local.set $vt (f32x4.add (local.get $vt) (f32x4.mul (local.get $vn) ${f32('0x1.7F7D1Cp-20')})))
      (local.set $vp (f32x4.add ${f32('0x1.573A1Ap-5')} (f32x4.mul (local.get $vt) ${f32('-0x1.0F9F9Cp-7')})))
      (local.set $vp (f32x4.add ${f32('-0x1.555A80p-3')} (f32x4.mul (local.get $vt) (local.get $vp))))
      (local.set $vp (f32x4.add ${f32('0x1.FFFDC6p-2')} (f32x4.mul (local.get $vt) (local.get $vp))))
      (local.set $vp (f32x4.add ${f32('-0x1.FFFFF6p-1')} (f32x4.mul (local.get $vt) (local.get $vp))))
      (local.set $vt (f32x4.mul (local.get $vt) (local.get $vs)))
      (local.set $ve (f32x4.add (local.get $vs) (f32x4.mul (local.get $vt) (local.get $vp))))
      (local.set $vf (f32x4.div (local.get $ve) (f32x4.add (local.get $ve) (v128.const f32x4 1 1 1 1))))
      (local.set $vf (v128.andnot (local.get $vf) (f32x4.gt (local.get $vz) ${f32('0x1.5D589Ep+6')})))
      (local.set $vf (v128.bitselect (local.get $vf) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $vf)) (i32x4.shr_s (local.get $vx) (i32.const 31))))
      (v128.store (local.get $y) (local.get $vf))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (br $next)))
  )`;
