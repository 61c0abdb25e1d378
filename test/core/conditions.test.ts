import test from 'ava';
import { activationOrder, activeParams, isActive, isConditional } from '../../src/core/conditions.js';
import type { Space } from '../../src/core/space.js';

const space: Space = {
	lr: { type: 'float', low: 1e-4, high: 1e-2, log: true, when: { optimizer: ['adam', 'rmsprop'] } },
	beta1: { type: 'float', low: 0.8, high: 0.99, when: { optimizer: ['adam'] } },
	optimizer: { type: 'categorical', choices: ['adam', 'rmsprop', 'sgd'] },
	layers: { type: 'int', low: 1, high: 3 },
	width2: { type: 'int', low: 8, high: 64, when: { layers: [2, 3] } },
	momentum2: { type: 'float', low: 0, high: 1, when: { width2: [8] } },
};

test('parents come before their children', (t) => {
	const order = activationOrder(space);
	t.true(order.indexOf('optimizer') < order.indexOf('lr'));
	t.true(order.indexOf('optimizer') < order.indexOf('beta1'));
	t.true(order.indexOf('layers') < order.indexOf('width2'));
	t.true(order.indexOf('width2') < order.indexOf('momentum2'));
	t.is(order.length, Object.keys(space).length);
});

test('a cycle is refused with its path', (t) => {
	const cyclic: Space = {
		a: { type: 'categorical', choices: [1, 2], when: { b: [1] } },
		b: { type: 'categorical', choices: [1, 2], when: { a: [1] } },
	};
	t.throws(() => activationOrder(cyclic), { message: /cycle: a -> b -> a/ });
});

test('inactive params are dropped, transitively', (t) => {
	t.deepEqual(activeParams(space, { lr: 0.001, beta1: 0.9, optimizer: 'sgd', layers: 1, width2: 8, momentum2: 0.5 }), {
		optimizer: 'sgd',
		layers: 1,
	});
	t.deepEqual(activeParams(space, { lr: 0.001, beta1: 0.9, optimizer: 'rmsprop', layers: 2, width2: 16, momentum2: 0.5 }), {
		lr: 0.001,
		optimizer: 'rmsprop',
		layers: 2,
		width2: 16,
	});
	t.deepEqual(Object.keys(activeParams(space, { lr: 0.001, beta1: 0.9, optimizer: 'adam', layers: 3, width2: 8, momentum2: 0.5 })), ['lr', 'beta1', 'optimizer', 'layers', 'width2', 'momentum2']);
});

test('isActive needs the parent chosen', (t) => {
	t.false(isActive(space, 'beta1', {}));
	t.true(isActive(space, 'beta1', { optimizer: 'adam' }));
	t.true(isActive(space, 'optimizer', {}));
	t.true(isConditional(space));
	t.false(isConditional({ x: { type: 'float', low: 0, high: 1 } }));
});
