/**
 * The text of the kernels' GEMM (kernels.wat's `gemm` and the register tiles it calls), for
 * build-kernels.ts: C[M, N] = A B (acc = 1: C += A B, so that a long k runs in blocks that stay in
 * cache and still sum in order), each output a float32 sum over k in order
 * (acc = acc + a b, both rounded), as XNNPACK's splat GEMM microkernels compute it
 * (tfjs-backend-wasm 4.22). The tiles are the same code repeated, so they are generated.
 *
 * Notation (offsets in bytes): A(m, k) = a[m sam + k sak] (either layout of A: no transposed
 * copies), B [K, N] row stride ldb, C row stride ldc. Register tiles of 2 rows x 16 columns (8
 * accumulators, 4 vectors of B and one of A in x64's 16 vector registers; 6-9% faster than 4 x 8 on
 * the agent's three shapes), then 8, 4 and 1 columns; a last odd row in tiles of one row.
 */

/** A tile of `rows` rows by `vectors` f32x4 columns (0: one scalar column). */
export function tile(rows: number, vectors: number): string {
	const name = `$tile_${rows}x${vectors === 0 ? 's' : vectors * 4}`;
	const r = [...Array(rows).keys()];
	const v = [...Array(Math.max(vectors, 1)).keys()];
	const scalar = vectors === 0;
	const ty = scalar ? 'f32' : 'v128';
	const lines: string[] = [];
	lines.push(`  (func ${name} (param $pa i32) (param $pb i32) (param $pc i32) (param $sam i32) (param $sak i32) (param $ldb i32) (param $ldc i32) (param $K i32) (param $acc i32)`);
	lines.push(`    (local $k i32)${r.map((i) => ` (local $a${i} i32) (local $va${i} ${ty})`).join('')}${v.map((j) => ` (local $vb${j} ${ty})`).join('')}`);
	lines.push(`   ${r.flatMap((i) => v.map((j) => ` (local $c${i}_${j} ${ty})`)).join('')}`);
	for (const i of r) lines.push(`    (local.set $a${i} (i32.add (local.get $pa) (i32.mul (local.get $sam) (i32.const ${i * 4}))))`);
	const cAt = (i: number) => `(i32.add (local.get $pc) (i32.mul (local.get $ldc) (i32.const ${i * 4})))`;
	const load = scalar ? 'f32.load' : 'v128.load';
	lines.push(`    (if (local.get $acc) (then${r.flatMap((i) => v.map((j) => ` (local.set $c${i}_${j} (${load} offset=${j * 16} ${cAt(i)}))`)).join('')}))`);
	lines.push('    (local.set $sak (i32.shl (local.get $sak) (i32.const 2)))');
	lines.push('    (local.set $ldb (i32.shl (local.get $ldb) (i32.const 2)))');
	lines.push('    (block $done (loop $next');
	lines.push('      (br_if $done (i32.ge_u (local.get $k) (local.get $K)))');
	for (const j of v) lines.push(`      (local.set $vb${j} (${scalar ? 'f32.load' : 'v128.load'} offset=${j * 16} (local.get $pb)))`);
	for (const i of r) {
		lines.push(`      (local.set $va${i} (${scalar ? 'f32.load' : 'v128.load32_splat'} (local.get $a${i})))`);
		for (const j of v) {
			const op = scalar ? 'f32' : 'f32x4';
			lines.push(`      (local.set $c${i}_${j} (${op}.add (local.get $c${i}_${j}) (${op}.mul (local.get $va${i}) (local.get $vb${j}))))`);
		}
		lines.push(`      (local.set $a${i} (i32.add (local.get $a${i}) (local.get $sak)))`);
	}
	lines.push('      (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))');
	lines.push('      (local.set $k (i32.add (local.get $k) (i32.const 1)))');
	lines.push('      (br $next)))');
	for (const i of r) for (const j of v) lines.push(`    (${scalar ? 'f32.store' : 'v128.store'} offset=${j * 16} ${cAt(i)} (local.get $c${i}_${j}))`);
	lines.push('  )');
	return lines.join('\n');
}

/** Columns of rows m.. (rows = 2 or 1): 16-wide tiles, then one 8-wide, one 4-wide, then scalar columns. */
function columnSweep(rows: number): string {
	const call = (w: string) =>
		`(call $tile_${rows}x${w} (i32.add (local.get $a) (i32.mul (local.get $m) (i32.shl (local.get $sam) (i32.const 2)))) (i32.add (local.get $b) (i32.shl (local.get $n) (i32.const 2))) (i32.add (local.get $c) (i32.shl (i32.add (i32.mul (local.get $m) (local.get $ldc)) (local.get $n)) (i32.const 2))) (local.get $sam) (local.get $sak) (local.get $ldb) (local.get $ldc) (local.get $K) (local.get $acc))`;
	const once = (w: number) => `      (if (i32.le_u (i32.add (local.get $n) (i32.const ${w})) (local.get $N)) (then
        ${call(String(w))}
        (local.set $n (i32.add (local.get $n) (i32.const ${w})))))`;
	return `      (local.set $n (i32.const 0))
      (block $n16done (loop $n16
        (br_if $n16done (i32.gt_u (i32.add (local.get $n) (i32.const 16)) (local.get $N)))
        ${call('16')}
        (local.set $n (i32.add (local.get $n) (i32.const 16)))
        (br $n16)))
${once(8)}
${once(4)}
      (block $n1done (loop $n1
        (br_if $n1done (i32.ge_u (local.get $n) (local.get $N)))
        ${call('s')}
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $n1)))`;
}

export const gemm = `  (func (export "gemm") (param $a i32) (param $sam i32) (param $sak i32) (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32) (param $M i32) (param $K i32) (param $N i32) (param $acc i32)
    (local $m i32) (local $n i32)
    (block $m2done (loop $m2
      (br_if $m2done (i32.gt_u (i32.add (local.get $m) (i32.const 2)) (local.get $M)))
${columnSweep(2)}
      (local.set $m (i32.add (local.get $m) (i32.const 2)))
      (br $m2)))
    (if (i32.lt_u (local.get $m) (local.get $M)) (then
${columnSweep(1)}))
  )`;

/** The register tiles gemm calls: 2 and 1 rows by 16, 8, 4 and 1 columns. */
export const tiles = [2, 1].flatMap((rows) => [tile(rows, 4), tile(rows, 2), tile(rows, 1), tile(rows, 0)]).join('\n');
