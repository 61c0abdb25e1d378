/**
 * A reusable conformance suite for searchers (ava macros). Every searcher kind runs through the same
 * checks: proposals stay in bounds, the same seed gives the same proposals, no duplicates on a
 * discrete space, a batch of n > 1 is distinct, resume (asking again with the same trials) gives
 * the continuation of a batch, and an instance that has seen other histories answers as a fresh one
 * (whatever a searcher keeps between asks is a pure cache of the trials it is given). On conditional
 * spaces: every proposal holds exactly its active params (`activeParams`), each in bounds, the same
 * for a seed, and a finite conditional space is covered once, valid configurations only. With two
 * metrics and a constraint (`multiObjectiveConformance`): the same for a seed, resume continues a
 * batch, an instance that has seen other histories answers as a fresh one, no single recommendation
 * (and never an infeasible one with one metric), and grid and random ignore the values.
 */
import test, { type ExecutionContext } from 'ava';
import { activeParams } from '../../src/core/conditions.js';
import { Rng } from '../../src/core/rng.js';
import { paramsKey, spaceSize, type Params, type Space } from '../../src/core/space.js';
import { bestObserved } from '../../searchers/common.js';
import type { SearcherConfig } from '../../searchers/config.js';
import { createSearcher } from '../../searchers/index.js';
import type { AskResult, Direction, Proposal, Searcher, SearcherTrial } from '../../searchers/searcher.js';

export const mixedSpace: Space = {
	x: { type: 'float', low: -2, high: 3 },
	lr: { type: 'float', low: 1e-4, high: 1e-1, log: true },
	k: { type: 'int', low: 2, high: 10, step: 2 },
	opt: { type: 'categorical', choices: ['adam', 'sgd', 'rms'] },
	task: { type: 'fixed', value: 'eleven' },
};

export const discreteSpace: Space = {
	k: { type: 'int', low: 1, high: 4 },
	c: { type: 'categorical', choices: ['a', 'b', 'c'] },
	f: { type: 'fixed', value: 1 },
};

/** Optimiser settings under the optimiser, a nested condition (act2 under width2 under layers). */
export const conditionalSpace: Space = {
	opt: { type: 'categorical', choices: ['adam', 'sgd', 'none'] },
	lr: { type: 'float', low: 1e-4, high: 1e-1, log: true, when: { opt: ['adam', 'sgd'] } },
	x: { type: 'float', low: -2, high: 3, when: { opt: ['adam'] } },
	layers: { type: 'int', low: 1, high: 3 },
	k: { type: 'int', low: 8, high: 64, step: 8, when: { layers: [2, 3] } },
	act2: { type: 'categorical', choices: ['relu', 'tanh'], when: { k: [8, 16] } },
	task: { type: 'fixed', value: 'eleven' },
};

/** A finite conditional space of 6 valid configurations: b; a,k=1; a,k=2,c=x|y; a,k=3,c=x|y. */
export const conditionalDiscreteSpace: Space = {
	opt: { type: 'categorical', choices: ['a', 'b'] },
	k: { type: 'int', low: 1, high: 3, when: { opt: ['a'] } },
	c: { type: 'categorical', choices: ['x', 'y'], when: { k: [2, 3] } },
	f: { type: 'fixed', value: 1 },
};
const conditionalDiscreteSize = 6;

/** The params are exactly the active ones of a conditional space, each a value its param can take. */
export function assertActiveInBounds(t: ExecutionContext, space: Space, params: Params): void {
	const active = activeParams(space, params);
	t.deepEqual(Object.keys(params).sort(), Object.keys(active).sort(), `params ${JSON.stringify(params)} are not the active ones`);
	const sub: Space = Object.fromEntries(Object.entries(space).filter(([name]) => name in params));
	assertInBounds(t, sub, params);
}

/** A cheap deterministic objective over either space. */
export function toyObjective(p: Params): number {
	const x = typeof p.x === 'number' ? p.x : 0;
	const lr = typeof p.lr === 'number' ? Math.log10(p.lr) : 0;
	const k = typeof p.k === 'number' ? p.k : 0;
	const c = p.opt ?? p.c;
	return (x - 0.7) ** 2 + (lr + 2.5) ** 2 + 0.1 * (k - 3) ** 2 + (c === 'sgd' || c === 'b' ? 0 : 0.5);
}

