import test from 'ava';
import { activeParams, isActive } from '../../../src/core/conditions.js';
import type { Params, Space } from '../../../src/core/space.js';
import type { TpeConfig } from '../../../searchers/config.js';
import type { AskResult, SearcherTrial } from '../../../searchers/searcher.js';
import { TpeSearcher } from '../../../searchers/tpe/searcher.js';

const config = (over: Partial<TpeConfig> = {}): TpeConfig => ({ kind: 'tpe', seed: 0, n_startup: 10, multivariate: true, constant_liar: true, n_ei_candidates: 24, prior_weight: 1, ...over });
const proposals = (r: AskResult): Params[] => (r.kind === 'proposals' ? r.proposals.map((p) => p.params) : []);
const complete = (params: Params, value: number, i: number): SearcherTrial => ({ number: i, params, status: 'complete', value });

test('a categorical whose good trials all chose one value: the proposal takes that value (the known argmax of l/g)', (t) => {
	const space: Space = { c: { type: 'categorical', choices: ['a', 'b', 'c'] }, x: { type: 'float', low: 0, high: 1 } };
	const trials: SearcherTrial[] = Array.from({ length: 30 }, (_, i) => complete({ c: i < 3 ? 'b' : i % 2 === 0 ? 'a' : 'c', x: (i * 0.618) % 1 }, i < 3 ? 0 : 1, i));
	for (let seed = 0; seed < 20; seed++) {
		for (const direction of ['minimize', 'maximize'] as const) {
			const flipped = direction === 'minimize' ? trials : trials.map((tr) => ({ ...tr, value: -(tr.value as number) }));
			const [p] = proposals(new TpeSearcher(config({ seed })).ask({ space, direction, trials: flipped, n: 1 }));
			t.is(p?.c, 'b', `seed ${seed}, ${direction}`);
		}
	}
});

test('a 1-D float: good trials clustered at 0.3 among bad ones spread over [0, 1] put the proposal near 0.3', (t) => {
	const space: Space = { x: { type: 'float', low: 0, high: 1 } };
	const trials: SearcherTrial[] = [];
	for (let i = 0; i < 40; i++) {
		const good = i % 10 === 0;
		const x = good ? 0.3 + 0.01 * (i / 10 - 1.5) : (i * 0.618) % 1;
		trials.push(complete({ x }, good ? 0 : 1 + Math.abs(x - 0.3), i));
	}
	for (let seed = 0; seed < 20; seed++) {
		const [p] = proposals(new TpeSearcher(config({ seed })).ask({ space, direction: 'minimize', trials, n: 1 }));
		t.true(Math.abs((p?.x as number) - 0.3) < 0.1, `seed ${seed}: x = ${p?.x}`);
	}
});

test('start-up: random points until n_startup trials finished (running and failed ones do not count)', (t) => {
	const space: Space = { x: { type: 'float', low: 0, high: 1 }, c: { type: 'categorical', choices: ['a', 'b'] } };
	const trials = Array.from({ length: 9 }, (_, i) => complete({ x: i / 9, c: 'a' }, Math.abs(i / 9 - 0.3), i));
	const pending: SearcherTrial[] = [...trials, { number: 9, params: { x: 0.3, c: 'a' }, status: 'running' }, { number: 10, params: { x: 0.5, c: 'b' }, status: 'failed' }];
	const finished = [...trials, complete({ x: 0.31, c: 'a' }, 0.01, 9)];
	for (let seed = 0; seed < 10; seed++) {
		const ask = (history: SearcherTrial[], nStartup: number) => proposals(new TpeSearcher(config({ seed, n_startup: nStartup })).ask({ space, direction: 'minimize', trials: history, n: 1 }));
		// 9 finished: the proposal is the random draw (the same as with an endless start-up)
		t.deepEqual(ask(pending, 10), ask(pending, 1e9));
		// the tenth finished trial hands over to the model
		t.notDeepEqual(ask(finished, 10), ask(finished, 1e9));
	}
});

const mixed: Space = {
	x: { type: 'float', low: -2, high: 3 },
	lr: { type: 'float', low: 1e-4, high: 1e-1, log: true },
	k: { type: 'int', low: 2, high: 10, step: 2 },
	w: { type: 'int', low: 1, high: 64, log: true },
	opt: { type: 'categorical', choices: ['adam', 'sgd', 'rms'] },
};
const objective = (p: Params): number =>
	((p.x as number) - 0.7) ** 2 + (Math.log10(p.lr as number) + 2.5) ** 2 + 0.1 * ((p.k as number) - 4) ** 2 + (Math.log2(p.w as number) - 3) ** 2 / 10 + (p.opt === 'sgd' ? 0 : 0.5);

