/**
 * The text of the kernels' LSTM cell (kernels.wat's `cell`, with the exp functions it calls), for
 * build-kernels.ts: rollout.ts's cell of one step from the gate activations (c = f c' + i g,
 * tanh c = 2 / (1 + exp(-2 c)) - 1, h = o tanh c), in float64 as JavaScript computes it, with exp the
 * fdlibm algorithm that V8's Math.exp runs (base/ieee754.cc), operation for operation
 * (kernels.test.ts compares it with Math.exp); two units at a time in float64x2 lanes, which perform
 * the same IEEE operations as scalars.
 */

/** fdlibm's exp (e_exp.c, as V8's Math.exp): argument reduction by k ln 2, a degree-5 rational fit. */
export const exp = `  (func $exp (param $x f64) (result f64)
    (local $hx i32) (local $lx i32) (local $xsb i32) (local $k i32) (local $hi f64) (local $lo f64) (local $t f64) (local $c f64) (local $y f64) (local $twopk f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $lx (i32.wrap_i64 (i64.reinterpret_f64 (local.get $x))))
    (local.set $xsb (i32.shr_u (local.get $hx) (i32.const 31)))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    (if (i32.ge_u (local.get $hx) (i32.const 0x40862E42)) (then
      (if (i32.ge_u (local.get $hx) (i32.const 0x7ff00000)) (then
        (if (i32.ne (i32.or (i32.and (local.get $hx) (i32.const 0xfffff)) (local.get $lx)) (i32.const 0)) (then (return (f64.add (local.get $x) (local.get $x)))))
        (if (i32.eqz (local.get $xsb)) (then (return (local.get $x))))
        (return (f64.const 0))))
      (if (f64.gt (local.get $x) (f64.const 7.09782712893383973096e+02)) (then (return (f64.const inf))))
      (if (f64.lt (local.get $x) (f64.const -7.45133219101941108420e+02)) (then (return (f64.const 0))))))
    (if (i32.gt_u (local.get $hx) (i32.const 0x3fd62e42)) (then
      (if (i32.lt_u (local.get $hx) (i32.const 0x3FF0A2B2)) (then
        (if (f64.eq (local.get $x) (f64.const 1)) (then (return (f64.const 2.718281828459045))))
        (if (local.get $xsb) (then
          (local.set $hi (f64.add (local.get $x) (f64.const 6.93147180369123816490e-01)))
          (local.set $lo (f64.const -1.90821492927058770002e-10))
          (local.set $k (i32.const -1)))
        (else
          (local.set $hi (f64.sub (local.get $x) (f64.const 6.93147180369123816490e-01)))
          (local.set $lo (f64.const 1.90821492927058770002e-10))
          (local.set $k (i32.const 1)))))
      (else
        (local.set $k (i32.trunc_f64_s (f64.add (f64.mul (f64.const 1.44269504088896338700e+00) (local.get $x)) (select (f64.const -0.5) (f64.const 0.5) (local.get $xsb)))))
        (local.set $t (f64.convert_i32_s (local.get $k)))
        (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.const 6.93147180369123816490e-01))))
        (local.set $lo (f64.mul (local.get $t) (f64.const 1.90821492927058770002e-10)))))
      (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
    (else
      (if (i32.lt_u (local.get $hx) (i32.const 0x3e300000)) (then
        (if (f64.gt (f64.add (f64.const 1.0e+300) (local.get $x)) (f64.const 1)) (then (return (f64.add (f64.const 1) (local.get $x)))))))))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (if (i32.ge_s (local.get $k) (i32.const -1021))
      (then (local.set $twopk (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (i32.const 0x3ff) (local.get $k))) (i64.const 52)))))
      (else (local.set $twopk (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (i32.const 0x3ff) (i32.add (local.get $k) (i32.const 1000)))) (i64.const 52))))))
    (local.set $c (f64.sub (local.get $x) (f64.mul (local.get $t)
      (f64.add (f64.const 1.66666666666666019037e-01) (f64.mul (local.get $t)
      (f64.add (f64.const -2.77777777770155933842e-03) (f64.mul (local.get $t)
      (f64.add (f64.const 6.61375632143793436117e-05) (f64.mul (local.get $t)
      (f64.add (f64.const -1.65339022054652515390e-06) (f64.mul (local.get $t) (f64.const 4.13813679705723846039e-08))))))))))))
    (if (i32.eqz (local.get $k)) (then
      (return (f64.sub (f64.const 1) (f64.sub (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2))) (local.get $x))))))
    (local.set $y (f64.sub (f64.const 1) (f64.sub (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c)))) (local.get $hi))))
    (if (i32.ge_s (local.get $k) (i32.const -1021)) (then
      (if (i32.eq (local.get $k) (i32.const 1024)) (then (return (f64.mul (f64.mul (local.get $y) (f64.const 2)) (f64.const 8.988465674311579539e307)))))
      (return (f64.mul (local.get $y) (local.get $twopk)))))
    (f64.mul (f64.mul (local.get $y) (local.get $twopk)) (f64.const 9.33263618503218878990e-302))
  )
  (func (export "exp") (param $x f64) (result f64) (call $exp (local.get $x)))
  ;; The same function without data-dependent branches for 2^-28 <= |x| < 512, x != 1 (the cell's
  ;; arguments: a branch on |x| < 1.04 mispredicts there): fdlibm's three reductions (none, k = +-1,
  ;; k = round(x / ln 2)) written as one with k chosen by select, which performs the same operations
  ;; (t ln2hi with t = +-1 or 0 is exact); fdlibm's k = 0 formula 1 - (x c / (c - 2) - x) equals the
  ;; general one with hi = x, lo = 0 bit for bit. Other arguments go to $exp.
  (func $expSteady (export "expSteady") (param $x f64) (result f64)
    (local $hx i32) (local $xsb i32) (local $k i32) (local $hi f64) (local $lo f64) (local $t f64) (local $c f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $xsb (i32.shr_u (local.get $hx) (i32.const 31)))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    (if (i32.or (i32.or (i32.ge_u (local.get $hx) (i32.const 0x40800000)) (i32.lt_u (local.get $hx) (i32.const 0x3e300000))) (f64.eq (local.get $x) (f64.const 1)))
      (then (return (call $exp (local.get $x)))))
    (local.set $k
      (select (i32.const 0)
        (select (i32.sub (i32.const 1) (i32.shl (local.get $xsb) (i32.const 1)))
          (i32.trunc_f64_s (f64.add (f64.mul (f64.const 1.44269504088896338700e+00) (local.get $x)) (select (f64.const -0.5) (f64.const 0.5) (local.get $xsb))))
          (i32.lt_u (local.get $hx) (i32.const 0x3FF0A2B2)))
        (i32.le_u (local.get $hx) (i32.const 0x3fd62e42))))
    (local.set $t (f64.convert_i32_s (local.get $k)))
    (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.const 6.93147180369123816490e-01))))
    (local.set $lo (f64.mul (local.get $t) (f64.const 1.90821492927058770002e-10)))
    (local.set $x (f64.sub (local.get $hi) (local.get $lo)))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (local.set $c (f64.sub (local.get $x) (f64.mul (local.get $t)
      (f64.add (f64.const 1.66666666666666019037e-01) (f64.mul (local.get $t)
      (f64.add (f64.const -2.77777777770155933842e-03) (f64.mul (local.get $t)
      (f64.add (f64.const 6.61375632143793436117e-05) (f64.mul (local.get $t)
      (f64.add (f64.const -1.65339022054652515390e-06) (f64.mul (local.get $t) (f64.const 4.13813679705723846039e-08))))))))))))
    (f64.mul
      (f64.sub (f64.const 1) (f64.sub (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c)))) (local.get $hi)))
      (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (i32.const 0x3ff) (local.get $k))) (i64.const 52))))
  )`;

