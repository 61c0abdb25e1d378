import test from 'ava';
import { Rng } from '../../../src/core/rng.js';
import type { AskedRecord, JournalRecord } from '../../../src/study/journal/journal.js';
import { configGroups, searcherTrials, StudyState, type TrialState } from '../../../src/study/journal/state.js';

const owner = { host: 'h', pid: 1, run: 'r' };
const repeats = 2;
const retries = 1;

/** A random history of two arms: new configurations (repeats slots), ends in any order, retries. */
function* history(seed: number, steps: number): Generator<JournalRecord> {
	const rng = new Rng(seed);
	const open: AskedRecord[] = [];
	const failed: AskedRecord[] = [];
	const used = new Map<string, number>();
	let trial = 0;
	for (let step = 0; step < steps; step++) {
		const u = rng.next();
		if (u < 0.35 || open.length === 0) {
			const arm = rng.next() < 0.5 ? 'a' : 'b';
			const first = used.get(arm) ?? 0;
			used.set(arm, first + repeats);
			const params = { x: rng.next() };
			for (let r = 0; r < repeats; r++) {
				const asked: AskedRecord = { type: 'asked', at: 't', trial: trial++, arm, purpose: 'search', slot: first + r, attempt: 1, params, seed: first + r, owner };
				open.push(asked);
				yield asked;
			}
		} else if (u < 0.8) {
			const [t] = open.splice(rng.int(open.length), 1) as [AskedRecord];
			if (rng.next() < 0.25) {
				failed.push(t);
				yield { type: 'failed', at: 't', trial: t.trial, reason: 'threw', message: 'x', wall_ms: 1 };
			} else yield { type: 'complete', at: 't', trial: t.trial, value: rng.next(), fields: {}, wall_ms: 1 };
		} else if (u < 0.9 && failed.length > 0) {
			const [f] = failed.splice(rng.int(failed.length), 1) as [AskedRecord];
			if (f.attempt > retries) continue;
			const retry: AskedRecord = { ...f, trial: trial++, attempt: f.attempt + 1, retry_of: f.trial };
			open.push(retry);
			yield retry;
		} else {
			const t = open[rng.int(open.length)] as AskedRecord;
			yield { type: 'running', at: 't', trial: t.trial, owner };
		}
	}
}

function batch(state: StudyState, arm: string) {
	const groups = configGroups(state, arm, repeats);
	return { groups, trials: searcherTrials(groups, retries, repeats) };
}

test('ArmView (kept up to date record by record) equals the batch configGroups + searcherTrials at every step', (t) => {
	for (let seed = 0; seed < 3; seed++) {
		const state = new StudyState();
		const views = { a: state.armView('a', repeats, retries), b: state.armView('b', repeats, retries) };
		let checks = 0;
		for (const record of history(seed, 200)) {
			state.apply([record]);
			for (const arm of ['a', 'b'] as const) {
				t.deepEqual(views[arm].current(), batch(state, arm));
				checks++;
			}
		}
		t.true(checks >= 400);
		// a view created late (resume) starts from the state as it is
		t.deepEqual(new StudyState().armView('a', repeats, retries).current(), { groups: [], trials: [] });
		// and one created after a replay, then followed record by record
		const records = [...history(seed, 200)];
		const replayed = new StudyState();
		replayed.apply(records.slice(0, 150));
		const late = [1, repeats].map((r) => replayed.armView('a', r, retries));
		for (const record of records.slice(149)) {
			if (record !== records[149]) replayed.apply([record]);
			for (const view of late)
				t.deepEqual(view.current(), { groups: configGroups(replayed, 'a', view.repeats), trials: searcherTrials(configGroups(replayed, 'a', view.repeats), retries, view.repeats) });
		}
		t.is(state.armView('a', repeats, retries), views.a, 'one view per (arm, repeats, retries)');
	}
});

test('ArmView falls back to the batch definitions when a configuration is missing (lost records)', (t) => {
	const state = new StudyState();
	const view = state.armView('a', 1, 0);
	const ask = (trial: number, slot: number): AskedRecord => ({ type: 'asked', at: 't', trial, arm: 'a', purpose: 'search', slot, attempt: 1, params: { x: slot }, seed: slot, owner });
	state.apply([ask(0, 0), ask(2, 2), { type: 'complete', at: 't', trial: 2, value: 5, fields: {}, wall_ms: 0 }]);
	const current = view.current();
	t.deepEqual(current, { groups: configGroups(state, 'a', 1), trials: searcherTrials(configGroups(state, 'a', 1), 0, 1) });
	t.deepEqual(
		current.trials.map((tr) => [tr.number, tr.status]),
		[
			[0, 'running'],
			[2, 'complete'],
		],
	);
});

test('unended: pending and running trials by trial number; ended ones leave', (t) => {
	const state = new StudyState();
	const ask = (trial: number): AskedRecord => ({ type: 'asked', at: 't', trial, arm: 'a', purpose: 'search', slot: trial, attempt: 1, params: {}, seed: 0, owner });
	state.apply([ask(1), ask(0), ask(2), { type: 'running', at: 't', trial: 2, owner }, { type: 'complete', at: 't', trial: 1, value: 0, fields: {}, wall_ms: 0 }]);
	t.deepEqual(
		state.unended().map((tr: TrialState) => [tr.asked.trial, tr.phase]),
		[
			[0, 'pending'],
			[2, 'running'],
		],
	);
	state.apply([
		{ type: 'failed', at: 't', trial: 2, reason: 'threw', message: 'x', wall_ms: 0 },
		{ type: 'complete', at: 't', trial: 2, value: 1, fields: {}, wall_ms: 0 },
	]);
	t.deepEqual(
		state.unended().map((tr) => tr.asked.trial),
		[0],
	);
	t.is(state.trials[2]?.phase, 'failed', 'first end wins');
});