function run(space: Space, f: (p: Params) => number, budget: number, seed: number, over: Partial<TpeConfig> = {}): SearcherTrial[] {
	const searcher = new TpeSearcher(config({ seed, ...over }));
	const trials: SearcherTrial[] = [];
	while (trials.length < budget) {
		const [p] = proposals(searcher.ask({ space, direction: 'minimize', trials, n: 1 }));
		if (p === undefined) break;
		trials.push(complete(p, f(p), trials.length));
	}
	return trials;
}

test('same trials and seed give the same proposal from a fresh instance (resume), other seeds another one', (t) => {
	const trials = run(mixed, objective, 30, 3);
	const withRunning: SearcherTrial[] = [...trials, { number: 30, params: trials[4]!.params, status: 'running' }, { number: 31, params: trials[7]!.params, status: 'failed' }];
	for (const history of [trials, withRunning]) {
		const a = new TpeSearcher(config({ seed: 3 })).ask({ space: mixed, direction: 'minimize', trials: history, n: 2 });
		const b = new TpeSearcher(config({ seed: 3 })).ask({ space: mixed, direction: 'minimize', trials: history, n: 2 });
		t.deepEqual(proposals(a), proposals(b));
		t.notDeepEqual(proposals(new TpeSearcher(config({ seed: 4 })).ask({ space: mixed, direction: 'minimize', trials: history, n: 2 })), proposals(a));
	}
	// the run is a function of its seed: replaying it gives the same history
	t.deepEqual(
		run(mixed, objective, 30, 3).map((tr) => tr.params),
		trials.map((tr) => tr.params),
	);
});

test('ints (with a step, and log) stay on their grid and it beats random search on the mixed space', (t) => {
	let tpeBetter = 0;
	for (let seed = 0; seed < 8; seed++) {
		const trials = run(mixed, objective, 60, seed);
		for (const tr of trials) {
			t.true(Number.isInteger(((tr.params.k as number) - 2) / 2) && (tr.params.k as number) >= 2 && (tr.params.k as number) <= 10);
			t.true(Number.isInteger(tr.params.w) && (tr.params.w as number) >= 1 && (tr.params.w as number) <= 64);
		}
		const randomBest = Math.min(...run(mixed, objective, 60, seed, { n_startup: 1000 }).map((tr) => tr.value as number));
		if (Math.min(...trials.map((tr) => tr.value as number)) < randomBest) tpeBetter++;
	}
	t.true(tpeBetter >= 6, `tpe beat random in ${tpeBetter} of 8 seeds`);
});

const conditionalSpace: Space = {
	model: { type: 'categorical', choices: ['bowl', 'wave', 'flat'] },
	n: { type: 'int', low: 1, high: 8 },
	a: { type: 'float', low: -5, high: 5, when: { model: ['bowl'] } },
	b: { type: 'float', low: 1e-4, high: 1, log: true, when: { model: ['bowl'] } },
	u: { type: 'float', low: 0, high: 1, when: { model: ['wave', 'flat'] } },
	v: { type: 'categorical', choices: ['p', 'q'], when: { model: ['wave'] } },
	depth: { type: 'int', low: 1, high: 4, when: { v: ['q'] } },
	task: { type: 'fixed', value: 'eleven' },
};
const conditionalObjective = (p: Params): number => {
	const n = ((p.n as number) - 3) ** 2 / 20;
	if (p.model === 'bowl') return 0.5 + ((p.a as number) - 1.5) ** 2 / 10 + (Math.log10(p.b as number) + 2) ** 2 / 4 + n;
	if (p.model === 'flat') return 1 + n;
	return ((p.u as number) - 0.3) ** 2 + (p.v === 'q' ? 0.1 * ((p.depth as number) - 2) ** 2 : 0.2) + n;
};

test('conditional space: every proposal is exactly its active params, and the best branch wins', (t) => {
	for (let seed = 0; seed < 4; seed++) {
		const trials = run(conditionalSpace, conditionalObjective, 60, seed);
		const seen = new Set<string>();
		for (const tr of trials) {
			t.deepEqual(tr.params, activeParams(conditionalSpace, tr.params));
			for (const name of Object.keys(conditionalSpace)) t.is(name in tr.params, isActive(conditionalSpace, name, tr.params), `${name} in ${JSON.stringify(tr.params)}`);
			t.is(tr.params.task, 'eleven');
			seen.add(String(tr.params.model));
		}
		t.is(seen.size, 3, 'every branch is explored');
		const last20 = trials.slice(-20).filter((tr) => tr.params.model === 'wave').length;
		t.true(last20 >= 10, `seed ${seed}: ${last20} of the last 20 trials in the best branch`);
	}
});

