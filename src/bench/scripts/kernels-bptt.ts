/**
 * The text of the kernels' backward step of the LSTM cell (kernels.wat's `bpttStep`), generated for
 * build-kernels.ts: the same loop written once for two units at a time in float64x2 lanes and once
 * for a single unit (odd H), from one template, so both perform bptt.ts's float64 operations in the
 * same order (float64x2 lanes are IEEE float64 operations, as JavaScript's numbers are).
 *
 * Notation (bptt.ts; row n = n0 + b, all arrays float32 in the kernels' memory, offsets in bytes)
 *   dout [K1, N]  dL/d(head outputs), column n;   w [K1, H] the heads' weights
 *   dhn [B, H]    dh_t^next = dz_{t+1} W_rec^T (read unless last);   dcn [B, H] dc_{t+1} f_{t+1}
 *   gates [N, 4H] [i | f | o | g];  tanh, cell [N, H];   dz [N, 4H] written
 *   dh = dh^next + sum_k dout[k, n] w_k   (in k order, zero entries skipped as bptt.ts does)
 *   dc = dh o (1 - tc^2) + dcn;   dz_i = dc g i (1-i);  dz_f = dc c' f (1-f);  dz_o = dh tc o (1-o);
 *   dz_g = dc i (1 - g^2);   dcn = f32(dc f)
 */

interface Lanes {
	/** a float32 at `addr` (bytes) promoted: one or two units */
	load(addr: string): string;
	store(addr: string, value: string): string;
	constant(x: number): string;
	op(name: 'add' | 'sub' | 'mul', a: string, b: string): string;
	splat(scalar: string): string;
	type: 'v128' | 'f64';
	width: number;
}

const f64Bits = (x: number): string => String(new BigInt64Array(new Float64Array([x]).buffer)[0] as bigint);

const pair: Lanes = {
	load: (addr) => `(f64x2.promote_low_f32x4 (v128.load64_zero ${addr}))`,
	store: (addr, value) => `(v128.store64_lane 0 ${addr} (f32x4.demote_f64x2_zero ${value}))`,
	constant: (x) => `(v128.const i64x2 ${f64Bits(x)} ${f64Bits(x)})`,
	op: (name, a, b) => `(f64x2.${name} ${a} ${b})`,
	splat: (scalar) => `(f64x2.splat ${scalar})`,
	type: 'v128',
	width: 2,
};

const single: Lanes = {
	load: (addr) => `(f64.promote_f32 (f32.load ${addr}))`,
	store: (addr, value) => `(f32.store ${addr} (f32.demote_f64 ${value}))`,
	constant: (x) => `(f64.const ${x})`,
	op: (name, a, b) => `(f64.${name} ${a} ${b})`,
	splat: (scalar) => scalar,
	type: 'f64',
	width: 1,
};

const get = (name: string) => `(local.get $${name})`;
const add = (a: string, b: string) => `(i32.add ${a} ${b})`;
const mul = (a: string, b: string) => `(i32.mul ${a} ${b})`;
const bytes = (a: string) => `(i32.shl ${a} (i32.const 2))`;

