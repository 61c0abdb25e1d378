/**
 * Reports of module-objective studies (the `metatune init` quick start's shape: several params, a
 * categorical, intermediate reports): pruned lifetimes are marked and counted apart in the slices and
 * left out of the importance fit, the page carries no bandit words, `report` prints no Vega
 * warnings, and the figures are readable (a titled intermediate-curves figure, pruned lines told
 * apart by dash as well as colour, whole lifetimes on the best-so-far axis).
 */
import test from 'ava';
import { comparisonRows } from '../../../src/report/compare.js';
import { bestSoFarFigure } from '../../../src/report/plots/best-so-far.js';
import { reportFigures } from '../../../src/report/plots/figures.js';
import { importanceFigure } from '../../../src/report/plots/importance.js';
import { intermediateCurvesFigures } from '../../../src/report/plots/intermediate-curves.js';
import { renderSvg, type Figure, type FigureOutcome } from '../../../src/report/plots/render.js';
import { rewardVsDiscountFigure } from '../../../src/report/plots/reward-vs-discount.js';
import { sliceFigures } from '../../../src/report/plots/slices.js';
import type { StoredStudy } from '../../../src/study/stored.js';
import { runCli } from '../../cli-capture.js';
import { tempDir } from '../../study/helpers.js';
import { finishedStudy } from '../helpers.js';

const drawn = (o: FigureOutcome | undefined): Figure => {
	if (o?.kind !== 'figure') throw new Error(`expected a figure, got ${JSON.stringify(o)}`);
	return o.figure;
};

const space = {
	lr: { type: 'float', low: 0.0001, high: 1, log: true },
	layers: { type: 'int', low: 1, high: 4 },
	activation: { type: 'categorical', choices: ['relu', 'tanh'] },
};

/** The quick start's toy objective: reports 20 steps, stops when the pruner says so. */
const quickObjective = async (params: Record<string, unknown>, context: { seed: number; report?: (step: number, value: number) => Promise<boolean> }) => {
	const ceiling = 10 - (Math.log10(Number(params.lr)) + 2) ** 2 - (Number(params.layers) - 2) ** 2 + (params.activation === 'tanh' ? 0.5 : 0);
	let score = 0;
	for (let step = 1; step <= 20; step++) {
		score = ceiling * (1 - Math.exp(-step / 5)) + 0.1 * Math.sin(context.seed);
		if (await context.report?.(step, score)) break;
	}
	return { value: score };
};

let results: string;
let quick: StoredStudy;
let pruned: StoredStudy;

test.before(async () => {
	results = tempDir('metatune-module-report-');
	quick = await finishedStudy({ name: 'quick', space, searchers: [{ kind: 'random', seed: 0 }], budget: 12 }, quickObjective as never, results);
	pruned = await finishedStudy(
		{ name: 'pruned', space, searchers: [{ kind: 'random', seed: 0, pruner: { kind: 'asha', min_resource: 2, reduction_factor: 3, max_resource: 20 } }], budget: 30 },
		quickObjective as never,
		results,
	);
});

const counts = (stored: StoredStudy) => {
	const done = stored.state.trials.filter((t) => t?.complete !== undefined && t.asked.purpose === 'search');
	const stopped = done.filter((t) => t?.complete?.pruned_at !== undefined).length;
	return { complete: done.length - stopped, pruned: stopped };
};

test('slices mark pruned lifetimes apart (their own shape and legend) and count them apart', (t) => {
	const { complete, pruned: stopped } = counts(pruned);
	t.true(stopped > 0 && complete > 0, `${complete} complete, ${stopped} pruned`);
	for (const f of sliceFigures({ studies: [pruned] }, pruned).map(drawn)) {
		const spec = f.spec as { data: { values: { fate: string }[] }; encoding: { shape?: { field: string; scale: { domain: string[] } } } };
		t.is(spec.encoding.shape?.field, 'fate', f.id);
		t.is(spec.data.values.filter((v) => v.fate === 'pruned (partial value)').length, stopped, f.id);
		t.regex(f.caption, new RegExp(`${complete} complete search lifetimes and ${stopped} pruned`), f.id);
		t.notRegex(f.caption, new RegExp(`\\b${complete + stopped} complete`), f.id);
	}
});

