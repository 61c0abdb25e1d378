/**
 * CSV cells a spreadsheet would run as formulas (OWASP, CSV injection): text starting with =, +, -,
 * @, TAB or CR gets a leading single quote, raw control bytes (NUL, ESC, ...) are written as \uXXXX
 * text; numbers, negative ones too, stay numbers, and so does text that is a plain decimal number.
 */
import test from 'ava';
import { toCsv } from '../../src/report/csv.js';

const cells = (value: unknown) => toCsv([{ a: value }]).split('\n')[1];

test('text a spreadsheet would run as a formula starts with a single quote', (t) => {
	t.is(cells('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
	t.is(cells('+1+2'), "'+1+2");
	t.is(cells('-2+3'), "'-2+3");
	t.is(cells('@SUM(A1)'), "'@SUM(A1)");
	t.is(cells('\t=1'), "'\t=1");
	t.is(cells('\r=1'), `"'\r=1"`);
	t.is(cells('a=b'), 'a=b', 'only a leading sign is a formula');
});

test('numbers stay numbers, negative ones too, and so does text that is a plain number', (t) => {
	t.is(cells(-1.5), '-1.5');
	t.is(cells(-3e-7), '-3e-7');
	t.is(cells(0.25), '0.25');
	t.is(cells('-42'), '-42');
	t.is(cells('-1.5e3'), '-1.5e3');
	t.is(cells('-Infinity'), "'-Infinity");
});

test('raw NUL, ESC and other control bytes are written as \\uXXXX text', (t) => {
	t.is(cells('a\u0000b'), 'a\\u0000b');
	t.is(cells('\u001b[31mred\u001b[0m'), '\\u001b[31mred\\u001b[0m');
	t.is(cells('x\u007f'), 'x\\u007f');
	t.is(cells('tab\tinside'), 'tab\tinside', 'a tab inside a cell is kept');
});

test('column names get the same treatment', (t) => {
	t.is(toCsv([{ '=cmd': 1 }]).split('\n')[0], "'=cmd");
});
