/**
 * Pruning a study with several metrics (run/pruner.ts): a lifetime reports one value per metric, and
 * at an asha rung it goes on only while fewer than max(1, floor(n / reduction_factor)) of the earlier
 * reports there are at least as good on every metric. The decisions are recorded with the values and
 * are the same at concurrency 1 and 4 with jittered timing.
 */
import test from 'ava';
import type { ObjectiveFunction } from '../../../src/objectives/objective.js';
import type { ReportRecord } from '../../../src/study/journal/journal.js';
import type { TrialState } from '../../../src/study/journal/state.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';
import { fixtures, tempDir } from '../helpers.js';
import { join } from 'node:path';

/** score (maximised) peaks at x = 0.3; cost (minimised) grows with x: below 0.3 score trades against cost. */
function curve(jitterMs: number): ObjectiveFunction {
	return async (params, context) => {
		const x = Number(params.x);
		let score = 0;
		let cost = 0;
		for (let step = 10; step <= 100; step += 10) {
			if (jitterMs > 0) await new Promise((r) => setTimeout(r, Math.random() * jitterMs));
			score = (1 - (x - 0.3) ** 2) * (step / (step + 20)) + (context.seed % 1000) / 1e5;
			cost = x * step;
			if (step < 100 && (await context.report?.(step, [score, cost]))) return { value: score, score, cost };
		}
		return { value: score, score, cost };
	};
}

const doc = {
	name: 'mo-pruned',
	space: { x: { type: 'float', low: 0, high: 1 } },
	metrics: [
		{ name: 'score', direction: 'maximize' },
		{ name: 'cost', direction: 'minimize' },
	],
	searchers: [{ kind: 'random', seed: 3 }],
	budget: 24,
	pruner: { kind: 'asha', min_resource: 10, reduction_factor: 3, max_resource: 100 },
};

/** Run the study; `jitterMs` undefined: the same curve as a module in worker threads (fixtures/objectives.js scoreCost). */
async function run(concurrency: number, jitterMs: number | undefined) {
	const objective = jitterMs === undefined ? { objective: { module: join(fixtures, 'objectives.js'), export: 'scoreCost' } } : {};
	const study = await Study.open(parseStudyDocument({ ...doc, ...objective }), { resultsDir: tempDir() });
	const summary = await runStudy(study, { concurrency, ...(jitterMs === undefined ? {} : { objective: curve(jitterMs) }), pollMs: 5 });
	const trials = study.trials();
	study.close();
	return { summary, trials };
}

function decisions(trials: readonly TrialState[]): string[] {
	return trials.map((t) => {
		const reports = (t.reports ?? []).map(
			(r: ReportRecord) => `${r.step}:${(r.values ?? []).map((v) => v.toFixed(6)).join('/')}${r.rung === undefined ? '' : `@${r.rung}`}${r.decision === undefined ? '' : `=${r.decision}`}`,
		);
		return `${t.asked.trial} x=${Number(t.asked.params.x).toFixed(4)} | ${reports.join(' ')} | ${t.phase} pruned_at=${t.complete?.pruned_at}`;
	});
}

test('a lifetime stops at a rung only when a 1/reduction_factor share of the earlier reports there is at least as good on every metric', async (t) => {
	const { summary, trials } = await run(1, 0);
	t.true(summary.done);
	const search = trials.filter((tr) => tr.asked.purpose === 'search');
	let judged = 0;
	let keptByDominance = 0;
	for (const tr of search) {
		for (const r of tr.reports ?? []) {
			t.is(r.values?.length, 2, 'the report keeps one value per metric');
			t.is(r.values?.[0], r.value);
			if (r.rung === undefined) continue;
			judged++;
			const before = search.filter((u) => u.asked.trial < tr.asked.trial).flatMap((u) => (u.reports ?? []).filter((q) => q.rung === r.rung));
			const [score, cost] = r.values as [number, number];
			const covering = before.filter((q) => (q.values?.[0] as number) >= score && (q.values?.[1] as number) <= cost).length;
			const keep = Math.max(1, Math.floor((before.length + 1) / 3));
			t.is(r.decision, covering < keep ? 'continue' : 'stop', `trial ${tr.asked.trial} rung ${r.rung}`);
			// asha on the first metric alone would stop it: it is kept for its lower cost
			if (before.filter((q) => q.value >= score).length >= keep && r.decision === 'continue') keptByDominance++;
		}
	}
	const pruned = search.filter((tr) => tr.complete?.pruned_at !== undefined).length;
	t.log(`${pruned} of ${search.length} lifetimes pruned; ${judged} rung reports judged, ${keptByDominance} kept that asha on score alone would stop`);
	t.true(pruned >= 3 && pruned < search.length - 3, `${pruned} pruned`);
	t.true(keptByDominance > 0, 'some lifetime is kept only for its other metric');
});

test('several metrics: the same decisions with concurrency 1 and 4 (jittered timing), and in worker threads', async (t) => {
	const one = await run(1, 0);
	const four = await run(4, 8);
	const workers = await run(2, undefined);
	t.true(one.summary.done && four.summary.done && workers.summary.done);
	t.deepEqual(decisions(four.trials), decisions(one.trials));
	t.deepEqual(decisions(workers.trials), decisions(one.trials), 'the values reach the pruner from a worker thread');
});
