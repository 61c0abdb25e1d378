/**
 * The Pareto-front figure: two metrics as a scatter (front solid, dominated faded, infeasible
 * crosses), three as parallel coordinates; both render to SVG.
 */
import test from 'ava';
import { dominates } from '../../../src/core/pareto.js';
import type { ObjectiveFunction } from '../../../src/objectives/objective.js';
import { paretoFrontFigures } from '../../../src/report/plots/pareto-fronts.js';
import { renderSvg } from '../../../src/report/plots/render.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';
import { loadStoredStudy } from '../../../src/study/stored.js';
import { tempDir } from '../../study/helpers.js';

const costs: ObjectiveFunction = (p) => {
	const x = Number(p.x);
	const y = Number(p.y);
	return { value: x, f1: x, f2: 1 - Math.sqrt(x) + y, f3: y * x, cost: 100 * y };
};

async function stored(metrics: string[]) {
	const resultsDir = tempDir('metatune-plots-');
	const spec = parseStudyDocument({
		name: 'front-plot',
		space: { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } },
		metrics: metrics.map((name) => ({ name, direction: 'minimize' })),
		constraints: [{ field: 'cost', max: 40 }],
		searcher: { kind: 'random', seed: 4 },
		budget: 12,
	});
	const study = await Study.open(spec, { resultsDir });
	await runStudy(study, { concurrency: 1, objective: costs });
	study.close();
	return loadStoredStudy('front-plot', { resultsDir });
}

test('two metrics: a scatter of every configuration, solid on the front, faded when dominated, crosses when infeasible', async (t) => {
	const s = await stored(['f1', 'f2']);
	const [outcome] = paretoFrontFigures({ studies: [s] });
	if (outcome?.kind !== 'figure') return t.fail(JSON.stringify(outcome));
	const values = (outcome.figure.spec as unknown as { data: { values: { kind: string; x: number; y: number }[] } }).data.values;
	t.is(values.length, 12);
	const feasible = [...s.state.latest('random', 'search').values()].filter((l) => (l.complete?.fields.cost as number) <= 40);
	const points = feasible.map((l) => [l.complete?.fields.f1 as number, l.complete?.fields.f2 as number]);
	const front = points.filter((a) => !points.some((b) => dominates(b, a, ['minimize', 'minimize'])));
	t.is(values.filter((v) => v.kind === 'on the front').length, front.length);
	t.is(values.filter((v) => v.kind === 'infeasible').length, 12 - feasible.length);
	t.true(feasible.length < 12 && front.length >= 2);
	const svg = await renderSvg(outcome.figure.spec);
	t.true(svg.includes('f1 (minimize)') && svg.includes('f2 (minimize)'));
});

test('three metrics: parallel coordinates, one line per configuration over the metrics', async (t) => {
	const s = await stored(['f1', 'f2', 'f3']);
	const [outcome] = paretoFrontFigures({ studies: [s] });
	if (outcome?.kind !== 'figure') return t.fail(JSON.stringify(outcome));
	const rows = (outcome.figure.spec as unknown as { data: { values: { config: string; scaled: number }[] } }).data.values;
	t.is(rows.length, 12 * 3);
	t.true(rows.every((r) => r.scaled >= 0 && r.scaled <= 1));
	t.is(new Set(rows.map((r) => r.config)).size, 12);
	t.true((await renderSvg(outcome.figure.spec)).includes('f3 (minimize)'));
});

test('a single-metric study has no front figure', async (t) => {
	const resultsDir = tempDir('metatune-plots-');
	const spec = parseStudyDocument({ name: 'one', space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 1 }, budget: 2 });
	const study = await Study.open(spec, { resultsDir });
	await runStudy(study, { concurrency: 1, objective: (p) => Number(p.x) });
	study.close();
	t.deepEqual(paretoFrontFigures({ studies: [loadStoredStudy('one', { resultsDir })] }), []);
});