/** Drive a searcher for `budget` trials, `batch` proposals per ask, completing each batch before the next ask. */
export function drive(searcher: Searcher, space: Space, budget: number, batch = 1, direction: Direction = 'minimize'): { trials: SearcherTrial[]; exhausted: boolean } {
	const trials: SearcherTrial[] = [];
	while (trials.length < budget) {
		const result = searcher.ask({ space, direction, trials, n: Math.min(batch, budget - trials.length) });
		if (result.kind === 'exhausted') return { trials, exhausted: true };
		for (const { params } of result.proposals) {
			const value = toyObjective(params);
			trials.push({ number: trials.length, params, status: 'complete', value: direction === 'minimize' ? value : -value });
		}
	}
	return { trials, exhausted: false };
}

export function assertInBounds(t: ExecutionContext, space: Space, params: Params): void {
	for (const [name, param] of Object.entries(space)) {
		const v = params[name];
		switch (param.type) {
			case 'float':
				t.true(typeof v === 'number' && v >= param.low && v <= param.high, `${name}=${String(v)} outside [${param.low}, ${param.high}]`);
				break;
			case 'int': {
				const step = param.step ?? 1;
				t.true(typeof v === 'number' && v >= param.low && v <= param.high && Number.isInteger((v - param.low) / step), `${name}=${String(v)} not on the int grid`);
				break;
			}
			case 'categorical':
				t.true(param.choices.includes(v as never), `${name}=${String(v)} not a choice`);
				break;
			case 'fixed':
				t.is(v, param.value);
				break;
		}
	}
	t.deepEqual(Object.keys(params).sort(), Object.keys(space).sort());
}

const keys = (space: Space, ps: readonly { params: Params }[]): string[] => ps.map((p) => paramsKey(space, p.params));

/** An ask's answer as comparable data: `exhausted`, or each proposal's key and note. */
function answer(space: Space, result: AskResult): string[] | 'exhausted' {
	return result.kind === 'exhausted' ? 'exhausted' : result.proposals.map((p) => `${paramsKey(space, p.params)}${p.note === undefined ? '' : ` (${p.note})`}`);
}

/**
 * Histories an instance may be asked about one after another, built from `base` (complete trials in
 * the order asked) and `next` (the point a fresh searcher proposes after base[0..5]). Many share
 * trial objects with each other, in particular the first and the last, as histories derived from one
 * journal do; `changed middle` swaps a middle trial for exactly the point proposed next, so a searcher
 * that still counts the old middle trial as taken proposes a point the history already holds.
 */
function histories(base: readonly SearcherTrial[], next: Params): [string, SearcherTrial[]][] {
	const a = base.slice(0, 6);
	const at = (i: number): SearcherTrial => a[i] as SearcherTrial;
	const swap = (i: number, trial: SearcherTrial): SearcherTrial[] => a.map((tr, j) => (j === i ? trial : tr));
	const changedMiddle = swap(2, { number: 2, params: next, status: 'complete', value: toyObjective(next) });
	return [
		['prefix of 3', a.slice(0, 3)],
		['six trials', a],
		['changed middle params, same first and last objects', changedMiddle],
		['six trials again', a],
		['changed middle value', swap(3, { ...at(3), value: (at(3).value ?? 0) + 1 })],
		['middle trial failed', swap(3, { number: 3, params: at(3).params, status: 'failed' })],
		['middle trial running', swap(4, { number: 4, params: at(4).params, status: 'running' })],
		['middle trials reordered', [at(0), at(2), at(1), at(3), at(4), at(5)]],
		['extended by one', [...base]],
		['prefix of 5', a.slice(0, 5)],
		['changed middle, extended', [...changedMiddle, base[6] as SearcherTrial]],
		['empty', []],
		['six trials once more', a],
	];
}

export interface ConformanceOptions {
	/** Trials per check; keep small for slow searchers. */
	readonly budget: number;
}

