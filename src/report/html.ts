/**
 * `metatune report`: one self-contained page (`report.html`) plus one SVG per figure for one or more
 * stored studies. The page inlines every SVG, the comparison table and the settings; it loads
 * nothing (no scripts, no stylesheets, no fonts from the network), so it opens from disk.
 *
 * Layout of the page
 *   header      studies, generation time, one progress line per study (complete / still running /
 *               interrupted: figures then show what is there so far)
 *   comparison  the comparison table (compare.ts, the same cells as `metatune compare`)
 *   figures     plots/figures.ts, each a <figure data-figure="<id>"> holding the inline <svg>, or a
 *               note saying why it is not drawn yet
 *   settings    per study: task, space, methods, budget, seeds, backend, commit (plots/settings.ts)
 *
 * The output folder is checked (and created) before any work (ensureOutputDir: one line naming
 * `--out` for a file in the way, no permission, /proc); figures an earlier report wrote into it
 * that this one does not draw are removed (stale-figures.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { ensureOutputDir } from '../core/output-dir.js';
import { comparisonRows, type ComparisonRow } from './compare.js';
import { comparisonCells } from './comparison-cells.js';
import { loadStoredStudy, loadStudy, type StoredStudy, type WarningSink } from '../study/view.js';
import { reportFigures } from './plots/figures.js';
import { renderSvg, scopeSvgIds } from './plots/render.js';
import type { Figure, Skipped } from './plots/spec.js';
import { progressText, settingsRows } from './plots/settings.js';
import { studyProgress } from '../study/view.js';
import { previousFigureIds, removeStaleFigures } from './stale-figures.js';

export interface ReportOptions {
	/** folder holding one folder per study (default `results`) */
	readonly resultsDir?: string;
	/** output folder (default `<first study's folder>/report`) */
	readonly outDir?: string;
	readonly warn?: WarningSink;
	/** a PostgreSQL URL holding the studies (`--storage`); default: their journal files */
	readonly storage?: string | undefined;
}

interface RenderedFigure {
	readonly id: string;
	readonly title: string;
	readonly file: string;
}

