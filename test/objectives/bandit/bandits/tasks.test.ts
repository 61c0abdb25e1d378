import test from 'ava';
import { Rng } from '../../../../src/core/rng.js';
import { BanditBatch, taskKinds, taskOptimum } from '../../../../src/objectives/bandit/bandits/tasks.js';

test('two-armed families draw the right arm probabilities', (t) => {
	const b = new BanditBatch({ kind: 'dependent-uniform', batch: 1000 }, new Rng(1));
	b.reset();
	let mean = 0;
	for (let i = 0; i < 1000; i++) {
		t.true(Math.abs(b.mean(i, 0) + b.mean(i, 1) - 1) < 1e-12);
		mean += b.mean(i, 0) / 1000;
	}
	t.true(Math.abs(mean - 0.5) < 0.05);
	for (const [kind, low] of [
		['dependent-easy', 0.1],
		['dependent-medium', 0.25],
		['dependent-hard', 0.4],
	] as const) {
		const d = new BanditBatch({ kind, batch: 200 }, new Rng(2));
		d.reset();
		const values = new Set(Array.from(d.means, (x) => x.toFixed(6)));
		t.deepEqual([...values].sort(), [low.toFixed(6), (1 - low).toFixed(6)].sort(), kind);
	}
});

test('eleven-armed: nine arms pay 1.1, the target 5, arm 11 pays 0.1 x (target index)', (t) => {
	const b = new BanditBatch({ kind: 'eleven-armed', batch: 50 }, new Rng(3));
	b.reset();
	t.is(b.arms, 11);
	t.is(b.horizon, 5);
	for (let i = 0; i < 50; i++) {
		const j = b.targets[i]!;
		t.is(b.mean(i, j), 5);
		t.is([...Array(10).keys()].filter((k) => b.mean(i, k) === 1.1).length, 9);
		t.true(Math.abs(b.mean(i, 10) - 0.1 * (j + 1)) < 1e-12);
		t.true(Math.abs(b.episodeOptimum(i) - (20 + 0.1 * (j + 1))) < 1e-12);
	}
	t.true(Math.abs(taskOptimum('eleven-armed') - 20.55) < 1e-12);
});

test('a new bandit every episode, or one fixed bandit', (t) => {
	const meta = new BanditBatch({ kind: 'independent', batch: 4 }, new Rng(4));
	meta.reset();
	const first = Array.from(meta.means);
	meta.reset();
	t.notDeepEqual(Array.from(meta.means), first);
	const fixed = new BanditBatch({ kind: 'independent', batch: 4, fixed: true }, new Rng(4));
	fixed.reset();
	const kept = Array.from(fixed.means);
	fixed.reset();
	t.deepEqual(Array.from(fixed.means), kept);
});

test('same seed, same bandit draws whatever the actions', (t) => {
	for (const kind of taskKinds) {
		const a = new BanditBatch({ kind, batch: 8 }, new Rng(9));
		const b = new BanditBatch({ kind, batch: 8 }, new Rng(9));
		const rewards = new Float32Array(8);
		for (let episode = 0; episode < 3; episode++) {
			a.reset();
			b.reset();
			t.deepEqual(Array.from(a.means), Array.from(b.means), kind);
			a.step(new Int32Array(8).fill(0), rewards);
			b.step(new Int32Array(8).fill(1), rewards);
		}
	}
});

test('Bernoulli rewards have the arm means; actions out of range throw', (t) => {
	const b = new BanditBatch({ kind: 'dependent-easy', batch: 2000, horizon: 3 }, new Rng(5));
	b.reset();
	const rewards = new Float32Array(2000);
	b.step(new Int32Array(2000).fill(0), rewards);
	let observed = 0;
	let expected = 0;
	for (let i = 0; i < 2000; i++) {
		t.true(rewards[i] === 0 || rewards[i] === 1);
		observed += rewards[i]!;
		expected += b.mean(i, 0);
	}
	t.true(Math.abs(observed - expected) < 4 * Math.sqrt(2000 * 0.09));
	t.throws(() => b.step(new Int32Array(2000).fill(2), rewards), { instanceOf: RangeError });
	t.is(b.horizon, 3);
});
