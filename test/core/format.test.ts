/** Counts and sums in summaries read alike: plain digits with separators, never exponent form. */
import test from 'ava';
import { grouped, num } from '../../src/core/format.js';

test('grouped: a sum over a million and a count below it are written alike', (t) => {
	t.is(grouped(1_136_120.44, 1), '1,136,120.4');
	t.is(grouped(533_124), '533,124');
	t.is(grouped(7), '7');
	t.is(grouped(0.25, 1), '0.3');
	t.notRegex(grouped(2.5e9), /e/);
	t.is(grouped(Number.NaN), 'NaN');
	// num() keeps its exponent form for measurements far from 1, which is why sums do not use it
	t.is(num(1_136_120, 6), '1.13612e+6');
});
