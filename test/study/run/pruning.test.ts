/**
 * Pruning in the runner: reports are recorded, pruners stop lifetimes, and every decision is the
 * same whatever the concurrency and timing (decisions depend only on lower-numbered lifetimes).
 */
import test from 'ava';
import type { ReportRecord } from '../../../src/study/journal/journal.js';
import type { TrialState } from '../../../src/study/journal/state.js';
import type { ObjectiveFunction } from '../../../src/objectives/objective.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';
import { tempDir } from '../helpers.js';

/** A learning curve per x with jittered timing, so lifetimes report in a different order every run. */
function curve(jitterMs: number): ObjectiveFunction {
	return async (params, context) => {
		const x = Number(params.x);
		let value = 0;
		for (let step = 10; step <= 100; step += 10) {
			if (jitterMs > 0) await new Promise((r) => setTimeout(r, Math.random() * jitterMs));
			value = (1 - (x - 0.3) ** 2) * (step / (step + 20)) + (context.seed % 1000) / 1e5;
			if (step < 100 && (await context.report?.(step, value))) return { value, steps: step };
		}
		return { value, steps: 100 };
	};
}

function doc(pruner: Record<string, unknown>, extra: Record<string, unknown> = {}) {
	return {
		name: 'pruned',
		space: { x: { type: 'float', low: 0, high: 1 } },
		searchers: [{ kind: 'random', seed: 3 }],
		budget: 24,
		reevaluate: 2,
		pruner,
		...extra,
	};
}

/** What a run decided: per trial, its reports (step, value, rung, decision) and how it ended. */
function decisions(trials: readonly TrialState[]): string[] {
	return trials.map((t) => {
		const reports = (t.reports ?? []).map((r: ReportRecord) => `${r.step}:${r.value.toFixed(6)}${r.rung === undefined ? '' : `@${r.rung}`}${r.decision === undefined ? '' : `=${r.decision}`}`);
		return `${t.asked.trial} ${t.asked.purpose} x=${Number(t.asked.params.x).toFixed(4)} | ${reports.join(' ')} | ${t.phase} ${t.complete?.value.toFixed(6)} pruned_at=${t.complete?.pruned_at}`;
	});
}

async function run(pruner: Record<string, unknown>, concurrency: number, jitterMs: number) {
	const study = await Study.open(parseStudyDocument(doc(pruner)), { resultsDir: tempDir() });
	const summary = await runStudy(study, { concurrency, objective: curve(jitterMs), pollMs: 5 });
	const trials = study.trials();
	study.close();
	return { summary, trials };
}

for (const pruner of [
	{ kind: 'asha', min_resource: 10, reduction_factor: 3, max_resource: 100 },
	{ kind: 'median', warmup_steps: 20, min_trials: 3 },
	{ kind: 'hyperband', min_resource: 10, max_resource: 100 },
]) {
	test(`${pruner.kind}: the same decisions with concurrency 1 and 4 (jittered timing); pruned lifetimes end at their last report`, async (t) => {
		const one = await run(pruner, 1, 0);
		const four = await run(pruner, 4, 8);
		t.true(one.summary.done && four.summary.done);
		t.deepEqual(decisions(four.trials), decisions(one.trials));
		const search = one.trials.filter((tr) => tr.asked.purpose === 'search');
		const pruned = search.filter((tr) => tr.complete?.pruned_at !== undefined);
		t.log(`${pruner.kind}: ${pruned.length} of ${search.length} lifetimes pruned`);
		t.true(pruned.length >= 4 && pruned.length < search.length - 2, `${pruned.length} pruned`);
		for (const tr of search) {
			const reports = tr.reports ?? [];
			const stop = reports.findIndex((r) => r.decision === 'stop');
			if (tr.complete?.pruned_at === undefined) {
				t.is(stop, -1, `trial ${tr.asked.trial} ran to its end only without a stop`);
				t.is(reports.length, 9);
				continue;
			}
			t.is(stop, reports.length - 1, 'nothing reported after the stop');
			const last = reports[stop] as ReportRecord;
			t.is(tr.complete.pruned_at, last.step);
			t.is(tr.complete.value, last.value, 'a pruned lifetime ends with its last reported value');
		}
		// re-evaluations run a configuration whose lifetimes all ran to the end, and are never pruned
		const reevaluated = one.trials.filter((tr) => tr.asked.purpose === 'reevaluate');
		t.is(reevaluated.length, 2);
		const chosen = Number(reevaluated[0]?.asked.params.x);
		t.true(search.some((tr) => Number(tr.asked.params.x) === chosen && tr.complete?.pruned_at === undefined));
		t.true(reevaluated.every((tr) => tr.complete?.pruned_at === undefined && (tr.reports ?? []).every((r) => r.decision === undefined)));
	});
}