/** Units j.. of row b while `width` of them remain; locals of the type are named with the suffix. */
function unitLoop(l: Lanes, label: string): string {
	const v = (name: string) => `(local.get $${name}${l.width})`;
	const set = (name: string, value: string) => `(local.set $${name}${l.width} ${value})`;
	const { op, constant } = l;
	const one = constant(1);
	const gate = (q: number) => add(add(get('gates'), get('zo')), mul(get('hb'), `(i32.const ${q})`));
	const dzAt = (q: number) => add(add(get('dz'), get('zo')), mul(get('hb'), `(i32.const ${q})`));
	return `      (block $${label}done (loop $${label}
        (br_if $${label}done (i32.gt_u ${add(get('j'), `(i32.const ${l.width})`)} ${get('H')}))
        (local.set $ho ${bytes(add(mul(get('b'), get('H')), get('j')))})
        (local.set $no ${bytes(add(mul(get('n'), get('H')), get('j')))})
        (local.set $zo ${bytes(add(mul(get('n'), bytes(get('H'))), get('j')))})
        ${set('d', `(if (result ${l.type}) ${get('last')} (then ${constant(0)}) (else ${l.load(add(get('dhn'), get('ho')))}))`)}
        (local.set $k (i32.const 0))
        (block $${label}kdone (loop $${label}k
          (br_if $${label}kdone (i32.ge_u ${get('k')} ${get('K1')}))
          (local.set $dk (f64.promote_f32 (f32.load ${add(get('dout'), bytes(add(mul(get('k'), get('N')), get('n'))))})))
          (if (f64.ne ${get('dk')} (f64.const 0)) (then
            ${set('d', op('add', v('d'), op('mul', l.splat(get('dk')), l.load(add(get('w'), bytes(add(mul(get('k'), get('H')), get('j'))))))))}))
          (local.set $k (i32.add ${get('k')} (i32.const 1)))
          (br $${label}k)))
        ${set('i', l.load(gate(0)))}
        ${set('f', l.load(gate(1)))}
        ${set('o', l.load(gate(2)))}
        ${set('g', l.load(gate(3)))}
        ${set('tc', l.load(add(get('tanh'), get('no'))))}
        ${set('dc', op('add', op('mul', op('mul', v('d'), v('o')), op('sub', one, op('mul', v('tc'), v('tc')))), `(if (result ${l.type}) ${get('last')} (then ${constant(0)}) (else ${l.load(add(get('dcn'), get('ho')))}))`))}
        ${set('cp', `(if (result ${l.type}) ${get('first')} (then ${constant(0)}) (else ${l.load(`(i32.sub ${add(get('cell'), get('no'))} ${get('prev')})`)}))`)}
        ${l.store(dzAt(0), op('mul', op('mul', op('mul', v('dc'), v('g')), v('i')), op('sub', one, v('i'))))}
        ${l.store(dzAt(1), op('mul', op('mul', op('mul', v('dc'), v('cp')), v('f')), op('sub', one, v('f'))))}
        ${l.store(dzAt(2), op('mul', op('mul', op('mul', v('d'), v('tc')), v('o')), op('sub', one, v('o'))))}
        ${l.store(dzAt(3), op('mul', op('mul', v('dc'), v('i')), op('sub', one, op('mul', v('g'), v('g')))))}
        ${l.store(add(get('dcn'), get('ho')), op('mul', v('dc'), v('f')))}
        (local.set $j (i32.add ${get('j')} (i32.const ${l.width})))
        (br $${label})))`;
}

const locals = (l: Lanes) => ['d', 'i', 'f', 'o', 'g', 'tc', 'dc', 'cp'].map((name) => `(local $${name}${l.width} ${l.type})`).join(' ');

/** bpttStep(dout, N, n0, B, K1, H, w, dhn, dcn, gates, tanh, cell, dz, last, first): one time step t (rows n0 .. n0 + B - 1). */
export const bpttStep = `  (func (export "bpttStep") (param $dout i32) (param $N i32) (param $n0 i32) (param $B i32) (param $K1 i32) (param $H i32) (param $w i32) (param $dhn i32) (param $dcn i32) (param $gates i32) (param $tanh i32) (param $cell i32) (param $dz i32) (param $last i32) (param $first i32)
    (local $b i32) (local $n i32) (local $j i32) (local $k i32) (local $hb i32) (local $ho i32) (local $no i32) (local $zo i32) (local $prev i32) (local $dk f64)
    ${locals(pair)}
    ${locals(single)}
    (local.set $hb ${bytes(get('H'))})
    (local.set $prev ${bytes(mul(get('B'), get('H')))})
    (block $rowsdone (loop $rows
      (br_if $rowsdone (i32.ge_u ${get('b')} ${get('B')}))
      (local.set $n ${add(get('n0'), get('b'))})
      (local.set $j (i32.const 0))
${unitLoop(pair, 'pairs')}
${unitLoop(single, 'units')}
      (local.set $b (i32.add ${get('b')} (i32.const 1)))
      (br $rows)))
  )`;
