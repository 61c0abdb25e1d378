import test from 'ava';
import { paramsKey, type Space } from '../../src/core/space.js';
import { RandomSearcher } from '../../searchers/random.js';
import type { SearcherTrial } from '../../searchers/searcher.js';

const space: Space = { x: { type: 'float', low: 0, high: 1 }, lr: { type: 'float', low: 1e-5, high: 1, log: true } };

test('random: a resumed study continues the sequence instead of replaying it', (t) => {
	const s = new RandomSearcher({ kind: 'random', seed: 11 });
	const trials: SearcherTrial[] = [];
	const first = s.ask({ space, direction: 'minimize', trials, n: 5 });
	if (first.kind !== 'proposals') return t.fail();
	for (const p of first.proposals) trials.push({ number: trials.length, params: p.params, status: 'complete', value: 0 });
	const resumed = new RandomSearcher({ kind: 'random', seed: 11 }).ask({ space, direction: 'minimize', trials, n: 5 });
	if (resumed.kind !== 'proposals') return t.fail();
	const before = new Set(first.proposals.map((p) => paramsKey(space, p.params)));
	for (const p of resumed.proposals) t.false(before.has(paramsKey(space, p.params)));
	const all = new RandomSearcher({ kind: 'random', seed: 11 }).ask({ space, direction: 'minimize', trials: [], n: 10 });
	if (all.kind !== 'proposals') return t.fail();
	t.deepEqual(
		all.proposals.map((p) => paramsKey(space, p.params)),
		[...first.proposals, ...resumed.proposals].map((p) => paramsKey(space, p.params)),
	);
});

test('random: log params are uniform in log value', (t) => {
	const r = new RandomSearcher({ kind: 'random', seed: 2 }).ask({ space, direction: 'minimize', trials: [], n: 4000 });
	if (r.kind !== 'proposals') return t.fail();
	const below = r.proposals.filter((p) => (p.params.lr as number) < 1e-3).length / 4000;
	t.true(Math.abs(below - 0.4) < 0.03, `fraction below 1e-3 = ${below}`);
});

test('random: recommend gives the best observed for either direction', (t) => {
	const s = new RandomSearcher({ kind: 'random', seed: 0 });
	const trials: SearcherTrial[] = [
		{ number: 0, params: { x: 0.1, lr: 0.1 }, status: 'complete', value: 3 },
		{ number: 1, params: { x: 0.2, lr: 0.1 }, status: 'complete', value: 1 },
		{ number: 2, params: { x: 0.3, lr: 0.1 }, status: 'failed' },
	];
	t.is(s.recommend({ space, direction: 'minimize', trials })?.params.x, 0.2);
	t.is(s.recommend({ space, direction: 'maximize', trials })?.params.x, 0.1);
});

const finite: Space = { k: { type: 'int', low: 1, high: 6 }, c: { type: 'categorical', choices: ['a', 'b', 'c'] } };

test('random: one searcher asked step by step (memoised keys) proposes exactly what a fresh one does, until exhausted', (t) => {
	for (const sp of [finite, space]) {
		const kept = new RandomSearcher({ kind: 'random', seed: 9 });
		const trials: SearcherTrial[] = [];
		for (let step = 0; step < 25; step++) {
			const n = 1 + (step % 3);
			const request = { space: sp, direction: 'minimize' as const, trials: [...trials], n };
			const got = kept.ask(request);
			const fresh = new RandomSearcher({ kind: 'random', seed: 9 }).ask(request);
			t.deepEqual(got, fresh);
			if (got.kind === 'exhausted') break;
			// running first, complete later: the same params objects, new trial objects (as the study's view gives them)
			for (const p of got.proposals) trials.push({ number: trials.length, params: p.params, status: 'running' });
			if (trials.length > 2) trials[trials.length - 3] = { ...(trials[trials.length - 3] as SearcherTrial), status: 'complete', value: step };
		}
		if (sp === finite) t.is(new Set(trials.map((tr) => paramsKey(sp, tr.params))).size, 18, 'every point of the finite space once');
	}
});

test('random: a history that does not extend the memoised one is keyed afresh', (t) => {
	const s = new RandomSearcher({ kind: 'random', seed: 4 });
	const point = (k: number, c: string): SearcherTrial => ({ number: 0, params: { k, c }, status: 'complete', value: 0 });
	const long = [point(1, 'a'), point(2, 'a'), point(3, 'a'), point(4, 'a')];
	s.ask({ space: finite, direction: 'minimize', trials: long, n: 1 });
	// same length and same first object, different rest: must not reuse the memo
	const other = [long[0] as SearcherTrial, point(5, 'b'), point(6, 'c'), point(1, 'b'), point(2, 'b')];
	const request = { space: finite, direction: 'minimize' as const, trials: other, n: 13 };
	const got = s.ask(request);
	t.deepEqual(got, new RandomSearcher({ kind: 'random', seed: 4 }).ask(request));
	if (got.kind !== 'proposals') return t.fail();
	const taken = new Set(other.map((tr) => paramsKey(finite, tr.params)));
	for (const p of got.proposals) t.false(taken.has(paramsKey(finite, p.params)));
	t.is(got.proposals.length, 13, 'the 13 points not taken');
	t.deepEqual(s.ask({ ...request, trials: [...other, ...got.proposals.map((p, i) => ({ number: 5 + i, params: p.params, status: 'running' as const }))], n: 1 }), { kind: 'exhausted' });
});

test('random: the memo follows trial content, not objects: a params object changed in place is keyed anew', (t) => {
	const s = new RandomSearcher({ kind: 'random', seed: 4 });
	const point = (k: number, c: string): SearcherTrial => ({ number: 0, params: { k, c }, status: 'complete', value: 0 });
	const trials = [point(1, 'a'), point(2, 'a'), point(3, 'a')];
	s.ask({ space: finite, direction: 'minimize', trials, n: 1 });
	const middle = (trials[1] as SearcherTrial).params;
	middle.k = 4;
	middle.c = 'b';
	const request = { space: finite, direction: 'minimize' as const, trials, n: 15 };
	const got = s.ask(request);
	t.deepEqual(got, new RandomSearcher({ kind: 'random', seed: 4 }).ask(request));
	if (got.kind !== 'proposals') return t.fail();
	const proposed = got.proposals.map((p) => paramsKey(finite, p.params));
	t.true(proposed.includes(paramsKey(finite, { k: 2, c: 'a' })), 'the old middle point is free again');
	t.false(proposed.includes(paramsKey(finite, { k: 4, c: 'b' })), 'the new middle point is taken');
});
