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
	const wide = t.throws(() => parseStudyDocument(doc(space, { population: 9 }), 's.yaml'), { instanceOf: InputError });
	t.regex(wide?.message ?? '', /^s\.yaml: population: the bandit's pbt trains its members side by side in one lifetime: at most 8/);
});

test('study files: a pbt arm on a module or command objective tunes every searched param; searcher options and bad settings are one line naming the field', (t) => {
	const mixed = { lr: { type: 'float', low: 0.01, high: 1 }, width: { type: 'int', low: 1, high: 4 }, opt: { type: 'categorical', choices: ['adam', 'sgd'] } };
	const doc = (arm: object = {}) => ({ name: 'p', objective: { module: './m.js' }, space: mixed, searchers: [{ kind: 'pbt', ...arm }], budget: 4 });
	const spec = parseStudyDocument(doc({ population: 12, interval: 1000, init: 'start', start: { lr: 0.1, opt: 'sgd' }, explore: 'pb2', quantile: 0.5 }));
	t.is(spec.arms[0]?.config.kind, 'pbt');
	const refused = (arm: object) => t.throws(() => parseStudyDocument(doc(arm), 's.yaml'), { instanceOf: InputError })?.message ?? '';
	t.regex(refused({ budget: 8 }), /^s\.yaml: searchers\.0\.budget: a pbt arm runs `population` members/);
	t.regex(refused({ pruner: { kind: 'median' } }), /^s\.yaml: searchers\.0\.pruner: a pbt arm is not pruned/);
	t.regex(refused({ init: 'random' }), /^s\.yaml: searchers\.0\.init: /);
	t.regex(refused({ explore: 'bayes' }), /^s\.yaml: searchers\.0\.explore: /);
	t.regex(refused({ quantile: 0.7 }), /^s\.yaml: searchers\.0\.quantile: /);
	t.regex(refused({ quantile: 0 }), /^s\.yaml: searchers\.0\.quantile: /);
	t.regex(refused({ interval: 0 }), /^s\.yaml: searchers\.0\.interval: /);
	t.regex(refused({ resample: 1.5 }), /^s\.yaml: searchers\.0\.resample: /);
	t.regex(refused({ start: { opt: 'rmsprop' } }), /^s\.yaml: searchers\.0\.start\.opt: must be one of \["adam","sgd"\]/);
	t.regex(refused({ start: { width: 2.5 } }), /^s\.yaml: searchers\.0\.start\.width: must be an integer from 1 to 4/);
	t.regex(refused({ start: { depth: 2 } }), /^s\.yaml: searchers\.0\.start\.depth: depth is not a searched param/);
	for (const message of [refused({ init: 'random' }), refused({ budget: 8 })]) t.false(message.includes('\n'));
});
