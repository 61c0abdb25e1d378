/**
 * CSV (RFC 4180): a header of the union of the rows' keys (first-seen order), values quoted when
 * they hold a comma, quote or newline; arrays and objects as JSON; undefined/null as empty.
 */

export type CsvRow = Readonly<Record<string, unknown>>;

function cell(v: unknown): string {
	if (v === undefined || v === null) return '';
	const text = typeof v === 'object' ? JSON.stringify(v) : String(v);
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
