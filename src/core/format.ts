/** Plain-text helpers for the CLI: aligned tables and compact numbers. */

export type Align = 'left' | 'right';

/**
 * What a rendered text may mark for a terminal to colour: table headers and the tone of a word
 * (a state, a count). The cli supplies one that adds colour (src/cli/colour.ts); the reports only
 * call these hooks, so they never hold escape codes and their plain output is `plainStyle`'s.
 */
export type Tone = 'good' | 'busy' | 'bad' | 'quiet';
export interface TextStyle {
	readonly header: (text: string) => string;
	readonly tone: (tone: Tone, text: string) => string;
}
export const plainStyle: TextStyle = { header: (text) => text, tone: (_tone, text) => text };

export interface TableStyle {
	readonly style?: TextStyle;
	/** the tone of the cell in row `row` (0 = first data row), column `column`, if it has one */
	readonly tone?: (row: number, column: number) => Tone | undefined;
}

/**
 * An aligned text table: header row, a rule, then the rows. Numbers should be pre-formatted. Styling
 * wraps a cell's text after its width is measured, so colour never shifts the columns.
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = [], { style = plainStyle, tone }: TableStyle = {}): string {
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
	const line = (cells: readonly string[], row: number | undefined) =>
		cells
			.map((c, i) => {
				const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - c.length));
				const kind = row === undefined ? undefined : tone?.(row, i);
				const text = kind === undefined || c === '' ? c : style.tone(kind, c);
				return (align[i] ?? (i === 0 ? 'left' : 'right')) === 'left' ? text + pad : pad + text;
			})
			.join('  ')
			.trimEnd();
	return [style.header(line(header, undefined)), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r, i) => line(r, i))].join('\n');
}

/** A number with `digits` significant digits, switching to exponent form for very small or large values. */
export function num(x: number, digits = 4): string {
	if (!Number.isFinite(x)) return String(x);
	if (x === 0) return '0';
	const a = Math.abs(x);
	if (a < 1e-3 || a >= 1e6) return x.toExponential(Math.max(0, digits - 1));
	return Number(x.toPrecision(digits)).toString();
}

/**
 * A count or a sum in plain digits with thousands separators and at most `decimals` decimals
 * ("1,136,120.4", "533,124"): what summaries use for env steps, episodes and cumulative rewards,
 * so that two such figures on one line read alike (never one in exponent form).
 */
export function grouped(x: number, decimals = 0): string {
	// a whole number is grouped by hand: the first toLocaleString of a process loads ICU's number
	// formatting (about 35 ms, paid by a server's first overview); -0 keeps toLocaleString's '-0'
	if (Number.isSafeInteger(x) && !Object.is(x, -0)) return String(x).replace(/\B(?=(\d{3})+$)/g, ',');
	return Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: decimals, minimumFractionDigits: 0 }) : String(x);
}

/** Fixed decimals. */
export function fixed(x: number, decimals = 2): string {
	return Number.isFinite(x) ? x.toFixed(decimals) : String(x);
}

/** Seconds as "1h02m", "3m05s" or "4.2s". */
export function duration(seconds: number): string {
	if (!Number.isFinite(seconds)) return '?';
	if (seconds < 60) return `${seconds.toFixed(1)}s`;
	const m = Math.floor(seconds / 60);
	if (m < 60) return `${m}m${String(Math.round(seconds - 60 * m)).padStart(2, '0')}s`;
	return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * Text from elsewhere (an objective's error message, perhaps stored by someone else's worker) as it
 * may reach a terminal: escape sequences (CSI `ESC [ ... m`, OSC `ESC ] ... BEL`, their 8-bit forms,
 * two-byte `ESC x`) are removed, and so is every other control character but TAB and LF, so nothing
 * it holds can recolour, move the cursor, retitle the window or overwrite the line.
 */
export function printable(text: string): string {
	return (
		text
			// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what it removes
			.replace(/(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -/]*[0-~]?/g, '')
			// biome-ignore lint/suspicious/noControlCharactersInRegex: so are the other control characters
			.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
	);
}
