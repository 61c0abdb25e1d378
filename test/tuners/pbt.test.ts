import test from 'ava';
import { InputError } from '../../src/core/errors.js';
import { parseStudyDocument } from '../../src/study/spec/spec.js';
import { pbtConfigSchema } from '../../src/tuners/config.js';
import { createTuner } from '../../src/tuners/index.js';

const space = { gamma: { type: 'float', low: 0.05, high: 0.995 }, lr: { type: 'float', low: 1e-4, high: 1e-2, log: true }, task: { type: 'fixed', value: 'independent' } } as const;

test('pbt: member 0 starts at start values, else the range midpoint (geometric for log ranges), clamped', (t) => {
	const tuner = createTuner(pbtConfigSchema.parse({ kind: 'pbt', start: { gamma: 0.99 } }));
	const start = tuner.start(space);
	t.is(start.gamma, 0.99);
	t.true(Math.abs((start.lr as number) - 1e-3) < 1e-12);
	t.is(start.task, 'independent');
	t.deepEqual(
		tuner.tuned(space).map((p) => p.name),
		['gamma', 'lr'],
	);
	t.is(createTuner(pbtConfigSchema.parse({ kind: 'pbt', start: { gamma: 2 } })).start(space).gamma, 0.995);
	t.regex(tuner.note, /population of 3 members from gamma=0\.99/);
});

test('pbt: a space it cannot tune is named with the field and the fix', (t) => {
	const tuner = createTuner(pbtConfigSchema.parse({ kind: 'pbt' }));
	t.is(tuner.check(space), undefined);
	t.is(tuner.check({ hidden: { type: 'float', low: 8, high: 64 } })?.field, 'space.hidden');
	const meta = createTuner(pbtConfigSchema.parse({ kind: 'pbt', meta_gradient: true }));
	t.is(meta.check({ lr: { type: 'float', low: 1e-4, high: 1e-2 } })?.field, 'space.gamma');
	t.is(createTuner(pbtConfigSchema.parse({ kind: 'pbt', start: { task: 1 } })).check(space)?.field, 'start.task');
});

test('pbt: outcome reads the deployed final settings and their trajectory', (t) => {
	const tuner = createTuner(pbtConfigSchema.parse({ kind: 'pbt' }));
	t.deepEqual(
		tuner.outcome({
			final_params: { gamma: 0.4, lr: 0.003 },
			param_trajectory: {
				gamma: [
					[0, 0.99],
					[20, 0.4],
				],
				lr: 'garbled',
			},
		}),
		{
			final: { gamma: 0.4, lr: 0.003 },
			trajectory: {
				gamma: [
					[0, 0.99],
					[20, 0.4],
				],
			},
			stepwise: true,
		},
	);
	t.is(
		createTuner(pbtConfigSchema.parse({ kind: 'pbt', meta_gradient: true })).outcome({ final_params: { gamma: 0.4 } })?.stepwise,
		false,
		'meta-gradient members move the discount between selections',
	);
	t.is(tuner.outcome({ value: 1 }), undefined);
});

test('study files: a pbt arm is validated like the rest', (t) => {
	const doc = (armSpace: object, arm: object = {}) => ({ name: 'p', objective: { bandit: { task: 'independent' } }, space: armSpace, searchers: [{ kind: 'pbt', budget: 2, ...arm }], budget: 4 });
	const spec = parseStudyDocument(doc(space, { population: 3, interval: 25, start: { gamma: 0.99 } }));
	t.is(spec.arms[0]?.config.kind, 'pbt');
	const hidden = t.throws(() => parseStudyDocument(doc({ ...space, hidden: { type: 'float', low: 8, high: 64 } }), 's.yaml'), { instanceOf: InputError });
	t.regex(hidden?.message ?? '', /^s\.yaml: space\.hidden: the pbt tuner changes only gamma, lr/);
	const small = t.throws(() => parseStudyDocument(doc(space, { population: 1 }), 's.yaml'), { instanceOf: InputError });
	t.regex(small?.message ?? '', /^s\.yaml: searchers\.0\.population: /);
	const module = t.throws(() => parseStudyDocument({ ...doc(space), objective: { module: './m.js' } }, 's.yaml'), { instanceOf: InputError });
	t.regex(module?.message ?? '', /searchers\.0\.kind: pbt tunes the bandit objective/);
});
