/**
 * Studies with several metrics and constraints, run end to end in this process: searcher trials carry
 * values and violations derived from the logged fields, infeasible configurations are never chosen,
 * every configuration of an arm's Pareto front is re-evaluated on the same fresh seeds, and a
 * constraint on a field the objective never logs fails the lifetime with one line naming it.
 */
import test from 'ava';
import { dominates } from '../../../src/core/pareto.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';
import { armCounts, armSearch, loadStoredStudy } from '../../../src/study/view.js';
import type { ObjectiveFunction } from '../../../src/objectives/objective.js';
import { tempDir } from '../helpers.js';

/** Two conflicting costs of x (ZDT1-like front f2 = 1 - sqrt(f1)) plus y, a `cost` that grows with y, seed noise on f1. */
const twoCosts: ObjectiveFunction = (p, c) => {
	const x = Number(p.x);
	const y = Number(p.y);
	const f1 = x + (c.seed % 1000) / 1e6;
	return { value: f1, f1, f2: 1 - Math.sqrt(x) + y, cost: 100 * y };
};

const doc = {
	name: 'mo',
	space: { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } },
	metrics: [
		{ name: 'f1', direction: 'minimize' },
		{ name: 'f2', direction: 'minimize' },
	],
	constraints: [{ field: 'cost', max: 30 }],
	searcher: { kind: 'random', seed: 3 },
	budget: 16,
	repeats: 2,
	reevaluate: 2,
};

test('searcher trials carry mean values and the violation of the means; the front is re-evaluated per member on the same fresh seeds; infeasible never chosen', async (t) => {
	const resultsDir = tempDir();
	const spec = parseStudyDocument(doc);
	t.is(spec.metric, 'f1');
	t.is(spec.direction, 'minimize');
	const study = await Study.open(spec, { resultsDir });
	const summary = await runStudy(study, { concurrency: 2, objective: twoCosts });
	t.true(summary.done);
	study.close();
	const stored = loadStoredStudy('mo', { resultsDir });
	const { groups, trials } = armSearch(stored, 'random');
	t.is(trials.length, 8);
	let infeasible = 0;
	for (const [j, tr] of trials.entries()) {
		const lifetimes = (groups[j]?.lifetimes ?? []).map((l) => l.complete?.fields as Record<string, number>);
		const mean = (f: string) => lifetimes.reduce((s, l) => s + (l[f] as number), 0) / lifetimes.length;
		t.deepEqual(tr.values, [mean('f1'), mean('f2')]);
		t.is(tr.value, mean('f1'));
		t.is(tr.violation, Math.max(0, mean('cost') - 30));
		if ((tr.violation ?? 0) > 0) infeasible++;
	}
	t.true(infeasible > 0 && infeasible < trials.length, `a mix of feasible and infeasible configurations (${infeasible} infeasible)`);
	// the front: feasible configurations no feasible one dominates
	const feasible = trials.filter((tr) => tr.violation === 0);
	const front = feasible.filter((a) => !feasible.some((b) => dominates(b.values ?? [], a.values ?? [], ['minimize', 'minimize'])));
	const reevals = [...stored.state.latest('random', 'reevaluate').values()].sort((a, b) => a.asked.slot - b.asked.slot);
	t.is(reevals.length, front.length * 2);
	t.deepEqual(
		reevals.map((r) => r.asked.params),
		front.flatMap((f) => [f.params, f.params]),
	);
	const seeds = reevals.map((r) => r.asked.seed);
	for (let i = 2; i < seeds.length; i++) t.is(seeds[i], seeds[i - 2], 'every front member gets the same fresh seeds');
	t.not(seeds[0], seeds[1]);
	const searchSeeds = new Set([...stored.state.latest('random', 'search').values()].map((l) => l.asked.seed));
	t.false(
		seeds.some((s) => searchSeeds.has(s)),
		're-evaluation seeds are fresh',
	);
	const counts = armCounts(stored)[0];
	t.is(counts?.total, 16 + front.length * 2);
	t.is(counts?.ended, counts?.total);
	// best observed is a feasible lifetime's value
	const feasibleLifetimes = [...stored.state.latest('random', 'search').values()].filter((l) => (l.complete?.fields.cost as number) <= 30);
	t.is(counts?.best, Math.min(...feasibleLifetimes.map((l) => l.complete?.value as number)));
});

test('a constraint on a field the objective never logs fails each lifetime with one line naming the field and the nearest logged one', async (t) => {
	const spec = parseStudyDocument({ ...doc, name: 'mo-typo', constraints: [{ field: 'cots', max: 30 }], budget: 2, repeats: 1, reevaluate: 0 });
	const study = await Study.open(spec, { resultsDir: tempDir() });
	const summary = await runStudy(study, { concurrency: 1, objective: twoCosts });
	t.is(summary.failed, 2);
	const failed = study.trials().map((tr) => tr.failed);
	t.is(failed[0]?.reason, 'not-finite');
	t.regex(failed[0]?.message ?? '', /^constraints\.0\.field: the objective logs no number "cots" \(it logged no such field; did you mean cost\?\); numeric fields it logs: value, f1, f2, cost$/);
	study.close();
});

test('a metric the objective does not log fails the lifetime naming metrics.k.name', async (t) => {
	const spec = parseStudyDocument({
		...doc,
		name: 'mo-metric',
		metrics: [
			{ name: 'f1', direction: 'minimize' },
			{ name: 'f3', direction: 'minimize' },
		],
		budget: 1,
		repeats: 1,
		reevaluate: 0,
	});
	const study = await Study.open(spec, { resultsDir: tempDir() });
	await runStudy(study, { concurrency: 1, objective: twoCosts });
	t.regex(study.trials()[0]?.failed?.message ?? '', /^metrics\.1\.name: the objective logs no number "f3"/);
	study.close();
});
