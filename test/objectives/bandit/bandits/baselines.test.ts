import test from 'ava';
import { Rng } from '../../../../src/core/rng.js';
import { baselineLabel, baselinesFor, runBaseline, type BaselineKind } from '../../../../src/objectives/bandit/bandits/baselines.js';
import { BanditBatch, type TaskKind } from '../../../../src/objectives/bandit/bandits/tasks.js';

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

/**
 * UCB1 and Thompson sampling with the task's two-point prior against their reference figures
 * (docs/bandit-agent.md: simulations of 200k and 100k episodes, printed to two decimals). Both sides
 * are estimates, so the tolerance is 4 standard errors of the difference, sqrt(se^2 + se_ref^2) with
 * se_ref = sd / sqrt(reference episodes), plus half a unit of the reference's last digit.
 */
const simulatedReference: ReadonlyArray<[TaskKind, BaselineKind, number, number]> = [
	['independent', 'ucb1', 5.58, 200_000],
	['dependent-uniform', 'ucb1', 6.0, 200_000],
	['dependent-easy', 'ucb1', 6.29, 200_000],
	['dependent-medium', 'ucb1', 7.02, 200_000],
	['dependent-hard', 'ucb1', 5.99, 200_000],
	['dependent-easy', 'thompson-prior', 0.73, 100_000],
	['dependent-medium', 'thompson-prior', 1.31, 100_000],
	['dependent-hard', 'thompson-prior', 3.15, 100_000],
];

/** 10k episodes: se ~0.01-0.03, tolerance ~0.05-0.13; about 1 s per row unloaded. */
const EPISODES = 10_000;

for (const [task, policy, reference, referenceEpisodes] of simulatedReference) {
	test(`${policy} on ${task}: regret matches the reference ${reference}`, (t) => {
		const stats = runBaseline(policy, new BanditBatch({ kind: task, batch: 100 }, new Rng(41)), EPISODES, new Rng(42));
		const m = mean(stats.regrets);
		const se = stderr(stats.regrets);
		const seReference = (se * Math.sqrt(stats.regrets.length)) / Math.sqrt(referenceEpisodes);
		const tolerance = 4 * Math.hypot(se, seReference) + 0.005;
		t.true(Math.abs(m - reference) < tolerance, `got ${m.toFixed(3)} ± ${se.toFixed(3)} (tolerance ${tolerance.toFixed(3)})`);
	});
}

test('eleven-armed: Bayes-optimal 20.55, random 7.02, Thompson searches without the informative arm (11.35)', (t) => {
	const run = (policy: BaselineKind) => mean(runBaseline(policy, new BanditBatch({ kind: 'eleven-armed', batch: 100 }, new Rng(1)), 20000, new Rng(2)).returns);
	t.true(Math.abs(run('bayes-optimal') - 20.55) < 0.02);
	t.true(Math.abs(run('random') - 7.02) < 0.1);
	t.true(Math.abs(run('thompson') - 11.35) < 0.1);
	t.true(Math.abs(run('ucb1') - 7.45) < 0.1);
});

test('the oracle has zero regret on two-armed tasks', (t) => {
	const stats = runBaseline('oracle', new BanditBatch({ kind: 'independent', batch: 10 }, new Rng(3)), 50, new Rng(4));
	t.true(stats.regrets.every((r) => Math.abs(r) < 1e-9));
});

/** Paired mean difference x - y over the same episodes, and its standard error. */
const paired = (x: Float64Array, y: Float64Array) => {
	const d = x.map((v, i) => v - (y[i] as number));
	return { mean: mean(d), se: stderr(d) };
};

const dependentTasks: readonly TaskKind[] = ['dependent-uniform', 'dependent-easy', 'dependent-medium', 'dependent-hard'];

for (const task of dependentTasks) {
	test(`${task}: the Bayes-optimal policy's regret is at most every other baseline's on the same draws`, (t) => {
		const run = (policy: BaselineKind) => runBaseline(policy, new BanditBatch({ kind: task, batch: 100 }, new Rng(21)), 4000, new Rng(22)).regrets;
		const best = run('bayes-optimal');
		for (const other of baselinesFor(task).filter((k) => k !== 'bayes-optimal' && k !== 'oracle')) {
			const d = paired(best, run(other));
			t.true(d.mean < 3 * d.se, `bayes-optimal - ${other}: ${d.mean.toFixed(3)} ± ${d.se.toFixed(3)}`);
		}
	});
}

for (const task of ['dependent-easy', 'dependent-medium', 'dependent-hard'] as const) {
	test(`${task}: Thompson sampling with the task's two-point prior has less regret than with a uniform prior`, (t) => {
		const run = (policy: BaselineKind) => runBaseline(policy, new BanditBatch({ kind: task, batch: 100 }, new Rng(31)), 6000, new Rng(32)).regrets;
		const d = paired(run('thompson-prior'), run('thompson'));
		t.true(d.mean + 3 * d.se < 0, `prior - uniform: ${d.mean.toFixed(3)} ± ${d.se.toFixed(3)}`);
	});
}

test('rows name what they are: which prior, the oracle, the exact Bayes-optimal policy', (t) => {
	t.deepEqual(baselinesFor('dependent-hard'), ['random', 'ucb1', 'thompson', 'thompson-prior', 'bayes-optimal', 'oracle']);
	t.deepEqual(baselinesFor('independent'), ['random', 'ucb1', 'thompson', 'oracle']);
	t.deepEqual(baselinesFor('eleven-armed'), ['random', 'ucb1', 'thompson', 'bayes-optimal']);
	t.is(baselineLabel('thompson-prior', 'dependent-hard'), 'thompson (task prior {0.4, 0.6})');
	t.is(baselineLabel('thompson', 'dependent-hard'), 'thompson (uniform prior)');
	t.is(baselineLabel('oracle', 'independent'), 'oracle (knows p1, p2)');
});