test('reward against a parameter draws pruned lifetimes with their own shape and counts them apart', async (t) => {
	const objective = async (params: Record<string, unknown>, context: { report?: (step: number, value: number) => Promise<boolean> }) => {
		let score = 0;
		for (let step = 1; step <= 20; step++) {
			score = (1 - (Number(params.x) - 0.3) ** 2) * (step / 20);
			if (await context.report?.(step, score)) break;
		}
		return { value: score };
	};
	const one = await finishedStudy(
		{
			name: 'one-param',
			space: { x: { type: 'float', low: 0, high: 1 } },
			searchers: [{ kind: 'random', seed: 2, pruner: { kind: 'asha', min_resource: 2, reduction_factor: 3, max_resource: 20 } }],
			budget: 20,
		},
		objective as never,
		results,
	);
	const { complete, pruned: stopped } = counts(one);
	t.true(stopped > 0 && complete > 0, `${complete} complete, ${stopped} pruned`);
	const f = drawn(rewardVsDiscountFigure({ studies: [one] }, comparisonRows(one)));
	const points = (f.spec as { layer: { data: { values: { kind: string }[] } }[] }).layer.at(-1)?.data.values ?? [];
	t.is(points.filter((p) => p.kind === 'pruned search lifetime (partial value)').length, stopped);
	t.is(points.filter((p) => p.kind === 'search lifetime').length, complete);
	t.regex(f.caption, new RegExp(`${stopped} lifetimes the pruner stopped`));
});

test('importance is fitted to complete lifetimes only and says how many pruned ones it left out', (t) => {
	const { complete, pruned: stopped } = counts(pruned);
	const f = drawn(importanceFigure({ studies: [pruned] }, pruned));
	t.regex(f.caption, new RegExp(`fitted to ${complete} complete search lifetimes \\(${stopped} pruned ones left out`));
	t.regex(JSON.stringify(f.spec), new RegExp(`${complete} lifetimes`));
});

test('the intermediate-curves figure has a title, and pruned lines differ in dash and in a colour-blind-safe colour', async (t) => {
	const f = drawn(intermediateCurvesFigures({ studies: [pruned] })[0]);
	const spec = f.spec as { title?: { text: string }; spec: { layer: { encoding: { color?: { scale: { range: string[] } }; strokeDash?: { field: string } } }[] } };
	t.is(spec.title?.text, f.title);
	const line = spec.spec.layer[0]?.encoding;
	t.is(line?.strokeDash?.field, 'fate');
	// Okabe-Ito blue and vermillion: apart for every common colour vision deficiency
	t.deepEqual(line?.color?.scale.range, ['#0072b2', '#d55e00']);
	const svg = await renderSvg(f.spec);
	t.regex(svg, /Intermediate reports of every lifetime/);
	t.regex(svg, /stroke-dasharray/);
});

test('best so far labels its lifetime axis with whole lifetimes only', async (t) => {
	const small = await finishedStudy(
		{ name: 'three', space: { x: { type: 'float', low: 0, high: 1 } }, searchers: [{ kind: 'grid', points: 3 }], budget: 3 },
		((p: Record<string, unknown>) => ({ value: 10 + 20 * Number(p.x) })) as never,
		results,
	);
	const svg = await renderSvg(drawn(bestSoFarFigure({ studies: [small] })).spec);
	const labels = [...svg.split('role-axis-label').slice(1)].flatMap((g) => [...g.slice(0, g.indexOf('</g>')).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string));
	t.true(labels.length > 4, JSON.stringify(labels));
	t.deepEqual(
		labels.filter((l) => !/^-?[\d,]+$/.test(l)),
		[],
	);
});

test('a module-objective report says why figures are not drawn without bandit words', (t) => {
	const reasons = reportFigures({ studies: [quick] }, comparisonRows(quick)).flatMap((o) => (o.kind === 'skipped' ? [o.skipped.reason] : []));
	t.true(reasons.length >= 2, JSON.stringify(reasons));
	for (const r of reasons) t.notRegex(r, /bandit|gamma|discount|tuner arm/i);
	const curves = reasons.find((r) => r.includes('`curve`'));
	t.regex(curves ?? '', /intermediate reports are drawn in "Intermediate reports of every lifetime"/);
});

test('metatune report on the quick start prints no Vega warnings', async (t) => {
	for (const name of ['quick', 'pruned']) {
		const run = await runCli(['report', name, '--results', results, '--out', tempDir('metatune-module-report-out-')]);
		t.is(run.code, 0, run.stderr);
		t.notRegex(run.stderr, /WARN|Infinite extent/, name);
		t.notRegex(run.stderr, /bandit|gamma/, name);
	}
});
