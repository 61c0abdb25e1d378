/**
 * A lifetime's reports are indexed (reports.ts): recording, replaying and judging one report must
 * not cost more after 100k reports of the same lifetime than after 1k (each was a scan of the
 * lifetime's reports, so 100k reports took 23 s to run and 5.6 s for status). And the index must
 * answer exactly what the scans it replaced answered.
 */
import { performance } from 'node:perf_hooks';
import test from 'ava';
import { Rng } from '../../../src/core/rng.js';
import type { JournalRecord, ReportRecord } from '../../../src/study/journal/journal.js';
import { reportAt, StudyState, stopReport, type TrialState } from '../../../src/study/journal/state.js';
import { judge } from '../../../src/study/run/pruner.js';

const owner = { host: 'h', pid: 1, run: 'r' };
const asked = (trial: number): JournalRecord => ({ type: 'asked', at: 't', trial, arm: 'a', purpose: 'search', slot: trial, attempt: 1, params: { x: 0 }, seed: trial, owner });
const report = (trial: number, step: number, extra: Partial<ReportRecord> = {}): ReportRecord => ({ type: 'report', at: 't', trial, step, value: step / 1e6, ...extra });

/** ms to apply and judge `steps` more reports of trial 1 once it has `prior` (trial 0 ended first, so nothing waits). */
function reportsAfter(prior: number, steps: number): number {
	const state = new StudyState();
	state.apply([asked(0), report(0, 1), { type: 'complete', at: 't', trial: 0, value: 1, fields: {}, wall_ms: 0 }, asked(1)]);
	const t = state.trials[1] as TrialState;
	for (let s = 1; s <= prior; s++) state.apply([report(1, s)]);
	const asha = { kind: 'asha', min_resource: 1, reduction_factor: 3 } as const;
	const median = { kind: 'median', warmup_steps: 0, min_trials: 1 } as const;
	const t0 = performance.now();
	for (let s = prior + 1; s <= prior + steps; s++) {
		judge(asha, 'maximize', state, t, s, 0.5);
		judge(median, 'maximize', state, t, s, 0.5);
		state.apply([report(1, s), report(1, s)]); // the second is a re-run's repeat: not recorded
		reportAt(t, s);
	}
	return performance.now() - t0;
}

test('a report costs the same after 100k reports of its lifetime as after 1k', (t) => {
	reportsAfter(1000, 1000); // warm up the JIT
	const small = Math.min(reportsAfter(1000, 1000), reportsAfter(1000, 1000));
	const large = reportsAfter(100_000, 1000);
	t.log(`1000 reports: ${small.toFixed(1)} ms after 1k reports, ${large.toFixed(1)} ms after 100k`);
	t.true(large < 4 * small + 20, `after 100k reports ${large.toFixed(1)} ms vs ${small.toFixed(1)} ms after 1k`);
});

test('the index answers what a scan of the reports answers (report at a step, first stop, rungs reached)', (t) => {
	const rng = new Rng(7);
	const state = new StudyState();
	state.apply([asked(0)]);
	const applied: ReportRecord[] = [];
	for (let i = 0; i < 400; i++) {
		const step = rng.int(150);
		const rung = rng.next() < 0.3 ? rng.int(4) : undefined;
		const decision = rung === undefined ? undefined : rng.next() < 0.2 ? ('stop' as const) : ('continue' as const);
		const r = report(0, step, { value: rng.next(), ...(rung === undefined ? {} : { rung }), ...(decision === undefined ? {} : { decision }) });
		applied.push(r);
		state.apply([r]);
	}
	const tr = state.trials[0] as TrialState;
	// the scans the index replaced, over the reports kept (the first at each step)
	const kept = applied.filter((r, i) => applied.findIndex((q) => q.step === r.step) === i);
	t.deepEqual(tr.reports, kept);
	for (let step = -1; step < 151; step++)
		t.is(
			reportAt(tr, step),
			kept.find((r) => r.step === step),
		);
	t.is(
		stopReport(tr),
		kept.find((r) => r.decision === 'stop'),
	);
	t.truthy(stopReport(tr));
	for (let rung = 0; rung < 5; rung++) {
		t.is(
			tr.reportLog?.atRung(rung),
			kept.find((r) => r.rung === rung),
		);
		t.is(
			(tr.reportLog?.maxRung ?? -1) >= rung,
			kept.some((r) => r.rung !== undefined && r.rung >= rung),
		);
	}
	t.is(tr.reportLog?.maxStep, Math.max(...kept.map((r) => r.step)));
});