/** Register the whole suite for one searcher config. */
export function conformance(title: string, config: SearcherConfig, options: ConformanceOptions): void {
	const make = (seed = 0): Searcher => createSearcher({ ...config, seed } as SearcherConfig);
	const { budget } = options;

	test(`${title}: proposals stay in bounds`, (t) => {
		const { trials } = drive(make(), mixedSpace, budget, 2);
		t.true(trials.length > 0);
		for (const trial of trials) assertInBounds(t, mixedSpace, trial.params);
	});

	test(`${title}: same seed, same proposals`, (t) => {
		const a = drive(make(7), mixedSpace, budget).trials;
		const b = drive(make(7), mixedSpace, budget).trials;
		t.deepEqual(keys(mixedSpace, a), keys(mixedSpace, b));
	});

	test(`${title}: no duplicates on a discrete space, then exhausted`, (t) => {
		const size = spaceSize(discreteSpace);
		const { trials, exhausted } = drive(make(3), discreteSpace, size + 5, 2);
		t.is(trials.length, size);
		t.true(exhausted);
		t.is(new Set(keys(discreteSpace, trials)).size, size);
		for (const trial of trials) assertInBounds(t, discreteSpace, trial.params);
	});

	test(`${title}: a batch of n > 1 is distinct and excludes running trials`, (t) => {
		const { trials } = drive(make(1), discreteSpace, 4);
		const running: SearcherTrial[] = trials.map((tr, i) => (i === trials.length - 1 ? { number: tr.number, params: tr.params, status: 'running' } : tr));
		const result = make(1).ask({ space: discreteSpace, direction: 'minimize', trials: running, n: 4 });
		if (result.kind !== 'proposals') return t.fail('unexpected exhausted');
		t.is(result.proposals.length, 4);
		const all = new Set([...keys(discreteSpace, running), ...keys(discreteSpace, result.proposals)]);
		t.is(all.size, running.length + 4);
	});

	test(`${title}: resume continues a batch (ask n=3 = three asks of 1 with the earlier ones running)`, (t) => {
		for (const space of [mixedSpace, conditionalSpace]) {
			const searcher = make(5);
			const { trials } = drive(searcher, space, Math.max(3, Math.floor(budget / 2)));
			const batch = searcher.ask({ space, direction: 'minimize', trials, n: 3 });
			if (batch.kind !== 'proposals') return t.fail('unexpected exhausted');
			const sequential: Proposal[] = [];
			const so_far = [...trials];
			for (let i = 0; i < 3; i++) {
				const fresh = make(5).ask({ space, direction: 'minimize', trials: so_far, n: 1 });
				if (fresh.kind !== 'proposals') return t.fail('unexpected exhausted');
				const p = fresh.proposals[0] as Proposal;
				sequential.push(p);
				so_far.push({ number: so_far.length, params: p.params, status: 'running' });
			}
			t.deepEqual(keys(space, batch.proposals), keys(space, sequential));
		}
	});

	test(`${title}: conditional space: only active params, in bounds, the same for a seed`, (t) => {
		const a = drive(make(4), conditionalSpace, budget, 2).trials;
		const b = drive(make(4), conditionalSpace, budget, 2).trials;
		t.is(a.length, budget);
		for (const trial of a) assertActiveInBounds(t, conditionalSpace, trial.params);
		t.deepEqual(keys(conditionalSpace, a), keys(conditionalSpace, b));
		t.true(a.some((tr) => tr.params.opt === 'none') || a.some((tr) => !('k' in tr.params)) || budget < 6, 'some proposals leave params out');
	});

	test(`${title}: conditional discrete space: each valid configuration once, then exhausted`, (t) => {
		const { trials, exhausted } = drive(make(3), conditionalDiscreteSpace, conditionalDiscreteSize + 3, 2);
		t.is(trials.length, conditionalDiscreteSize);
		t.true(exhausted);
		t.is(new Set(keys(conditionalDiscreteSpace, trials)).size, conditionalDiscreteSize);
		for (const trial of trials) assertActiveInBounds(t, conditionalDiscreteSpace, trial.params);
	});

	test(`${title}: an instance that has seen other histories proposes exactly what a fresh one does`, (t) => {
		for (const space of [discreteSpace, mixedSpace, conditionalSpace]) {
			const base = drive(make(2), space, 7).trials;
			const first = make(2).ask({ space, direction: 'minimize', trials: base.slice(0, 6), n: 1 });
			if (first.kind !== 'proposals') return t.fail('unexpected exhausted');
			const seen = make(2);
			for (const [label, trials] of histories(base, (first.proposals[0] as Proposal).params)) {
				const request = { space, direction: 'minimize' as const, trials, n: 2 };
				t.deepEqual(answer(space, seen.ask(request)), answer(space, make(2).ask(request)), `${space === discreteSpace ? 'discrete' : space === mixedSpace ? 'mixed' : 'conditional'} space, ${label}`);
			}
		}
	});
}

/** Two conflicting objectives over either space (the first minimised, the second maximised) and a constraint (x > 2, or k = 4, infeasible). */
export function toyValues(p: Params): { values: [number, number]; violation: number } {
	const x = typeof p.x === 'number' ? p.x : 0;
	const k = typeof p.k === 'number' ? p.k : 0;
	const violation = Math.max(0, x - 2) + (k === 4 ? 1 : 0);
	return { values: [toyObjective(p), -((x + 1) ** 2) - 0.1 * k], violation };
}

const twoDirections = ['minimize', 'maximize'] as const;