export interface ReportResult {
	readonly outDir: string;
	readonly html: string;
	readonly figures: readonly RenderedFigure[];
	readonly skipped: readonly Skipped[];
	/** file names of figures an earlier report wrote into outDir, removed because this one does not draw them */
	readonly removed: readonly string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Load the studies, render every figure and write report.html and the SVGs. */
export async function writeReport(studies: readonly string[], options: ReportOptions = {}): Promise<ReportResult> {
	if (studies.length === 0) throw new InputError('name at least one study to report on', undefined, 'studies');
	if (options.outDir !== undefined) ensureOutputDir(options.outDir, '--out');
	const stored =
		options.storage === undefined
			? studies.map((s) => loadStoredStudy(s, options.resultsDir ?? 'results', options.warn))
			: await Promise.all(studies.map((s) => loadStudy(s, { resultsDir: options.resultsDir ?? 'results', storage: options.storage, ...(options.warn ? { warn: options.warn } : {}) })));
	const names = stored.map((s) => s.spec.name);
	const dup = names.find((n, i) => names.indexOf(n) !== i);
	if (dup !== undefined) throw new InputError(`${dup}: named twice; name each study once`, undefined, 'studies');
	const outDir = options.outDir ?? join((stored[0] as StoredStudy).dir, 'report');
	if (options.outDir === undefined) ensureOutputDir(outDir, '--out');
	const rows = stored.flatMap((s) => comparisonRows(s));
	const outcomes = reportFigures({ studies: stored }, rows);
	const rendered: { figure: Figure; svg: string }[] = [];
	const skipped: Skipped[] = [];
	for (const o of outcomes) {
		if (o.kind === 'figure') rendered.push({ figure: o.figure, svg: await renderSvg(o.figure.spec) });
		else skipped.push(o.skipped);
	}
	const earlier = previousFigureIds(outDir);
	const figures = rendered.map(({ figure, svg }) => {
		const file = join(outDir, `${figure.id}.svg`);
		writeFileSync(file, svg);
		return { id: figure.id, title: figure.title, file };
	});
	const html = join(outDir, 'report.html');
	writeFileSync(
		html,
		reportPage(
			stored,
			rows,
			outcomes.map((o) => (o.kind === 'figure' ? { figure: o.figure, svg: rendered.find((r) => r.figure === o.figure)?.svg ?? '' } : o.skipped)),
		),
	);
	const removed = removeStaleFigures(outDir, earlier, new Set(figures.map((f) => f.id)));
	return { outDir, html, figures, skipped, removed };
}

/** The comparison table (the same cells as the CLI: comparison-cells.ts), its notes as paragraphs under it. */
function comparisonTable(rows: readonly ComparisonRow[]): string {
	const { head, body, left, notes } = comparisonCells(rows);
	if (head.length === 0) return '';
	return (
		`<table class="comparison"><thead><tr>${head.map((c) => `<th>${esc(c)}</th>`).join('')}</tr></thead><tbody>` +
		body.map((r) => `<tr>${r.map((c, i) => `<td${i < left ? '' : ' class="num"'}>${esc(c)}</td>`).join('')}</tr>`).join('') +
		'</tbody></table>' +
		notes.map((n) => `<p class="note">${esc(n)}</p>`).join('')
	);
}

type PageItem = { figure: Figure; svg: string } | Skipped;

function reportPage(stored: readonly StoredStudy[], rows: readonly ComparisonRow[], items: readonly PageItem[]): string {
	const names = stored.map((s) => s.spec.name).join(', ');
	const progress = stored.map((s) => {
		const p = studyProgress(s);
		return `<p class="progress ${p.kind}" data-progress="${p.kind}"><strong>${esc(s.spec.name)}</strong>: ${esc(progressText(p))}</p>`;
	});
	const toc = items.map((it) => ('figure' in it ? `<li><a href="#fig-${it.figure.id}">${esc(it.figure.title)}</a></li>` : `<li>${esc(it.title)} <em>(not drawn)</em></li>`));
	const body = items.map((it) =>
		'figure' in it
			? `<figure id="fig-${it.figure.id}" data-figure="${it.figure.id}">${scopeSvgIds(it.svg, it.figure.id)}<figcaption>${esc(it.figure.caption)} <a href="${it.figure.id}.svg">${it.figure.id}.svg</a></figcaption></figure>`
			: `<div class="skipped" data-skipped="${it.id}"><h3>${esc(it.title)}</h3><p>Not drawn: ${esc(it.reason)}.</p></div>`,
	);
	const settings = stored.map(
		(s) =>
			`<h3>${esc(s.spec.name)}</h3><table class="settings"><tbody>${settingsRows(s)
				.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
				.join('')}</tbody></table>`,
	);
	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>metatune report: ${esc(names)}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1240px; padding: 0 16px; color: #222; }
h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; } h3 { font-size: 15px; }
.meta { color: #666; font-size: 13px; margin-top: 0; }
.progress { padding: 8px 12px; border-radius: 4px; font-size: 14px; }
.progress.complete { background: #eef7ee; border: 1px solid #b9dcb9; }
.progress.running, .progress.interrupted { background: #fff6e0; border: 1px solid #e8c872; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } thead th { background: #f4f4f4; }
table.settings th { background: #f8f8f8; white-space: nowrap; }
figure { margin: 24px 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #444; max-width: 900px; margin-top: 4px; }
.skipped { border: 1px dashed #ccc; padding: 4px 12px; color: #555; font-size: 13px; }
nav ul { font-size: 13px; columns: 2; }
</style>
</head>
<body>
<header>
<h1>Study report: ${esc(names)}</h1>
<p class="meta">Generated ${esc(new Date().toISOString())} by metatune from ${stored.map((s) => esc(s.journalPath)).join(', ')}</p>
${progress.join('\n')}
</header>
<nav><ul>${toc.join('')}<li><a href="#settings">Settings</a></li></ul></nav>
<section id="comparison">
<h2>Comparison</h2>
${comparisonTable(rows)}
</section>
<section id="figures">
<h2>Figures</h2>
${body.join('\n')}
</section>
<section id="settings">
<h2>Settings</h2>
${settings.join('\n')}
</section>
</body>
</html>
`;
}
