/**
 * The Pareto-front table of a study with several metrics: per arm its front size (feasible only),
 * its hypervolume over the re-evaluation seeds against the stated reference point, and
 * `compare --front` listing the members with their re-evaluated values.
 */
import test from 'ava';
import { hypervolume } from '../../src/core/pareto.js';
import { meanCi } from '../../src/core/stats.js';
import type { ObjectiveFunction } from '../../src/objectives/objective.js';
import { armFronts } from '../../src/report/fronts.js';
import { runStudy } from '../../src/study/run/runner.js';
import { parseStudyDocument } from '../../src/study/spec/spec.js';
import { Study } from '../../src/study/study.js';
import { loadStoredStudy } from '../../src/study/view.js';
import { runCli } from '../cli-capture.js';
import { tempDir } from '../study/helpers.js';

/** f1 = x + seed noise, f2 = 1 - sqrt(x) + y + seed noise (both minimised), cost = 100 y. */
const twoCosts: ObjectiveFunction = (p, c) => {
	const x = Number(p.x);
	const y = Number(p.y);
	const noise = (c.seed % 1000) / 1e4;
	return { value: x + noise, f1: x + noise, f2: 1 - Math.sqrt(x) + y + noise, cost: 100 * y, env_steps: 10 };
};

async function runFrontStudy(resultsDir: string, reevaluate: number, referencePoint?: number[]) {
	const spec = parseStudyDocument({
		name: 'fronts',
		space: { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } },
		metrics: [
			{ name: 'f1', direction: 'minimize' },
			{ name: 'f2', direction: 'minimize' },
		],
		constraints: [{ field: 'cost', max: 30 }],
		searchers: [
			{ kind: 'random', seed: 1 },
			{ kind: 'random', seed: 2, name: 'other' },
		],
		budget: 10,
		reevaluate,
		...(referencePoint === undefined ? {} : { reference_point: referencePoint }),
	});
	const study = await Study.open(spec, { resultsDir });
	await runStudy(study, { concurrency: 2, objective: twoCosts });
	study.close();
	return loadStoredStudy('fronts', { resultsDir });
}

test('hypervolume per arm: mean and CI over the re-evaluation seeds against the worst feasible value seen plus a 10% margin; compare shows it with the reference point', async (t) => {
	const resultsDir = tempDir();
	const stored = await runFrontStudy(resultsDir, 3);
	const fronts = armFronts(stored);
	t.deepEqual(
		fronts.map((f) => f.arm),
		['random', 'other'],
	);
	// the reference point: per metric the worst value of every arm's feasible search lifetimes
	const feasible = stored.spec.arms.flatMap((a) => [...stored.state.latest(a.name, 'search').values()]).filter((l) => (l.complete?.fields.cost as number) <= 30);
	const span = (f: string) => {
		const vs = feasible.map((l) => l.complete?.fields[f] as number);
		return Math.max(...vs) + 0.1 * (Math.max(...vs) - Math.min(...vs));
	};
	const worst = [span('f1'), span('f2')];
	for (const f of fronts) {
		t.deepEqual(f.reference, worst);
		t.is(f.reference_basis, 'worst feasible value seen + 10% of the range');
		const reevals = [...stored.state.latest(f.arm, 'reevaluate').values()];
		t.is(reevals.length, f.size * 3);
		const perSeed = new Map<number, number[][]>();
		for (const r of reevals) {
			if ((r.complete?.fields.cost as number) > 30) continue;
			perSeed.set(r.asked.seed, [...(perSeed.get(r.asked.seed) ?? []), [r.complete?.fields.f1 as number, r.complete?.fields.f2 as number]]);
		}
		t.is(perSeed.size, 3);
		const expected = meanCi([...perSeed.values()].map((ys) => hypervolume(ys, worst, ['minimize', 'minimize'])));
		t.is(f.hypervolume?.n, 3);
		t.true(Math.abs((f.hypervolume?.mean ?? 0) - (expected?.mean ?? 1)) < 1e-12);
		t.true(f.members.every((m) => m.reevaluated.length === 2 && m.reevaluated[0]?.n === 3));
	}
	const table = await runCli(['compare', 'fronts', '--results', resultsDir]);
	t.is(table.code, 0, table.stderr);
	t.regex(table.stdout, /Pareto front +Hypervolume \(mean, 95% CI\)/);
	t.regex(table.stdout, new RegExp(`random +front of ${fronts[0]?.size}`));
	t.regex(table.stdout, /reference point f1=[\d.]+, f2=[\d.]+ \(worst feasible value seen \+ 10% of the range\); interval over re-evaluation seeds/);
	const listed = await runCli(['compare', 'fronts', '--results', resultsDir, '--front']);
	t.is(listed.code, 0, listed.stderr);
	t.regex(listed.stdout, new RegExp(`^random: ${fronts[0]?.size} on the front, hypervolume`, 'm'));
	t.is(listed.stdout.match(/^x=/gm)?.length, (fronts[0]?.size ?? 0) + (fronts[1]?.size ?? 0));
	const status = await runCli(['status', 'fronts', '--results', resultsDir]);
	t.is(status.code, 0, status.stderr);
	t.regex(status.stdout, /metrics f1 \(minimize\), f2 \(minimize\)/);
	t.regex(status.stdout, /Front +Best f1/);
	const infeasible = fronts[0]?.infeasible ?? 0;
	t.regex(status.stdout, new RegExp(`^random +random .* ${fronts[0]?.size}${infeasible > 0 ? ` \\(${infeasible} infeasible\\)` : ''} `, 'm'));
});

test('a written reference point is used as written; without re-evaluations the hypervolume is of the search means, n=1', async (t) => {
	const resultsDir = tempDir();
	const stored = await runFrontStudy(resultsDir, 0, [2, 3]);
	for (const f of armFronts(stored)) {
		t.deepEqual(f.reference, [2, 3]);
		t.is(f.reference_basis, 'written');
		t.is(f.hypervolume?.n, 1);
		t.is(f.hypervolume_basis, 'search means (not re-evaluated)');
		t.true(f.members.every((m) => m.reevaluated.length === 0));
	}
	const table = await runCli(['compare', 'fronts', '--results', resultsDir]);
	t.regex(table.stdout, /HV [\d.]+ n=1 \(not re-evaluated\)/);
});
