import test from 'ava';
import { Rng } from '../../../src/core/rng.js';
import { runBaseline, type BaselineKind } from '../../../src/objectives/bandit/baselines.js';
import { BanditBatch, type TaskKind } from '../../../src/objectives/bandit/tasks.js';

/** Reference figures of the tasks (README; exact DP or 200k-episode simulation). */
const regretReference: ReadonlyArray<[TaskKind, BaselineKind, number]> = [
	['independent', 'random', 16.7],
	['independent', 'thompson', 2.78],
	['dependent-uniform', 'random', 25.0],
	['dependent-uniform', 'thompson', 2.1],
	['dependent-easy', 'random', 40.0],
	['dependent-easy', 'thompson', 1.25],
	['dependent-medium', 'random', 25.0],
	['dependent-medium', 'thompson', 1.99],
	['dependent-hard', 'random', 10.0],
	['dependent-hard', 'thompson', 3.74],
];

const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
const stderr = (xs: Float64Array) => {
	const m = mean(xs);
	return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) / xs.length);
};

for (const [task, policy, reference] of regretReference) {
	test(`${policy} on ${task}: regret matches the reference ${reference}`, (t) => {
		const stats = runBaseline(policy, new BanditBatch({ kind: task, batch: 100 }, new Rng(11)), 3000, new Rng(12));
		const m = mean(stats.regrets);
		// 4 standard errors of our estimate plus the reference's own rounding.
		t.true(Math.abs(m - reference) < 4 * stderr(stats.regrets) + 0.05, `got ${m.toFixed(3)} ± ${stderr(stats.regrets).toFixed(3)}`);
	});
}

test('eleven-armed: optimal 20.55, random 7.02, Thompson searches without the informative arm (11.35)', (t) => {
	const run = (policy: BaselineKind) => mean(runBaseline(policy, new BanditBatch({ kind: 'eleven-armed', batch: 100 }, new Rng(1)), 20000, new Rng(2)).returns);
	t.true(Math.abs(run('optimal') - 20.55) < 0.02);
	t.true(Math.abs(run('random') - 7.02) < 0.1);
	t.true(Math.abs(run('thompson') - 11.35) < 0.1);
	t.true(Math.abs(run('ucb1') - 7.45) < 0.1);
});

test('the oracle has zero regret on two-armed tasks', (t) => {
	const stats = runBaseline('optimal', new BanditBatch({ kind: 'independent', batch: 10 }, new Rng(3)), 50, new Rng(4));
	t.true(stats.regrets.every((r) => Math.abs(r) < 1e-9));
});
