/**
 * Counts and sums in summaries read alike: plain digits with separators, never exponent form. Text
 * from elsewhere reaches the terminal without escape sequences or control characters (printable).
 */
import test from 'ava';
import { grouped, num, printable } from '../../src/core/format.js';

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

test('grouped: whole numbers (grouped without Intl) read as toLocaleString writes them', (t) => {
	const wholes = [0, -0, 1, -1, 12, 999, 1000, -1000, 99_999, 100_000, 123_456_789, -987_654_321, 2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e21, 2 ** 60];
	for (const x of wholes)
		for (const decimals of [0, 1, 3]) t.is(grouped(x, decimals), x.toLocaleString('en-US', { maximumFractionDigits: decimals, minimumFractionDigits: 0 }), `${x}, ${decimals} decimals`);
});

test('printable: escape sequences and control characters are removed, the words and TAB/LF kept', (t) => {
	t.is(printable('\u001b[1;31mred\u001b[0m'), 'red');
	t.is(printable('\u001b]0;title\u0007x'), 'x', 'OSC ended by BEL');
	t.is(printable('\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\'), 'link', 'OSC 8 hyperlink ended by ESC \\');
	t.is(printable('\u009b2Jx'), 'x', '8-bit CSI');
	t.is(printable('\u001bcreset'), 'reset', 'two-byte ESC c');
	t.is(printable('a\rb\bc\u0000d\u007f'), 'abcd');
	t.is(printable('tab\there\nnext'), 'tab\there\nnext');
	t.is(printable('déjà vu ✓'), 'déjà vu ✓');
});
