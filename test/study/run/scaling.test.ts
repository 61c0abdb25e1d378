/**
 * The cost of one scheduling decision must not grow with the number of lifetimes already in the
 * study (it did: every decision copied the arm's searcher trials and walked every slot looking for a
 * retry, so N lifetimes cost O(N^2)). Measured in memory, without I/O: 1000 decide + complete steps
 * on a study holding 1k lifetimes against the same on one holding 60k; the ratio was ~20 before.
 */
import { performance } from 'node:perf_hooks';
import test from 'ava';
import { createSearcher } from '../../../searchers/index.js';
import type { SearcherConfig } from '../../../searchers/config.js';
import type { JournalRecord } from '../../../src/study/journal/journal.js';
import { StudyState } from '../../../src/study/journal/state.js';
import { decide, type ArmDriver } from '../../../src/study/run/scheduler.js';
import { armRole, parseStudySpec } from '../../../src/study/spec/spec.js';

const owner = { host: 'h', pid: 1, run: 'r' };

/** ms for `steps` decide + complete steps after `prior` lifetimes (asked and completed through the same path). */
function stepsAfter(prior: number, steps: number): number {
	const spec = parseStudySpec({
		name: 's',
		objective: { module: './unused.js' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 0 },
		budget: prior + steps,
		retries: 1,
	});
	const role = armRole(spec.arms[0] as (typeof spec.arms)[number]);
	const driver: ArmDriver = { role: 'search', searcher: createSearcher(role.config as SearcherConfig) };
	const state = new StudyState();
	const ctx = { spec, state, me: owner, alive: () => true, driver: () => driver, inFlight: new Set<number>(), stopping: false };
	const step = (): void => {
		const d = decide(ctx);
		if (d.kind !== 'run') throw new Error(`expected a lifetime to run, got ${d.kind}`);
		const end: JournalRecord = { type: 'complete', at: 't', trial: d.trial, value: 1, fields: {}, wall_ms: 0 };
		state.apply([...d.records, end]);
	};
	for (let i = 0; i < prior; i++) step();
	const t0 = performance.now();
	for (let i = 0; i < steps; i++) step();
	return performance.now() - t0;
}

test('a decision costs the same after 60k lifetimes as after 1k (no per-decision pass over every trial)', (t) => {
	stepsAfter(1000, 1000); // warm up the JIT
	const small = Math.min(stepsAfter(1000, 1000), stepsAfter(1000, 1000));
	const large = stepsAfter(60_000, 1000);
	t.log(`1000 decisions: ${small.toFixed(1)} ms after 1k lifetimes, ${large.toFixed(1)} ms after 60k`);
	t.true(large < 4 * small + 20, `after 60k lifetimes ${large.toFixed(1)} ms vs ${small.toFixed(1)} ms after 1k`);
});

test('the arm view hands the searcher its kept trials, not a copy per decision', (t) => {
	const state = new StudyState();
	const view = state.armView('a', 1, 0);
	state.apply([{ type: 'asked', at: 't', trial: 0, arm: 'a', purpose: 'search', slot: 0, attempt: 1, params: { x: 0 }, seed: 0, owner }]);
	const first = view.current();
	t.is(view.current().trials, first.trials);
	t.is(view.current().groups, first.groups);
});
