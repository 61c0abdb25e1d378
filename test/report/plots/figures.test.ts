import test from 'ava';
import { comparisonRows } from '../../../src/report/compare.js';
import type { StoredStudy } from '../../../src/study/stored.js';
import { bestSoFarFigure, bestSoFarPoints } from '../../../src/report/plots/best-so-far.js';
import { reportFigures } from '../../../src/report/plots/figures.js';
import { gridBestRegion, trajectoryPoints, tunedTrajectoryFigure } from '../../../src/report/plots/tuned-trajectory.js';
import { importanceFigure } from '../../../src/report/plots/importance.js';
import { chosenCurves, learningCurvesFigures } from '../../../src/report/plots/learning-curves.js';
import { curveRows, intermediateCurvesFigures } from '../../../src/report/plots/intermediate-curves.js';
import { renderSvg, type Figure, type FigureOutcome } from '../../../src/report/plots/render.js';
import { discountPoints, gpBands, rewardVsDiscountFigure } from '../../../src/report/plots/reward-vs-discount.js';
import { sliceFigures } from '../../../src/report/plots/slices.js';
import { tempDir } from '../../study/helpers.js';
import { peakGamma, reward, signatureStudy, twoParamStudy, updates } from './fixtures.js';
import { curveTo } from './fixtures.js';
import { loadStoredStudy } from '../../../src/study/stored.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';

let signature: StoredStudy;
let twoParams: StoredStudy;

test.before(async () => {
	const dir = tempDir('metatune-plots-');
	signature = await signatureStudy(dir);
	twoParams = await twoParamStudy(dir);
});

const drawn = (o: FigureOutcome | undefined): Figure => {
	if (o?.kind !== 'figure') throw new Error(`expected a figure, got ${JSON.stringify(o)}`);
	return o.figure;
};

/** Text of the SVG's axis titles and legend titles/labels. */
async function rendered(f: Figure) {
	const svg = await renderSvg(f.spec);
	const texts = (role: string) => {
		const out: string[] = [];
		for (const group of svg.split(`role-${role}`).slice(1)) for (const m of group.slice(0, 20_000).matchAll(/<text[^>]*>([^<]*)<\/text>/g)) out.push(m[1] as string);
		return out;
	};
	return { svg, axisTitles: texts('axis-title'), legendText: texts('legend') };
}

test('every figure of the signature study renders to SVG with axis titles and a legend', async (t) => {
	const figures = reportFigures({ studies: [signature] }, comparisonRows(signature));
	const ids = figures.map((o) => (o.kind === 'figure' ? o.figure.id : `skipped:${o.skipped.id}`));
	t.deepEqual(ids, ['best-so-far', 'reward-vs-discount', 'gamma-trajectories', 'learning-curves']);
	for (const o of figures) {
		const f = drawn(o);
		const { svg, axisTitles, legendText } = await rendered(f);
		t.true(svg.startsWith('<svg'), f.id);
		t.true(axisTitles.length >= 2, `${f.id}: axis titles ${JSON.stringify(axisTitles)}`);
		t.true(
			axisTitles.every((a) => a.trim().length > 0),
			f.id,
		);
		t.true(legendText.length >= 2, `${f.id}: legend ${JSON.stringify(legendText)}`);
		t.true(f.caption.length > 20, f.id);
	}
});

test('best so far never gets worse and counts search lifetimes and env steps', (t) => {
	const points = bestSoFarPoints({ studies: [signature] });
	for (const method of ['grid', 'random', 'gp', 'metagradient']) {
		const own = points.filter((p) => p.method === method);
		t.is(own.length, 6, method);
		own.forEach((p, i) => {
			t.is(p.lifetimes, i + 1);
			t.is(p.env_steps, 20_000 * (i + 1));
			t.true(p.best >= p.value - 1e-12);
			if (i > 0) t.true(p.best >= (own[i - 1] as { best: number }).best);
		});
	}
	t.regex(JSON.stringify(drawn(bestSoFarFigure({ studies: [signature] })).spec), /Environment steps used/);
});

test('reward against discount: tuner (meta-gradient) lifetimes sit at their final discount, gp band brackets its mean and follows the reward', (t) => {
	const points = discountPoints({ studies: [signature] }, signature, 'gamma');
	const meta = points.filter((p) => p.method === 'metagradient');
	t.is(meta.length, 6); // metagradient arms are not re-evaluated
	t.true(meta.every((p) => p.kind === 'online-tuned lifetime (final value)' && p.x >= 0.78 && p.x <= 0.82 + 1e-9));
	t.is(points.filter((p) => p.kind === 're-evaluation').length, 6);
	const bands = gpBands({ studies: [signature] }, signature, 'gamma', comparisonRows(signature));
	t.true(bands.length > 20);
	t.true(bands.every((b) => b.method === 'gp' && b.low <= b.mean && b.mean <= b.high));
	const best = bands.reduce((a, b) => (b.mean > a.mean ? b : a));
	t.true(Math.abs(best.x - peakGamma) < 0.1, `posterior mean peaks at ${best.x}`);
	const spec = JSON.stringify(drawn(rewardVsDiscountFigure({ studies: [signature] }, comparisonRows(signature))).spec);
	t.regex(spec, /GP posterior mean/);
});

