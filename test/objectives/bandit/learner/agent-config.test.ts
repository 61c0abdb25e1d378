import test from 'ava';
import { InputError } from '../../../../src/core/errors.js';
import { entropyCoefAt, parseAgentConfig } from '../../../../src/objectives/bandit/learner/agent-config.js';

test('defaults follow the published settings', (t) => {
	const c = parseAgentConfig({});
	t.is(c.hidden, 48);
	t.is(c.value_coef, 0.05);
	t.is(c.batch, 16);
	t.is(c.optimizer, 'adam');
	t.deepEqual(c.frozen, []);
});

test('a number is a constant entropy coefficient; a schedule anneals linearly', (t) => {
	t.is(entropyCoefAt(parseAgentConfig({ entropy: 0.02 }), 1e6), 0.02);
	const c = parseAgentConfig({ entropy: { start: 0.1, end: 0, anneal_episodes: 1000 } });
	t.is(entropyCoefAt(c, 0), 0.1);
	t.true(Math.abs(entropyCoefAt(c, 500) - 0.05) < 1e-12);
	t.is(entropyCoefAt(c, 5000), 0);
});

test('bad values name the field', (t) => {
	for (const [input, field] of [
		[{ gamma: 1.5 }, 'gamma'],
		[{ lr: 0 }, 'lr'],
		[{ task: 'twelve-armed' }, 'task'],
		[{ frozen: ['nope'] }, 'frozen.0'],
		[{ batch: 0 }, 'batch'],
	] as const) {
		const error = t.throws(() => parseAgentConfig(input), { instanceOf: InputError });
		t.is(error?.field, field);
		t.regex(error?.message ?? '', new RegExp(`agent\\.${field.replace('.', '\\.')}`));
	}
});
