import test from 'ava';
import { InputError } from '../../src/core/errors.js';
import { metagradientConfigSchema } from '../../src/tuners/config.js';
import { createTuner } from '../../src/tuners/index.js';

const tuner = createTuner(metagradientConfigSchema.parse({ kind: 'metagradient', gamma0: 0.8 }));

test('metagradient: every lifetime starts from the fixed values plus gamma0, clamped into the bounds', (t) => {
	const space = { gamma: { type: 'float', low: 0.5, high: 0.99 }, task: { type: 'fixed', value: 'two' } } as const;
	t.deepEqual(tuner.start(space), { gamma: 0.8, task: 'two' });
	t.deepEqual(
		tuner.tuned(space).map((p) => p.name),
		['gamma'],
	);
	t.deepEqual(tuner.start({ gamma: { type: 'float', low: 0.85, high: 0.99 } }), { gamma: 0.85 });
	t.is(tuner.objective, 'bandit');
	t.regex(tuner.note, /gamma0=0\.8/);
});

test('metagradient: a space it cannot tune is one InputError naming the param', (t) => {
	const gamma = { type: 'float', low: 0.5, high: 0.99 } as const;
	const searched = t.throws(() => tuner.start({ gamma, lr: { type: 'float', low: 0.1, high: 1 } }), { instanceOf: InputError });
	t.regex(searched?.message ?? '', /^space\.lr: .*make "lr" fixed/);
	const missing = t.throws(() => tuner.start({ x: { type: 'fixed', value: 1 } }), { instanceOf: InputError });
	t.regex(missing?.message ?? '', /^space\.gamma: /);
});

test('metagradient: outcome reads the final discount and the trajectory a lifetime logged', (t) => {
	t.deepEqual(
		tuner.outcome({
			final_gamma: 0.93,
			gamma_trajectory: [
				[0, 0.8],
				[10, 0.9],
				[20, 0.93],
			],
		}),
		{
			final: { gamma: 0.93 },
			trajectory: {
				gamma: [
					[0, 0.8],
					[10, 0.9],
					[20, 0.93],
				],
			},
		},
	);
	t.deepEqual(tuner.outcome({ final_gamma: 0.9, gamma_trajectory: 'garbled' }), { final: { gamma: 0.9 }, trajectory: { gamma: [] } });
	t.is(tuner.outcome({ value: 3 }), undefined);
});
