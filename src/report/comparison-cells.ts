/**
 * The comparison table as cells, for a page: the same cells `metatune compare` prints (its markdown
 * form, split back into cells), which columns hold text (the rest are numbers, right-aligned) and
 * the notes printed under it. report.html (html.ts) and `serve` (src/serve/) both draw it from here.
 */
import type { ComparisonRow } from './compare.js';
import { formatComparison, textColumns } from './compare-format.js';

export interface ComparisonCells {
	readonly head: readonly string[];
	readonly body: readonly (readonly string[])[];
	/** the first `left` columns hold text; the others numbers */
	readonly left: number;
	readonly notes: readonly string[];
}

export function comparisonCells(rows: readonly ComparisonRow[]): ComparisonCells {
	const markdown = formatComparison(rows, 'markdown').split('\n');
	const lines = markdown.filter((l) => l.startsWith('|'));
	const notes = markdown.filter((l) => l !== '' && !l.startsWith('|'));
	const cells = (line: string) =>
		line
			.slice(2, -2)
			.split(' | ')
			.map((c) => c.replace(/\\\|/g, '|'));
	const [head, , ...body] = lines;
	return { head: head === undefined ? [] : cells(head), body: body.map(cells), left: textColumns(rows), notes };
}
