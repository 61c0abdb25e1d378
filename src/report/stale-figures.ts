/**
 * Figures left behind by an earlier report in the same output folder. A report draws a different set
 * of figures for a different study (slices per searched parameter, importance only with several),
 * so writing into a folder that holds an earlier report would leave SVGs of the other study next to
 * the new page. Before the new page replaces the old one, the old page says which figures it drew
 * (`data-figure="<id>"`); those that the new report does not draw are removed afterwards.
 *
 * A file is removed only when all of these hold, so nothing but a figure metatune wrote is touched:
 *   - the folder's report.html is a metatune report page and lists it as one of its figures
 *   - its name is one metatune's figures use (`figureIdPattern`, the ids in plots/*.ts)
 *   - it is a regular file holding an SVG document
 */
import { existsSync, lstatSync, openSync, readFileSync, readSync, closeSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Every id a figure can have: the fixed ones, `importance[-<study>]` and `slice-[<study>-]<param>`. */
export const figureIdPattern = /^(?:best-so-far|reward-vs-discount|[A-Za-z0-9_]+-trajectories|learning-curves|intermediate-curves(?:-[a-z0-9-]+)?|importance(?:-[a-z0-9-]+)?|slice-[a-z0-9-]+)$/;

/** The marker every page written by reportPage carries. */
const pageMarker = /<title>metatune report: /;

/** Ids of the figures drawn by the metatune report page in `dir` (none when there is no such page). */
export function previousFigureIds(dir: string): string[] {
	const page = join(dir, 'report.html');
	let html: string;
	try {
		html = readFileSync(page, 'utf8');
	} catch {
		return [];
	}
	if (!pageMarker.test(html)) return [];
	return [...new Set([...html.matchAll(/<figure id="fig-[^"]*" data-figure="([^"]+)">/g)].map((m) => m[1] as string))];
}

function startsWithSvg(file: string): boolean {
	const fd = openSync(file, 'r');
	try {
		const head = Buffer.alloc(5);
		const n = readSync(fd, head, 0, 5, 0);
		return head.subarray(0, n).toString('utf8') === '<svg ';
	} finally {
		closeSync(fd);
	}
}

/** Remove `<id>.svg` for each earlier figure id not in `keep`; returns the file names removed. */
export function removeStaleFigures(dir: string, earlier: readonly string[], keep: ReadonlySet<string>): string[] {
	const removed: string[] = [];
	for (const id of earlier) {
		if (keep.has(id) || !figureIdPattern.test(id)) continue;
		const name = `${id}.svg`;
		const file = join(dir, name);
		if (!existsSync(file) || !lstatSync(file).isFile() || !startsWithSvg(file)) continue;
		unlinkSync(file);
		removed.push(name);
	}
	return removed;
}
