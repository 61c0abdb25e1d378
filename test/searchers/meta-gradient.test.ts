import test from 'ava';
import { InputError } from '../../src/core/errors.js';
import { createSearcher } from '../../searchers/index.js';

test('metagradient: proposes fixed values plus gamma0, never exhausted, no recommendation', (t) => {
	const s = createSearcher({ kind: 'metagradient', seed: 0, gamma0: 0.8, beta: 1e-3, mu: 0, gamma_bar: 1, gamma_min: 0.01, gamma_max: 0.995, update_every: 1, feed_gamma: true });
	const space = { gamma: { type: 'float', low: 0.5, high: 0.99 }, task: { type: 'fixed', value: 'two' } } as const;
	const trials = Array.from({ length: 50 }, (_, i) => ({ number: i, params: { gamma: 0.8, task: 'two' }, status: 'complete' as const, value: i }));
	const r = s.ask({ space, direction: 'maximize', trials, n: 3 });
	if (r.kind !== 'proposals') return t.fail();
	t.is(r.proposals.length, 3);
	for (const p of r.proposals) t.deepEqual(p.params, { gamma: 0.8, task: 'two' });
	t.is(s.recommend?.({ space, direction: 'maximize', trials }), undefined);
	t.throws(() => s.ask({ space: { ...space, lr: { type: 'float', low: 0.1, high: 1 } }, direction: 'maximize', trials: [], n: 1 }), { instanceOf: InputError });
});