test('constant liar: concurrent asks differ, and running trials push the proposal away from themselves', (t) => {
	const space: Space = { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } };
	const f = (p: Params) => ((p.x as number) - 0.3) ** 2 + ((p.y as number) - 0.6) ** 2;
	const trials = run(space, f, 25, 1);
	const searcher = new TpeSearcher(config({ seed: 1 }));
	const [first] = proposals(searcher.ask({ space, direction: 'minimize', trials, n: 1 }));
	const pending: SearcherTrial[] = [...trials, { number: 25, params: first!, status: 'running' }];
	const [second] = proposals(searcher.ask({ space, direction: 'minimize', trials: pending, n: 1 }));
	t.notDeepEqual(second, first);
	// a batch of two is the same as the two asks above
	t.deepEqual(proposals(searcher.ask({ space, direction: 'minimize', trials, n: 2 })), [first, second]);
	// six running trials at the point the searcher would propose without the liar: with it, it goes elsewhere
	let moved = 0;
	for (let seed = 0; seed < 10; seed++) {
		const at = (liar: boolean, history: SearcherTrial[]) => proposals(new TpeSearcher(config({ seed, constant_liar: liar })).ask({ space, direction: 'minimize', trials: history, n: 1 }))[0]!;
		const crowded = [...trials, ...Array.from({ length: 6 }, (_, i): SearcherTrial => ({ number: 25 + i, params: { x: 0, y: 0 }, status: 'running' }))];
		const target = at(false, crowded);
		crowded.forEach((tr, i) => {
			if (tr.status === 'running') crowded[i] = { ...tr, params: target };
		});
		t.deepEqual(at(false, crowded), target, 'without the liar running trials are ignored');
		if (JSON.stringify(at(true, crowded)) !== JSON.stringify(target)) moved++;
	}
	t.true(moved >= 8, `the liar moved ${moved} of 10 proposals`);
});

test('a finite conditional space is exhausted after its valid configurations, each proposed once', (t) => {
	const space: Space = {
		opt: { type: 'categorical', choices: ['adam', 'sgd'] },
		beta: { type: 'categorical', choices: [0.9, 0.99], when: { opt: ['adam'] } },
		k: { type: 'int', low: 1, high: 2 },
	};
	// adam: 2 x 2, sgd: 2 -> 6 configurations (the product of the cardinalities would say 8)
	const trials = run(space, (p) => (p.opt === 'sgd' ? 1 : 0) + (p.k as number), 20, 2, { n_startup: 2 });
	t.is(trials.length, 6);
	t.is(new Set(trials.map((tr) => JSON.stringify(tr.params))).size, 6);
	t.deepEqual(new TpeSearcher(config()).ask({ space, direction: 'minimize', trials, n: 1 }), { kind: 'exhausted' });
});

test('two metrics: the good set is the front, not the best of the first metric, and infeasible trials stay bad', (t) => {
	const space: Space = { x: { type: 'float', low: 0, high: 1 } };
	const trials: SearcherTrial[] = [];
	const add = (x: number, values: number[], violation?: number) =>
		trials.push({ number: trials.length, params: { x }, status: 'complete', value: values[0]!, values, ...(violation === undefined ? {} : { violation }) });
	// ties with the front on the first metric, but dominated: a split on the first metric alone takes two of them
	for (let i = 0; i < 4; i++) add(0.05 + 0.05 * i, [0.1, 10]);
	// the front, around x = 0.8
	add(0.78, [0.05, 0.6]);
	add(0.8, [0.1, 0.5]);
	add(0.82, [0.2, 0.4]);
	// the best of both metrics, but infeasible, near x = 0.45
	add(0.45, [0, 0], 1);
	add(0.46, [0, 0], 2);
	for (let i = 0; i < 16; i++) add(0.25 + 0.35 * ((i * 0.618) % 1), [5, 20]);
	for (let seed = 0; seed < 10; seed++) {
		const [p] = proposals(new TpeSearcher(config({ seed })).ask({ space, direction: 'minimize', directions: ['minimize', 'minimize'], trials, n: 1 }));
		t.true(Math.abs((p?.x as number) - 0.8) < 0.15, `seed ${seed}: x = ${p?.x}`);
	}
});
