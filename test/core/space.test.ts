import test from 'ava';
import { decode, encode, fromUnit, gridValues, toUnit, type Space } from '../../src/core/space.js';

const space: Space = {
	gamma: { type: 'float', low: 0.5, high: 0.99 },
	lr: { type: 'float', low: 1e-4, high: 1e-2, log: true },
	hidden: { type: 'int', low: 16, high: 64, step: 16 },
	opt: { type: 'categorical', choices: ['adam', 'rmsprop'] },
	task: { type: 'fixed', value: 'eleven-armed' },
};

test('encode then decode returns the same params', (t) => {
	const params = { gamma: 0.8, lr: 1e-3, hidden: 32, opt: 'rmsprop', task: 'eleven-armed' };
	const back = decode(space, encode(space, params));
	t.is(back.hidden, 32);
	t.is(back.opt, 'rmsprop');
	t.is(back.task, 'eleven-armed');
	t.true(Math.abs((back.gamma as number) - 0.8) < 1e-12);
	t.true(Math.abs((back.lr as number) - 1e-3) < 1e-15);
});

test('log floats are uniform in log space', (t) => {
	t.true(Math.abs(toUnit({ type: 'float', low: 1e-4, high: 1e-2, log: true }, 1e-3) - 0.5) < 1e-12);
});

test('ints: every value owns an equal share of the unit interval', (t) => {
	const p = { type: 'int', low: 0, high: 3 } as const;
	const counts = [0, 0, 0, 0];
	for (let i = 0; i < 4000; i++) counts[fromUnit(p, (i + 0.5) / 4000) as number]!++;
	t.deepEqual(counts, [1000, 1000, 1000, 1000]);
});

test('grid values: ends included, log spacing, int dedup, all choices', (t) => {
	t.deepEqual(gridValues({ type: 'float', low: 0, high: 1 }, 3), [0, 0.5, 1]);
	const lg = gridValues({ type: 'float', low: 1, high: 100, log: true }, 3) as number[];
	t.true(Math.abs(lg[1]! - 10) < 1e-9);
	t.deepEqual(gridValues({ type: 'int', low: 1, high: 3 }, 10), [1, 2, 3]);
	t.deepEqual(gridValues({ type: 'categorical', choices: ['a', 'b'] }, 5), ['a', 'b']);
});