test('discount trajectories: one line per meta-gradient lifetime over the grid best region', (t) => {
	const points = trajectoryPoints({ studies: [signature] }, 'gamma');
	t.is(new Set(points.map((p) => p.lifetime)).size, 6);
	t.true(points.every((p) => p.method === 'metagradient'));
	const region = gridBestRegion({ studies: [signature] }, 'gamma');
	if (region === undefined) return t.fail('no grid region');
	// grid over [0.5, 0.99], 6 points: best at 0.794, neighbours 0.696 and 0.892
	t.true(Math.abs(region.best - 0.794) < 1e-9, String(region.best));
	t.true(region.low < peakGamma && peakGamma < region.high);
	t.is(region.label, 'grid best region 0.696–0.892');
	const figure = drawn(tunedTrajectoryFigure({ studies: [signature] }));
	t.is(figure.id, 'gamma-trajectories');
	t.regex(JSON.stringify(figure.spec), /Grid search/);
	t.regex(JSON.stringify(figure.spec), /Discount γ/);
});

test('learning curves: the chosen configuration re-evaluations, at update centres, with the task reference levels', (t) => {
	const points = chosenCurves({ studies: [signature] }, comparisonRows(signature));
	const grid = points.filter((p) => p.method === 'grid');
	t.is(grid.length, 100);
	t.true(grid.every((p) => p.lifetimes === 2 && p.low !== null));
	t.is(grid[0]?.update, 1.5); // chunk 0 of 250 updates in 100 points: updates 1..2
	t.is(grid[99]?.update, 249); // chunk 99: updates 248..250
	t.true((grid[99]?.mean ?? 0) > reward(0.7));
	t.true(points.filter((p) => p.method === 'metagradient').every((p) => p.lifetimes === 6));
	t.is(points.filter((p) => p.method === 'metagradient').length, 100);
	const spec = JSON.stringify(drawn(learningCurvesFigures({ studies: [signature] }, comparisonRows(signature))[0]).spec);
	t.regex(spec, /Bayes-optimal policy \(20\.55\)/);
	t.regex(spec, /uniform random policy \(7\.02\)/);
	t.is(updates, 250);
});

test('figures that cannot be drawn say why; single-parameter studies get no slices or importance', (t) => {
	const figures = reportFigures({ studies: [twoParams] }, comparisonRows(twoParams));
	const skipped = figures.flatMap((o) => (o.kind === 'skipped' ? [o.skipped] : []));
	t.deepEqual(
		skipped.map((s) => s.id),
		['reward-vs-discount', 'tuned-trajectories', 'learning-curves'],
	);
	t.true(skipped.every((s) => s.reason.length > 10));
	t.deepEqual(sliceFigures({ studies: [signature] }, signature), []);
	t.is(importanceFigure({ studies: [signature] }, signature), undefined);
});

test('slices: one per parameter, lr on a log axis', async (t) => {
	const slices = sliceFigures({ studies: [twoParams] }, twoParams).map(drawn);
	t.deepEqual(
		slices.map((f) => f.id),
		['slice-gamma', 'slice-lr'],
	);
	const lr = JSON.stringify(slices[1]?.spec);
	t.regex(lr, /"type":"log"/);
	const { axisTitles } = await rendered(slices[1] as Figure);
	t.true(axisTitles.some((a) => a.includes('lr')));
});

test('importance names its method and puts the parameter that matters first', async (t) => {
	const f = drawn(importanceFigure({ studies: [twoParams] }, twoParams));
	const values = (f.spec as { data: { values: { name: string; share: number }[] } }).data.values;
	t.is(values[0]?.name, 'gamma');
	t.true((values[0]?.share ?? 0) > 0.9, JSON.stringify(values));
	t.true((values.find((v) => v.name === 'lr')?.share ?? 1) < 0.05, JSON.stringify(values));
	const { svg } = await rendered(f);
	t.regex(svg, /fANOVA/);
});

/** A small bandit study on dependent-easy (optimum 90 per episode, random 50) logging learning curves. */
async function easyStudy(results: string): Promise<StoredStudy> {
	const spec = parseStudyDocument({
		name: 'easy',
		objective: { bandit: { task: 'dependent-easy', train_episodes: 4000, eval_episodes: 100 } },
		space: { gamma: { type: 'float', low: 0.5, high: 0.99 } },
		searchers: [{ kind: 'grid', points: 2 }],
		budget: 2,
	});
	const study = await Study.open(spec, { resultsDir: results });
	await runStudy(study, { concurrency: 1, objective: (_p, c) => ({ lifetime_return: 80, updates, train_episodes: 4000, env_steps: 1, curve: curveTo(80, c.seed) }) });
	study.close();
	return loadStoredStudy('easy', results);
}

