/**
 * The text of the kernels' forward cell (kernels.wat's `gatesCell`), for build-kernels.ts: from the
 * gate pre-activations z = xh lstm2 [B, 4H] of one step, the sigmoid (kernels-sigmoid.ts, XNNPACK's
 * operations) and rollout.ts's LSTM cell in float64 (c = f c' + i g, tanh c = 2 / (1 + exp(-2 c)) - 1,
 * h = o tanh c, exp as fdlibm: kernels-cell.ts), in one pass over z instead of a sigmoid pass and a
 * cell pass. Why: both are chains of dependent operations (a division at the end of each), so a loop
 * that runs one chain at a time leaves the core waiting; here four units of a row run together (the
 * four gates' sigmoids as four f32x4 chains, then the cell as two f64x2 pairs, their statements
 * interleaved). Every operation is the same lane by lane, so the bits are those of `sigmoid` followed
 * by the cell (kernels.test.ts compares them); the last H % 4 units of a row take the single-unit path.
 *
 * Notation (offsets in bytes): z, gates [B, 4H] = [i | f | o | g] (the g block of z is 2 g, its
 * sigmoid (g + 1) / 2), cprev, cell, tanh, hid [B, H]; cprev is c_{t-1}, not read when `first`.
 */
import { expPairLocals, expPairOutside, expPairSteps, f64x2 } from './kernels-cell.js';
import { interleave, sigmoidLocals, sigmoidSteps } from './kernels-sigmoid.js';

const gatesOf = ['i', 'f', 'o', 'g'] as const;
const halves = ['L', 'H'] as const;
/** f64x2 of the low or high two lanes of an f32x4. */
const promote = (half: string, v: string) => (half === 'L' ? `(f64x2.promote_low_f32x4 ${v})` : `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 ${v} ${v}))`);
/** The f32x4 of two f64x2 (low lanes from lo, high from hi), rounded. */
const demote2 = (lo: string, hi: string) => `(i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero ${lo}) (f32x4.demote_f64x2_zero ${hi}))`;
const get = (name: string) => `(local.get $${name})`;

/** One unit j of row n (after $zo, $ho are set), every step scalar except the sigmoid (lane 0 of $sigmoid4). */
const single = (gate: number) =>
	`(f64.promote_f32 (f32x4.extract_lane 0 (call $sigmoid4 (f32x4.splat (f32.load (i32.add (local.get $z) (i32.add (local.get $zo) (i32.mul (local.get $hb) (i32.const ${gate})))))))))`;

const unitPath = `        (local.set $i ${single(0)})
        (local.set $f ${single(1)})
        (local.set $o ${single(2)})
        (local.set $g (f64.sub (f64.mul (f64.const 2) ${single(3)}) (f64.const 1)))
        (f32.store (i32.add (local.get $gates) (local.get $zo)) (f32.demote_f64 (local.get $i)))
        (f32.store (i32.add (i32.add (local.get $gates) (local.get $zo)) (local.get $hb)) (f32.demote_f64 (local.get $f)))
        (f32.store (i32.add (i32.add (local.get $gates) (local.get $zo)) (i32.mul (local.get $hb) (i32.const 2))) (f32.demote_f64 (local.get $o)))
        (f32.store (i32.add (i32.add (local.get $gates) (local.get $zo)) (i32.mul (local.get $hb) (i32.const 3))) (f32.demote_f64 (local.get $g)))
        (local.set $c (f64.add
          (if (result f64) (local.get $first) (then (f64.const 0)) (else (f64.mul (local.get $f) (f64.promote_f32 (f32.load (i32.add (local.get $cprev) (local.get $ho)))))))
          (f64.mul (local.get $i) (local.get $g))))
        (local.set $tc (f64.sub (f64.div (f64.const 2) (f64.add (f64.const 1) (call $expSteady (f64.mul (f64.const -2) (local.get $c))))) (f64.const 1)))
        (f32.store (i32.add (local.get $cell) (local.get $ho)) (f32.demote_f64 (local.get $c)))
        (f32.store (i32.add (local.get $tanh) (local.get $ho)) (f32.demote_f64 (local.get $tc)))
        (f32.store (i32.add (local.get $hid) (local.get $ho)) (f32.demote_f64 (f64.mul (local.get $o) (local.get $tc))))`;

