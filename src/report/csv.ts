/**
 * CSV (RFC 4180): a header of the union of the rows' keys (first-seen order), values quoted when
 * they hold a comma, quote or newline; arrays and objects as JSON; undefined/null as empty.
 *
 * Cells are safe to open in a spreadsheet (OWASP, CSV injection): text beginning with =, +, -, @,
 * TAB or CR (a formula to Excel, LibreOffice and Sheets) gets a leading single quote, and control
 * bytes other than TAB, LF and CR (NUL, ESC, ...) are written as \uXXXX text. Numbers, negative
 * ones too, are written as numbers, and so is text that is a plain decimal number ("-42").
 */

export type CsvRow = Readonly<Record<string, unknown>>;

const formulaStart = /^[=+\-@\t\r]/;
const plainNumber = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control bytes are what it finds
const controlByte = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Text as a spreadsheet shows it, never as a formula it runs. */
function neutralised(text: string): string {
	const visible = text.replace(controlByte, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	return formulaStart.test(visible) && !plainNumber.test(visible) ? `'${visible}` : visible;
}

function cell(v: unknown): string {
	if (v === undefined || v === null) return '';
	const text = typeof v === 'number' ? String(v) : neutralised(typeof v === 'object' ? JSON.stringify(v) : String(v));
	return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: readonly CsvRow[]): string {
	const columns: string[] = [];
	const seen = new Set<string>();
	for (const row of rows) {
		for (const k of Object.keys(row)) {
			if (seen.has(k)) continue;
			seen.add(k);
			columns.push(k);
		}
	}
	return [columns.map(cell).join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n');
}