test('asha: the first lifetime always goes on; a lifetime goes on at a rung only when it ranks in the best third of the lifetimes before it there', async (t) => {
	const { trials } = await run({ kind: 'asha', min_resource: 10, reduction_factor: 3, max_resource: 100 }, 1, 0);
	const search = trials.filter((tr) => tr.asked.purpose === 'search');
	t.true((search[0]?.reports ?? []).every((r) => r.decision !== 'stop'));
	for (const tr of search) {
		for (const r of tr.reports ?? []) {
			if (r.rung === undefined) continue;
			const before = search.filter((u) => u.asked.trial < tr.asked.trial).flatMap((u) => (u.reports ?? []).filter((q) => q.rung === r.rung).map((q) => q.value));
			const better = before.filter((v) => v >= r.value).length;
			const keep = Math.max(1, Math.floor((before.length + 1) / 3));
			t.is(r.decision, better < keep ? 'continue' : 'stop', `trial ${tr.asked.trial} rung ${r.rung}`);
		}
	}
	t.deepEqual([...new Set(search.flatMap((tr) => (tr.reports ?? []).map((r) => r.rung)).filter((k) => k !== undefined))].sort(), [0, 1, 2], 'rungs at 10, 30 and 90 (below max_resource 100)');
});

test('without a pruner every report is recorded as the curve and nothing is stopped', async (t) => {
	const study = await Study.open(parseStudyDocument({ ...doc({ kind: 'median' }), pruner: undefined }), { resultsDir: tempDir() });
	await runStudy(study, { concurrency: 2, objective: curve(2) });
	const trials = study.trials();
	t.true(trials.every((tr) => tr.complete?.pruned_at === undefined && (tr.reports ?? []).length === 9 && tr.reports?.every((r) => r.decision === undefined)));
	study.close();
});

test('ask/tell: Study.report records the curve and says stop; the trial told its last value ends as pruned', async (t) => {
	const study = await Study.open(parseStudyDocument(doc({ kind: 'asha', min_resource: 10, reduction_factor: 3, max_resource: 100 })), { resultsDir: tempDir() });
	let stopped = 0;
	for (let i = 0; i < 9; i++) {
		const trial = await study.ask();
		if (trial === undefined) return t.fail('a trial to ask');
		const x = Number(trial.params.x);
		let value = 0;
		let pruned = false;
		for (let step = 10; step < 100 && !pruned; step += 10) {
			value = 1 - (x - 0.3) ** 2 - 10 / step;
			pruned = await study.report(trial.number, step, value);
		}
		if (pruned) stopped++;
		const told = await study.tell(trial.number, pruned ? value : 1 - (x - 0.3) ** 2);
		t.is(told.state, 'complete');
	}
	const trials = study.trials();
	t.is(trials.filter((tr) => tr.complete?.pruned_at !== undefined).length, stopped);
	t.true(stopped > 0);
	for (const tr of trials.filter((u) => u.complete?.pruned_at !== undefined)) t.is(tr.complete?.pruned_at, tr.reports?.at(-1)?.step);
	await t.throwsAsync(study.report(0, Number.NaN, 1), { message: /finite numbers/ });
	study.close();
});

test('reports made before the last one is answered (a command printing fast) are judged in order: the same journal as one at a time', async (t) => {
	const burst: ObjectiveFunction = async (params, context) => {
		const x = Number(params.x);
		const steps = [10, 20, 30, 40, 50, 60, 70, 80, 90];
		const values = steps.map((step) => (1 - (x - 0.3) ** 2) * (step / (step + 20)) + (context.seed % 1000) / 1e5);
		const answers = await Promise.all(steps.map((step, i) => context.report?.(step, values[i] as number) ?? false));
		const stop = answers.indexOf(true);
		return { value: stop >= 0 ? (values[stop] as number) : (1 - (x - 0.3) ** 2) * (100 / 120) + (context.seed % 1000) / 1e5, steps: stop >= 0 ? (steps[stop] as number) : 100 };
	};
	const pruner = { kind: 'asha', min_resource: 10, reduction_factor: 3, max_resource: 100 };
	const sequential = await run(pruner, 1, 0);
	const study = await Study.open(parseStudyDocument(doc(pruner)), { resultsDir: tempDir() });
	await runStudy(study, { concurrency: 4, objective: burst, pollMs: 5 });
	const trials = study.trials();
	study.close();
	t.deepEqual(decisions(trials), decisions(sequential.trials));
});
