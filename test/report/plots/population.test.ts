/**
 * The population figures of a pbt arm on a command objective, on the committed study
 * results/pbt-cartpole: each arm's member curves, deployed schedule and lineage are in the report's
 * figures, with one line per member and one arrow per exploit the journal records, and render to SVG.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { comparisonRows } from '../../../src/report/compare.js';
import { reportFigures } from '../../../src/report/plots/figures.js';
import { populationFigureData } from '../../../src/report/plots/population.js';
import { renderSvg, type Figure } from '../../../src/report/plots/render.js';
import { loadStoredStudy } from '../../../src/study/stored.js';
import { runCli } from '../../cli-capture.js';
import { root, tempDir } from '../../study/helpers.js';

const results = join(root, 'results');

interface AskedLine {
	readonly type: string;
	readonly trial: number;
	readonly arm: string;
	readonly purpose: string;
	readonly slot: number;
	readonly attempt: number;
	readonly segment?: { readonly member: number; readonly generation: number; readonly exploit?: { readonly member: number } };
}

/** The exploits the journal records for an arm (latest attempt of each slot), read from the file itself. */
function journalExploits(arm: string): { member: number; generation: number; copied: number }[] {
	const latest = new Map<number, AskedLine>();
	for (const line of readFileSync(join(results, 'pbt-cartpole', 'journal.jsonl'), 'utf8').split('\n')) {
		if (line === '') continue;
		const r = JSON.parse(line) as AskedLine;
		if (r.type !== 'asked' || r.arm !== arm || r.purpose !== 'search' || r.segment === undefined) continue;
		const held = latest.get(r.slot);
		if (held === undefined || held.attempt < r.attempt) latest.set(r.slot, r);
	}
	return [...latest.values()]
		.filter((r) => r.segment?.exploit !== undefined)
		.map((r) => ({ member: r.segment?.member as number, generation: r.segment?.generation as number, copied: r.segment?.exploit?.member as number }))
		.sort((a, b) => a.generation - b.generation || a.member - b.member);
}

test('the report of results/pbt-cartpole has member curves, schedule and lineage for each pbt arm', async (t) => {
	const stored = await loadStoredStudy('pbt-cartpole', results);
	const figures = reportFigures({ studies: [stored] }, comparisonRows(stored)).flatMap((o) => (o.kind === 'figure' ? [o.figure] : []));
	const byId = new Map(figures.map((f) => [f.id, f]));
	for (const arm of ['pbt', 'pb2']) {
		for (const suffix of ['member-curves', 'schedule', 'lineage']) t.true(byId.has(`${arm}-${suffix}`), `${arm}-${suffix} in ${[...byId.keys()].join(', ')}`);
		const population = stored.spec.arms.find((a) => a.name === arm)?.config as { population: number };
		const data = populationFigureData(stored, arm);
		t.is(new Set(data.curves.map((c) => c.member)).size, population.population, 'a line per member');
		t.is(data.members, population.population);
		const exploits = journalExploits(arm);
		t.true(exploits.length > 0, 'the committed study exploited');
		t.deepEqual(
			data.arrows.map((a) => ({ member: a.member, generation: a.generation, copied: a.copied })),
			exploits,
			'the lineage lists the exploits the journal records',
		);
		for (const a of data.arrows) t.is(a.copied_generation, a.generation - 1, 'an exploit copies the previous generation');
		t.true(data.schedule.length > 0 && data.schedule.every((r) => Number.isFinite(r.value)));
		t.deepEqual([...new Set(data.schedule.map((r) => r.param))].length, 2, 'a panel per tuned param (lr, gamma)');
		const lineage = byId.get(`${arm}-lineage`) as Figure;
		t.true(lineage.caption.includes(`${exploits.length} exploits`));
		const curves = byId.get(`${arm}-member-curves`) as Figure;
		const svg = await renderSvg(curves.spec);
		for (let m = 0; m < population.population; m++) t.true(svg.includes(`>member ${m}<`), `legend lists member ${m}`);
		t.true((await renderSvg(lineage.spec)).includes('<svg'));
		t.true((await renderSvg((byId.get(`${arm}-schedule`) as Figure).spec)).includes('<svg'));
	}
	t.false(byId.has('random-asha-lineage'), 'search arms have no population figures');
});

test('metatune report on results/pbt-cartpole writes the population figures and prints no Vega warnings', async (t) => {
	const out = tempDir('metatune-population-report-');
	const run = await runCli(['report', 'pbt-cartpole', '--results', results, '--out', out]);
	t.is(run.code, 0, run.stderr);
	t.notRegex(run.stderr, /WARN|Infinite extent/);
	const html = readFileSync(join(out, 'report.html'), 'utf8');
	for (const id of ['pbt-member-curves', 'pbt-schedule', 'pbt-lineage', 'pb2-member-curves', 'pb2-schedule', 'pb2-lineage']) t.true(html.includes(`data-figure="${id}"`), id);
});