/** Drive a searcher on the two toy objectives, `batch` proposals per ask; `scramble` replaces every value by a seeded random one. */
function driveMulti(searcher: Searcher, space: Space, budget: number, batch = 1, scramble?: Rng): SearcherTrial[] {
	const trials: SearcherTrial[] = [];
	while (trials.length < budget) {
		const result = searcher.ask({ space, direction: 'minimize', directions: twoDirections, trials, n: Math.min(batch, budget - trials.length) });
		if (result.kind === 'exhausted') break;
		for (const { params } of result.proposals) {
			const toy = toyValues(params);
			const values = scramble === undefined ? toy.values : [scramble.next(), scramble.next()];
			trials.push({ number: trials.length, params, status: 'complete', value: values[0]!, values, ...(toy.violation > 0 ? { violation: toy.violation } : {}) });
		}
	}
	return trials;
}

export interface MultiConformanceOptions extends ConformanceOptions {
	/** grid and random: proposals do not depend on the values */
	readonly ignoresValues: boolean;
}

/** The suite for a study with two metrics and a constraint: determinism, resume, pure caches, no infeasible recommendation. */
export function multiObjectiveConformance(title: string, config: SearcherConfig, options: MultiConformanceOptions): void {
	const make = (seed = 0): Searcher => createSearcher({ ...config, seed } as SearcherConfig);
	const { budget } = options;

	test(`${title} (two metrics): same seed, same proposals, in bounds`, (t) => {
		const a = driveMulti(make(7), mixedSpace, budget, 2);
		t.is(a.length, budget);
		for (const trial of a) assertInBounds(t, mixedSpace, trial.params);
		t.deepEqual(keys(mixedSpace, a), keys(mixedSpace, driveMulti(make(7), mixedSpace, budget, 2)));
	});

	test(`${title} (two metrics): resume continues a batch, and an instance that has seen other histories answers as a fresh one`, (t) => {
		for (const space of [mixedSpace, conditionalSpace]) {
			const trials = driveMulti(make(5), space, budget);
			const request = { space, direction: 'minimize' as const, directions: twoDirections, trials };
			const batch = make(5).ask({ ...request, n: 3 });
			if (batch.kind !== 'proposals') return t.fail('unexpected exhausted');
			const soFar = [...trials];
			const seen = make(5);
			seen.ask({ ...request, trials: trials.slice(0, 4), n: 2 });
			for (let i = 0; i < 3; i++) {
				const fresh = make(5).ask({ ...request, trials: soFar, n: 1 });
				if (fresh.kind !== 'proposals') return t.fail('unexpected exhausted');
				const p = fresh.proposals[0] as Proposal;
				t.is(paramsKey(space, p.params), paramsKey(space, (batch.proposals[i] as Proposal).params), `proposal ${i}`);
				t.deepEqual(answer(space, seen.ask({ ...request, trials: soFar, n: 1 })), answer(space, fresh), `seen instance, proposal ${i}`);
				soFar.push({ number: soFar.length, params: p.params, status: 'running' });
			}
		}
	});

	test(`${title} (two metrics): no single recommendation; with one metric never an infeasible trial`, (t) => {
		const trials = driveMulti(make(3), mixedSpace, budget);
		t.true(
			trials.some((tr) => (tr.violation ?? 0) > 0),
			'the drive hit the constraint',
		);
		const searcher = make(3);
		t.is(searcher.recommend?.({ space: mixedSpace, direction: 'minimize', directions: twoDirections, trials }), undefined);
		t.is(bestObserved({ space: mixedSpace, direction: 'minimize', directions: twoDirections, trials }), undefined);
		// one metric, the infeasible trials given the best values: the recommendation stays feasible
		const single = trials.map(
			(tr): SearcherTrial =>
				(tr.violation ?? 0) > 0
					? { number: tr.number, params: tr.params, status: 'complete', value: -100, violation: tr.violation as number }
					: { number: tr.number, params: tr.params, status: 'complete', value: tr.value as number },
		);
		const chosen = searcher.recommend?.({ space: mixedSpace, direction: 'minimize', trials: single }) ?? bestObserved({ space: mixedSpace, direction: 'minimize', trials: single });
		if (chosen === undefined) return t.fail('no recommendation');
		t.is(toyValues(chosen.params).violation, 0, JSON.stringify(chosen.params));
	});

	if (options.ignoresValues)
		test(`${title} (two metrics): proposals do not depend on the values`, (t) => {
			const a = driveMulti(make(2), mixedSpace, budget);
			const b = driveMulti(make(2), mixedSpace, budget, 1, new Rng(9));
			t.deepEqual(keys(mixedSpace, a), keys(mixedSpace, b));
		});
}
