/** Labels of the bandit metrics name what each holds, and differ between the two metrics. */
import test from 'ava';
import { metricAxisTitle, metricLabel } from '../../src/objectives/describe.js';

const bandit = { kind: 'bandit', settings: {} } as const;

test('lifetime_return and final_return get different labels, neither calling a per-episode mean a cumulative reward', (t) => {
	const lifetime = metricLabel(bandit, 'lifetime_return') ?? '';
	const final = metricLabel(bandit, 'final_return') ?? '';
	t.not(lifetime, final);
	for (const label of [lifetime, final]) {
		t.regex(label, /per episode/);
		t.notRegex(label, /cumulative/i);
	}
	t.regex(lifetime, /^Lifetime/);
	t.regex(final, /^Evaluation/);
	// the figures' axis titles say the same thing
	t.regex(metricAxisTitle(bandit, 'lifetime_return'), /^Lifetime return/);
	t.is(metricLabel({ kind: 'module', module: 'x.js' }, 'value'), undefined);
});
