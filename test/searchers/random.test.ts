import test from 'ava';
import { paramsKey, type Space } from '../../src/space.js';
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
	const below = r.proposals.filter((p) => (p.params['lr'] as number) < 1e-3).length / 4000;
	t.true(Math.abs(below - 0.4) < 0.03, `fraction below 1e-3 = ${below}`);
});

test('random: recommend gives the best observed for either direction', (t) => {
	const s = new RandomSearcher({ kind: 'random', seed: 0 });
	const trials: SearcherTrial[] = [
		{ number: 0, params: { x: 0.1, lr: 0.1 }, status: 'complete', value: 3 },
		{ number: 1, params: { x: 0.2, lr: 0.1 }, status: 'complete', value: 1 },
		{ number: 2, params: { x: 0.3, lr: 0.1 }, status: 'failed' },
	];
	t.is(s.recommend({ space, direction: 'minimize', trials })?.params['x'], 0.2);
	t.is(s.recommend({ space, direction: 'maximize', trials })?.params['x'], 0.1);
});
