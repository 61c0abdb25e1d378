/**
 * The text of the kernels' heads (kernels.wat's `heads`), for build-kernels.ts: rollout.ts's head
 * outputs of a step, logits[b, k] = bias_k + sum_j w[k, j] h[b, j], each a float64 sum from the bias
 * over j in order, with w h a float64 product of two float32 values (exact), as JavaScript computes
 * it. Two rows run at once in float64x2 lanes (row b in lane 0, b + 1 in lane 1: the same IEEE
 * operations as two scalar sums), then a last single row.
 *
 * Notation (offsets in bytes): hid [B, H] float32; w [K1, H] float32 followed by the biases [K1];
 * out [B, K1] float64.
 */

const unit = (addr: string) => `(f64.promote_f32 (f32.load ${addr}))`;

export const heads = `  (func (export "heads") (param $hid i32) (param $w i32) (param $out i32) (param $B i32) (param $H i32) (param $K1 i32)
    (local $b i32) (local $k i32) (local $j i32) (local $hb i32) (local $bias i32) (local $pw i32) (local $ph i32) (local $s v128) (local $s1 f64)
    (local.set $hb (i32.shl (local.get $H) (i32.const 2)))
    (local.set $bias (i32.add (local.get $w) (i32.mul (local.get $K1) (local.get $hb))))
    (block $pairsdone (loop $pairs
      (br_if $pairsdone (i32.gt_u (i32.add (local.get $b) (i32.const 2)) (local.get $B)))
      (local.set $k (i32.const 0))
      (block $kdone (loop $ks
        (br_if $kdone (i32.ge_u (local.get $k) (local.get $K1)))
        (local.set $s (f64x2.splat ${unit('(i32.add (local.get $bias) (i32.shl (local.get $k) (i32.const 2)))')}))
        (local.set $pw (i32.add (local.get $w) (i32.mul (local.get $k) (local.get $hb))))
        (local.set $ph (i32.add (local.get $hid) (i32.mul (local.get $b) (local.get $hb))))
        (local.set $j (i32.const 0))
        (block $jdone (loop $js
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $H)))
          (local.set $s (f64x2.add (local.get $s) (f64x2.mul (f64x2.splat ${unit('(local.get $pw)')})
            (f64x2.replace_lane 1 (f64x2.splat ${unit('(local.get $ph)')}) ${unit('(i32.add (local.get $ph) (local.get $hb))')}))))
          (local.set $pw (i32.add (local.get $pw) (i32.const 4)))
          (local.set $ph (i32.add (local.get $ph) (i32.const 4)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $js)))
        (f64.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $b) (local.get $K1)) (local.get $k)) (i32.const 3))) (f64x2.extract_lane 0 (local.get $s)))
        (f64.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $b) (i32.const 1)) (local.get $K1)) (local.get $k)) (i32.const 3))) (f64x2.extract_lane 1 (local.get $s)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $ks)))
      (local.set $b (i32.add (local.get $b) (i32.const 2)))
      (br $pairs)))
    (if (i32.lt_u (local.get $b) (local.get $B)) (then
      (local.set $k (i32.const 0))
      (block $kdone (loop $ks
        (br_if $kdone (i32.ge_u (local.get $k) (local.get $K1)))
        (local.set $s1 ${unit('(i32.add (local.get $bias) (i32.shl (local.get $k) (i32.const 2)))')})
        (local.set $pw (i32.add (local.get $w) (i32.mul (local.get $k) (local.get $hb))))
        (local.set $ph (i32.add (local.get $hid) (i32.mul (local.get $b) (local.get $hb))))
        (local.set $j (i32.const 0))
        (block $jdone (loop $js
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $H)))
          (local.set $s1 (f64.add (local.get $s1) (f64.mul ${unit('(local.get $pw)')} ${unit('(local.get $ph)')})))
          (local.set $pw (i32.add (local.get $pw) (i32.const 4)))
          (local.set $ph (i32.add (local.get $ph) (i32.const 4)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $js)))
        (f64.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $b) (local.get $K1)) (local.get $k)) (i32.const 3))) (local.get $s1))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $ks)))))
  )`;

/**
 * copyRows(src, srcStride, dst, dstStride, rows, width): float32 rows (strides and width in floats,
 * offsets in bytes), four floats at a time, then singles: the hidden state h_t into the next step's
 * input rows, where the forward product reads it (no trip through JavaScript).
 */
export const copyRows = `  (func (export "copyRows") (param $src i32) (param $ss i32) (param $dst i32) (param $ds i32) (param $rows i32) (param $width i32)
    (local $r i32) (local $j i32) (local $ps i32) (local $pd i32)
    (local.set $ss (i32.shl (local.get $ss) (i32.const 2)))
    (local.set $ds (i32.shl (local.get $ds) (i32.const 2)))
    (block $rowsdone (loop $row
      (br_if $rowsdone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $ps (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $ss))))
      (local.set $pd (i32.add (local.get $dst) (i32.mul (local.get $r) (local.get $ds))))
      (local.set $j (i32.const 0))
      (block $vdone (loop $v
        (br_if $vdone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $width)))
        (v128.store (i32.add (local.get $pd) (i32.shl (local.get $j) (i32.const 2))) (v128.load (i32.add (local.get $ps) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $v)))
      (block $sdone (loop $s
        (br_if $sdone (i32.ge_u (local.get $j) (local.get $width)))
        (f32.store (i32.add (local.get $pd) (i32.shl (local.get $j) (i32.const 2))) (f32.load (i32.add (local.get $ps) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $s)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row)))
  )`;