/** Four units j .. j + 3 of row n: four sigmoid chains, then two cell pairs (L: units j, j + 1; H: j + 2, j + 3). */
function quadPath(): string {
	const zAt = (k: number) => `(i32.add (i32.add (local.get $z) (local.get $zo)) (i32.mul (local.get $hb) (i32.const ${k})))`;
	const gAt = (k: number) => `(i32.add (i32.add (local.get $gates) (local.get $zo)) (i32.mul (local.get $hb) (i32.const ${k})))`;
	const lines: string[] = [];
	lines.push(...gatesOf.map((q, k) => `(local.set $x${q} (v128.load ${zAt(k)}))`));
	lines.push(...interleave(gatesOf.map((q) => sigmoidSteps(q))));
	// i, f, o as float32 (what promote then demote gives back); g = 2 s - 1 in float64
	lines.push(...gatesOf.slice(0, 3).map((q, k) => `(v128.store ${gAt(k)} ${get(`y${q}`)})`));
	for (const h of halves) {
		for (const q of gatesOf.slice(0, 3)) lines.push(`(local.set $${q}${h} ${promote(h, get(`y${q}`))})`);
		lines.push(`(local.set $g${h} (f64x2.sub (f64x2.mul ${f64x2(2)} ${promote(h, get('yg'))}) ${f64x2(1)}))`);
	}
	lines.push(`(v128.store ${gAt(3)} ${demote2(get('gL'), get('gH'))})`);
	lines.push(`(local.set $cp (if (result v128) (local.get $first) (then (v128.const i64x2 0 0)) (else (v128.load (i32.add (local.get $cprev) (local.get $ho))))))`);
	for (const h of halves)
		lines.push(
			`(local.set $cell${h} (f64x2.add (if (result v128) (local.get $first) (then ${f64x2(0)}) (else (f64x2.mul ${get(`f${h}`)} ${promote(h, get('cp'))}))) (f64x2.mul ${get(`i${h}`)} ${get(`g${h}`)})))`,
		);
	for (const h of halves) lines.push(`(local.set $ex${h} (f64x2.mul ${f64x2(-2)} ${get(`cell${h}`)}))`);
	for (const h of halves) lines.push(expPairOutside(h).set);
	lines.push(`(if (v128.any_true (v128.or ${expPairOutside('L').mask} ${expPairOutside('H').mask}))
          (then (local.set $eeL (call $expPair (local.get $exL))) (local.set $eeH (call $expPair (local.get $exH))))
          (else
            ${interleave(halves.map((h) => expPairSteps(h))).join('\n            ')}))`);
	for (const h of halves) lines.push(`(local.set $tanh${h} (f64x2.sub (f64x2.div ${f64x2(2)} (f64x2.add ${f64x2(1)} ${get(`ee${h}`)})) ${f64x2(1)}))`);
	lines.push(`(v128.store (i32.add (local.get $cell) (local.get $ho)) ${demote2(get('cellL'), get('cellH'))})`);
	lines.push(`(v128.store (i32.add (local.get $tanh) (local.get $ho)) ${demote2(get('tanhL'), get('tanhH'))})`);
	lines.push(`(v128.store (i32.add (local.get $hid) (local.get $ho)) ${demote2('(f64x2.mul (local.get $oL) (local.get $tanhL))', '(f64x2.mul (local.get $oH) (local.get $tanhH))')})`);
	return lines.map((l) => `        ${l}`).join('\n');
}

const vectorLocals = [...gatesOf.flatMap((q) => [`x${q}`, `y${q}`]), ...halves.flatMap((h) => ['i', 'f', 'o', 'g', 'cell', 'tanh'].map((v) => `${v}${h}`)), 'cp']
	.map((v) => ` (local $${v} v128)`)
	.join('');

export const gatesCell = `  (func (export "gatesCell") (param $z i32) (param $cprev i32) (param $gates i32) (param $cell i32) (param $tanh i32) (param $hid i32) (param $B i32) (param $H i32) (param $first i32)
    (local $n i32) (local $j i32) (local $hb i32) (local $zo i32) (local $ho i32) (local $i f64) (local $f f64) (local $o f64) (local $g f64) (local $c f64) (local $tc f64)
   ${vectorLocals}
   ${gatesOf.map((q) => sigmoidLocals(q)).join('')}
   ${halves.map((h) => expPairLocals(h)).join('')}
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (block $rows (loop $row
      (br_if $rows (i32.ge_u (local.get $n) (local.get $B)))
      (local.set $j (i32.const 0))
      (block $quads (loop $quad
        (br_if $quads (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $H)))
        (local.set $zo (i32.shl (i32.add (i32.mul (local.get $n) (i32.shl (local.get $H) (i32.const 2))) (local.get $j)) (i32.const 2)))
        (local.set $ho (i32.shl (i32.add (i32.mul (local.get $n) (local.get $H)) (local.get $j)) (i32.const 2)))
${quadPath()}
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $quad)))
      (block $units (loop $unit
        (br_if $units (i32.ge_u (local.get $j) (local.get $H)))
        (local.set $zo (i32.shl (i32.add (i32.mul (local.get $n) (i32.shl (local.get $H) (i32.const 2))) (local.get $j)) (i32.const 2)))
        (local.set $ho (i32.shl (i32.add (i32.mul (local.get $n) (local.get $H)) (local.get $j)) (i32.const 2)))
${unitPath}
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $unit)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $row)))
  )`;