/** f64x2 splat of a float64 constant (its bits, so that no decimal parsing is involved). */
export const f64x2 = (x: number): string => {
	const bits = new BigInt64Array(new Float64Array([x]).buffer)[0] as bigint;
	return `(v128.const i64x2 ${bits} ${bits})`;
};

/** The locals of expPairSteps(p) and expPairOutside(p) (v128): the argument $ex{p}, the result $ee{p}. */
export const expPairLocals = (p: string): string => ['ex', 'ee', 'hx', 't', 'hi', 'lo', 'tt', 'c', 'sign'].map((v) => ` (local $${v}${p} v128)`).join('');

/** Sets $hx{p} and returns whether a lane of $ex{p} is outside the steady range (an i64x2 mask). */
export const expPairOutside = (p: string): { set: string; mask: string } => ({
	set: `(local.set $hx${p} (v128.and (i64x2.shr_u (local.get $ex${p}) (i32.const 32)) (v128.const i64x2 0x7fffffff 0x7fffffff)))`,
	mask: `(v128.or (v128.or
          (i64x2.ge_s (local.get $hx${p}) (v128.const i64x2 0x40800000 0x40800000))
          (i64x2.lt_s (local.get $hx${p}) (v128.const i64x2 0x3e300000 0x3e300000)))
          (f64x2.eq (local.get $ex${p}) ${f64x2(1)}))`,
});

