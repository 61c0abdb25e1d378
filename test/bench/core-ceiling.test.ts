/** The machine's ceiling for parallel work: c threads of a loop that shares nothing, against one. */
import test from 'ava';
import { formatCoreCeiling, measureCoreCeiling } from '../../src/bench/core-ceiling.js';

test('each pair times one thread alone, then the slowest of c at once; the ratio is c t_1 / t_c', async (t) => {
	const c = await measureCoreCeiling(3, 2, 2_000_000);
	t.is(c.concurrency, 3);
	t.is(c.ratios.length, 2);
	t.true(c.aloneMs > 0 && c.togetherMs > 0);
	// the medians of two pairs are their means, so the ratio of the medians' pair-mean bounds holds
	t.true(
		c.ratios.every((r) => Number.isFinite(r) && r > 0 && r <= 3 * 20),
		'a ratio of positive times',
	);
	t.true(Math.min(...c.ratios) <= ((3 * c.aloneMs) / c.togetherMs) * 2);
	t.regex(formatCoreCeiling(c), /^machine ceiling: a register-only loop takes \d+ ms in 1 thread alone, \d+ ms in each of 3 at once: [0-9.]+x \[[0-9.]+, [0-9.]+\] \(2 alternated pairs/);
});

test('more iterations take longer: the loop does the work it is asked for', async (t) => {
	const short = await measureCoreCeiling(2, 1, 1_000_000);
	const long = await measureCoreCeiling(2, 1, 100_000_000);
	t.true(long.aloneMs > 5 * short.aloneMs, `${long.aloneMs} ms against ${short.aloneMs} ms`);
});

test('many pairs leave no listener behind on the threads (no MaxListenersExceededWarning)', async (t) => {
	const warnings: string[] = [];
	const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
	process.on('warning', onWarning);
	try {
		const c = await measureCoreCeiling(2, 8, 100_000);
		t.is(c.ratios.length, 8);
		// a warning is emitted on the next tick
		await new Promise((resolve) => setImmediate(resolve));
	} finally {
		process.off('warning', onWarning);
	}
	t.deepEqual(warnings, []);
});
