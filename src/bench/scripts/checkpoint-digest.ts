/**
 * Benchmark: what metatune itself adds to a pbt segment's checkpoint traffic. A segment's checkpoint
 * is read whole up to four times by the runner (its digest when the program ends and the check of
 * what it announced; a restoring segment checks its source before and after it runs: see
 * src/study/run/segment.ts), so the cost per segment is about 4 x size / (digest throughput), on top
 * of the program's own write and read. This measures that throughput on a folder of the given size
 * (one file of random bytes, written first and read warm from the page cache, then a second folder
 * read right after writing), in the folder given (e.g. a network share) or a temporary one.
 * It also times what a segment that continues a checkpoint adds before its program starts
 * (src/study/run/restore.ts): a private copy of the checkpoint and its digest, or, when no other
 * segment needs the source, a rename of the source folder after its digest.
 *
 *   npx tsx src/bench/scripts/checkpoint-digest.ts [--mb 0.0077,1,10,100] [--dir /mnt/share] [--repeats 5]
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { copyCheckpoint, digestCheckpoint } from '../../study/run/checkpoints.js';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '1,10,100' }, dir: { type: 'string' }, repeats: { type: 'string', default: '5' } } });
const sizes = values.mb.split(',').map(Number);
const repeats = Number(values.repeats);
if (sizes.some((s) => !(s > 0)) || !(repeats >= 1)) {
	process.stderr.write('checkpoint-digest: --mb takes positive sizes in MB (1,10,100), --repeats a count >= 1\n');
	process.exit(2);
}
const root = mkdtempSync(join(values.dir ?? tmpdir(), 'metatune-checkpoint-digest-'));
try {
	process.stdout.write('size MB  digest ms (median)  MB/s  4 reads per segment, ms  copy + digest ms  rename ms\n');
	const median = (run: () => void, before = () => {}) => {
		const times: number[] = [];
		for (let i = 0; i < repeats; i++) {
			before();
			const t0 = performance.now();
			run();
			times.push(performance.now() - t0);
		}
		times.sort((a, b) => a - b);
		return times[Math.floor(times.length / 2)] as number;
	};
	for (const mb of sizes) {
		const dir = join(root, String(mb));
		mkdirSync(dir);
		writeFileSync(join(dir, 'model.bin'), randomBytes(Math.round(mb * 1024 * 1024)));
		const ms = median(() => digestCheckpoint(dir, 0));
		const copy = join(root, `${mb}.restore`);
		const copyMs = median(
			() => {
				copyCheckpoint(dir, copy);
				digestCheckpoint(copy, 0);
			},
			() => rmSync(copy, { recursive: true, force: true }),
		);
		let at = copy;
		let n = 0;
		const renameMs = median(() => {
			const to = `${copy}.${n++}`;
			renameSync(at, to);
			at = to;
		});
		const cell = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0));
		process.stdout.write(
			`${String(mb).padStart(7)}  ${cell(ms).padStart(18)}  ${(mb / (ms / 1000)).toFixed(0).padStart(4)}  ${cell(4 * ms).padStart(24)}  ${cell(copyMs).padStart(16)}  ${cell(renameMs).padStart(9)}\n`,
		);
	}
	process.stdout.write(`folder: ${root}\n`);
} finally {
	rmSync(root, { recursive: true, force: true });
}