/**
 * expSteady on the two lanes of $ex{p} into $ee{p} (after expPairOutside's $hx, every lane in the
 * steady range), one statement per line so that two pairs can be interleaved: the same operations per
 * lane (IEEE float64 arithmetic is the same in a lane as in a scalar); k as a float64 (t) chosen by
 * bitselect, 2^k built from t + 1023 + 2^52, whose low bits are t + 1023.
 */
export function expPairSteps(p: string): string[] {
	const g = (name: string) => `(local.get $${name}${p})`;
	const set = (name: string, e: string) => `(local.set $${name}${p} ${e})`;
	return [
		set('sign', `(v128.and ${g('ex')} (v128.const i64x2 0x8000000000000000 0x8000000000000000))`),
		set('t', `(f64x2.convert_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (f64x2.add (f64x2.mul ${f64x2(Math.LOG2E)} ${g('ex')}) (v128.or ${f64x2(0.5)} ${g('sign')}))))`),
		set('t', `(v128.bitselect (v128.or ${f64x2(1)} ${g('sign')}) ${g('t')} (i64x2.lt_s ${g('hx')} (v128.const i64x2 0x3FF0A2B2 0x3FF0A2B2)))`),
		set('t', `(v128.andnot ${g('t')} (i64x2.le_s ${g('hx')} (v128.const i64x2 0x3fd62e42 0x3fd62e42)))`),
		set('hi', `(f64x2.sub ${g('ex')} (f64x2.mul ${g('t')} ${f64x2(0.6931471803691238)}))`),
		set('lo', `(f64x2.mul ${g('t')} ${f64x2(1.9082149292705877e-10)})`),
		set('ex', `(f64x2.sub ${g('hi')} ${g('lo')})`),
		set('tt', `(f64x2.mul ${g('ex')} ${g('ex')})`),
		set('c', `(f64x2.add ${f64x2(-0.0000016533902205465252)} (f64x2.mul ${g('tt')} ${f64x2(4.1381367970572385e-8)}))`),
		set('c', `(f64x2.add ${f64x2(0.00006613756321437934)} (f64x2.mul ${g('tt')} ${g('c')}))`),
		set('c', `(f64x2.add ${f64x2(-0.0027777777777015593)} (f64x2.mul ${g('tt')} ${g('c')}))`),
		set('c', `(f64x2.add ${f64x2(0.16666666666666602)} (f64x2.mul ${g('tt')} ${g('c')}))`),
		set('c', `(f64x2.sub ${g('ex')} (f64x2.mul ${g('tt')} ${g('c')}))`),
		set(
			'ee',
			`(f64x2.mul
        (f64x2.sub ${f64x2(1)} (f64x2.sub (f64x2.sub ${g('lo')} (f64x2.div (f64x2.mul ${g('ex')} ${g('c')}) (f64x2.sub ${f64x2(2)} ${g('c')}))) ${g('hi')}))
        (i64x2.shl (i64x2.sub (f64x2.add ${g('t')} ${f64x2(1023 + 2 ** 52)}) (v128.const i64x2 0x4330000000000000 0x4330000000000000)) (i32.const 52)))`,
		),
	];
}

/** expSteady on two lanes; a pair with either argument outside the steady range goes to $expSteady. */
export const exp2 = `  (func $expPair (param $x v128) (result v128)
   ${expPairLocals('')}
    (local.set $ex (local.get $x))
    ${expPairOutside('').set}
    (if (v128.any_true ${expPairOutside('').mask})
      (then (return (f64x2.replace_lane 1
        (f64x2.splat (call $expSteady (f64x2.extract_lane 0 (local.get $x))))
        (call $expSteady (f64x2.extract_lane 1 (local.get $x)))))))
${expPairSteps('')
	.map((s) => `    ${s}`)
	.join('\n')}
    (local.get $ee)
  )`;
