import test from 'ava';
import type { Space } from '../../../src/core/space.js';
import { toExternal, toInternal, tpeSpace } from '../../../searchers/tpe/groups.js';

const space: Space = {
	u: { type: 'float', low: 0, high: 1, when: { model: ['wave', 'flat'] } },
	model: { type: 'categorical', choices: ['bowl', 'wave', 'flat'] },
	n: { type: 'int', low: 1, high: 8 },
	a: { type: 'float', low: -5, high: 5, when: { model: ['bowl'] } },
	b: { type: 'float', low: 1e-4, high: 1, log: true, when: { model: ['bowl'] } },
	v: { type: 'categorical', choices: ['p', 'q'], when: { model: ['wave'] } },
	depth: { type: 'int', low: 1, high: 4, when: { v: ['q'] } },
	width: { type: 'int', low: 1, high: 4, when: { v: ['q'], model: ['wave'] } },
	one: { type: 'int', low: 3, high: 3, when: { model: ['bowl'] } },
	task: { type: 'fixed', value: 'eleven' },
};

test('group decomposition: one group per context (own condition and its ancestors), parents first', (t) => {
	const { groups, singles } = tpeSpace(space, true);
	t.deepEqual(
		groups.map((g) => g.map((d) => d.name)),
		[['model', 'n'], ['u'], ['a', 'b'], ['v'], ['depth', 'width']],
	);
	t.deepEqual(singles, { one: 3, task: 'eleven' });
	// independent TPE: every param alone
	t.deepEqual(
		tpeSpace(space, false).groups.map((g) => g.map((d) => d.name)),
		[['model'], ['u'], ['n'], ['a'], ['b'], ['v'], ['depth'], ['width']],
	);
});

test('internal coordinates: log in log value, ints on their grid, log ints rounded back, values outside the space refused', (t) => {
	const dims = Object.fromEntries(
		tpeSpace(
			{
				lr: { type: 'float', low: 1e-4, high: 1, log: true },
				k: { type: 'int', low: 2, high: 11, step: 3 },
				w: { type: 'int', low: 1, high: 64, log: true },
				c: { type: 'categorical', choices: ['x', 'y'] },
			},
			false,
		)
			.groups.flat()
			.map((d) => [d.name, d]),
	);
	const lr = dims.lr!;
	const k = dims.k!;
	const w = dims.w!;
	const c = dims.c!;
	t.is(toInternal(lr, 0.01), Math.log(0.01));
	t.true(Math.abs((toExternal(lr, Math.log(0.01)) as number) - 0.01) < 1e-17);
	t.is(toExternal(lr, 5), 1, 'clipped to high');
	t.is(toInternal(lr, 2), undefined);
	t.true(k.kind === 'numeric' && k.low === 2 && k.high === 11 && k.step === 3);
	t.is(toExternal(k, 6.4), 5);
	t.is(toExternal(k, 100), 11);
	t.true(w.kind === 'numeric' && w.step === 0 && Math.abs(w.low - Math.log(0.5)) < 1e-15 && Math.abs(w.high - Math.log(64.5)) < 1e-15);
	t.is(toExternal(w, Math.log(10.4)), 10);
	t.is(toExternal(w, Math.log(0.6)), 1);
	t.is(toInternal(c, 'y'), 1);
	t.is(toInternal(c, 'z'), undefined);
	t.is(toExternal(c, 1), 'y');
});
