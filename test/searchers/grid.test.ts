import test from 'ava';
import { paramsKey, type Space } from '../../src/core/space.js';
import { GridSearcher, buildGrid } from '../../searchers/grid.js';
import { InputError } from '../../src/core/errors.js';
import type { SearcherTrial } from '../../searchers/searcher.js';

const space: Space = {
	gamma: { type: 'float', low: 0.5, high: 0.9 },
	lr: { type: 'float', low: 1e-4, high: 1e-2, log: true },
	opt: { type: 'categorical', choices: ['adam', 'sgd'] },
	task: { type: 'fixed', value: 't' },
};

test('grid: every point exactly once, then exhausted, across batches of mixed sizes', (t) => {
	const searcher = new GridSearcher({ kind: 'grid', points: 3, seed: 0, shuffle: false });
	const trials: SearcherTrial[] = [];
	const sizes = [1, 4, 2, 7, 3, 100];
	for (const n of sizes) {
		const r = searcher.ask({ space, direction: 'minimize', trials, n });
		if (r.kind === 'exhausted') break;
		for (const p of r.proposals) trials.push({ number: trials.length, params: p.params, status: 'running' });
	}
	t.is(trials.length, 3 * 3 * 2);
	t.is(new Set(trials.map((tr) => paramsKey(space, tr.params))).size, 18);
	t.is(searcher.ask({ space, direction: 'minimize', trials, n: 1 }).kind, 'exhausted');
	const lrs = new Set(trials.map((tr) => (tr.params.lr as number).toPrecision(6)));
	t.deepEqual([...lrs].sort(), ['0.00100000', '0.000100000', '0.0100000'].sort());
});

test('grid: two processes sharing one journal split the grid without overlap', (t) => {
	const a = new GridSearcher({ kind: 'grid', points: 2, seed: 4, shuffle: true });
	const b = new GridSearcher({ kind: 'grid', points: 2, seed: 4, shuffle: true });
	const trials: SearcherTrial[] = [];
	for (let turn = 0; ; turn++) {
		const r = (turn % 2 === 0 ? a : b).ask({ space, direction: 'minimize', trials, n: 1 + (turn % 3) });
		if (r.kind === 'exhausted') break;
		for (const p of r.proposals) trials.push({ number: trials.length, params: p.params, status: turn % 2 === 0 ? 'complete' : 'running', value: 1 });
	}
	t.is(trials.length, 8);
	t.is(new Set(trials.map((tr) => paramsKey(space, tr.params))).size, 8);
});

test('grid: explicit values override points; unknown names are an InputError', (t) => {
	const grid = buildGrid(space, { points: 2, values: { gamma: [0.6, 0.7, 0.8] } });
	t.is(grid.size, 3 * 2 * 2);
	t.is(grid.point(0).gamma, 0.6);
	t.is(grid.point(0).task, 't');
	t.throws(() => buildGrid(space, { points: 2, values: { nope: [1] } }), { instanceOf: InputError });
});

test('grid: shuffled order depends on the seed and is a permutation', (t) => {
	const first = (seed: number) => {
		const r = new GridSearcher({ kind: 'grid', points: 3, seed, shuffle: true }).ask({ space, direction: 'minimize', trials: [], n: 18 });
		return r.kind === 'proposals' ? r.proposals.map((p) => paramsKey(space, p.params)) : [];
	};
	t.is(new Set(first(1)).size, 18);
	t.notDeepEqual(first(1), first(2));
	t.deepEqual(first(1), first(1));
});

test('a conditional space: the valid combinations only, parents slowest, inactive params absent', (t) => {
	const space: Space = {
		opt: { type: 'categorical', choices: ['adam', 'sgd'] },
		beta: { type: 'float', low: 0.8, high: 1, when: { opt: ['adam'] } },
		lr: { type: 'float', low: 0, high: 1 },
	};
	const grid = buildGrid(space, { points: 2 });
	t.is(grid.size, 6, 'adam: 2 betas x 2 lrs; sgd: 2 lrs (not 2 x 2 x 2)');
	t.deepEqual(
		Array.from({ length: grid.size }, (_, k) => grid.point(k)),
		[
			{ opt: 'adam', beta: 0.8, lr: 0 },
			{ opt: 'adam', beta: 0.8, lr: 1 },
			{ opt: 'adam', beta: 1, lr: 0 },
			{ opt: 'adam', beta: 1, lr: 1 },
			{ opt: 'sgd', lr: 0 },
			{ opt: 'sgd', lr: 1 },
		],
	);
});