test('a report over studies of different tasks draws one learning-curve figure per task, each with its own reference levels', async (t) => {
	const easy = await easyStudy(tempDir('metatune-plots-'));
	const input = { studies: [signature, easy] };
	const rows = [...comparisonRows(signature), ...comparisonRows(easy)];
	const figures = learningCurvesFigures(input, rows).map(drawn);
	t.deepEqual(
		figures.map((f) => f.id),
		['learning-curves-eleven-armed', 'learning-curves-dependent-easy'],
	);
	const [eleven, dependent] = figures.map((f) => JSON.stringify(f.spec));
	t.regex(eleven ?? '', /Bayes-optimal policy \(20\.55\)/);
	t.notRegex(eleven ?? '', /easy\/grid/);
	t.regex(dependent ?? '', /oracle that knows p1, p2 \(9\d\.\d\d\)/);
	t.regex(dependent ?? '', /uniform random policy \(50\.00\)/);
	t.notRegex(dependent ?? '', /20\.55/);
	t.regex(dependent ?? '', /easy\/grid/);
	t.notRegex(dependent ?? '', /signature\//);
	t.true(reportFigures(input, rows).some((o) => o.kind === 'figure' && o.figure.id === 'learning-curves-dependent-easy'));
});

test('best so far draws the task reference levels when the studies share a task, none when they differ', async (t) => {
	const spec = JSON.stringify(drawn(bestSoFarFigure({ studies: [signature] })).spec);
	t.regex(spec, /Bayes-optimal policy \(20\.55\)/);
	t.regex(spec, /uniform random policy \(7\.02\)/);
	t.regex(drawn(bestSoFarFigure({ studies: [signature] })).caption, /optimal and the uniform random policy on eleven-armed/);
	const easy = await easyStudy(tempDir('metatune-plots-'));
	t.notRegex(JSON.stringify(drawn(bestSoFarFigure({ studies: [signature, easy] })).spec), /optimal policy/);
	t.notRegex(JSON.stringify(drawn(bestSoFarFigure({ studies: [twoParams] })).spec), /optimal policy/);
});

test('intermediate curves: one panel per arm, pruned lifetimes end in a cross, asha rungs are dashed rules', async (t) => {
	const dir = tempDir('metatune-plots-');
	const spec = parseStudyDocument({
		name: 'pruned-curves',
		space: { x: { type: 'float', low: 0, high: 1 } },
		searchers: [
			{ kind: 'random', seed: 1 },
			{ kind: 'random', name: 'random-asha', seed: 1, pruner: { kind: 'asha', min_resource: 10, reduction_factor: 3, max_resource: 100 } },
		],
		budget: 12,
	});
	const study = await Study.open(spec, { resultsDir: dir });
	await runStudy(study, {
		concurrency: 2,
		objective: async (p, c) => {
			let value = 0;
			for (let step = 10; step < 100; step += 10) {
				value = (1 - (Number(p.x) - 0.3) ** 2) * (step / (step + 20));
				if (await c.report?.(step, value)) return { value };
			}
			return { value: 1 - (Number(p.x) - 0.3) ** 2, train_episodes: 100 };
		},
	});
	const pruned = study.trials().filter((tr) => tr.complete?.pruned_at !== undefined).length;
	study.close();
	const stored = await loadStoredStudy('pruned-curves', dir);
	const input = { studies: [stored] };
	const rows = curveRows(input, stored);
	t.true(pruned > 0);
	t.is(rows.filter((r) => r.type === 'stop').length, pruned, 'one cross per pruned lifetime');
	t.deepEqual(
		rows.filter((r) => r.type === 'rung').map((r) => [r.method, r.step]),
		[
			['random-asha', 10],
			['random-asha', 30],
			['random-asha', 90],
		],
		'rungs only on the arm with the pruner',
	);
	t.is(rows.filter((r) => r.type === 'point' && r.step === 100).length, 24 - pruned, 'lifetimes that ran to the end get their final value');
	const figures = reportFigures(input, comparisonRows(stored)).map((o) => (o.kind === 'figure' ? o.figure.id : `skipped:${o.skipped.id}`));
	t.true(figures.includes('intermediate-curves'));
	const f = drawn(intermediateCurvesFigures(input)[0]);
	const { svg } = await rendered(f);
	t.regex(svg, /random-asha/);
	t.regex(f.caption, new RegExp(`the ${pruned} lifetimes the pruner stopped`));
});
