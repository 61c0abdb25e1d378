import test from 'ava';
import { Rng } from '../../src/core/rng.js';

test('same seed gives the same stream; different seeds differ', (t) => {
	const a = new Rng(42);
	const b = new Rng(42);
	const c = new Rng(43);
	const xs = Array.from({ length: 5 }, () => a.next());
	t.deepEqual(
		xs,
		Array.from({ length: 5 }, () => b.next()),
	);
	t.notDeepEqual(
		xs,
		Array.from({ length: 5 }, () => c.next()),
	);
});

test('split is deterministic, label-dependent and does not advance the parent', (t) => {
	const parent = new Rng(7);
	const first = parent.split(3).next();
	t.is(parent.split(3).next(), first);
	t.not(parent.split(4).next(), first);
	t.not(parent.split('3').next(), parent.split('x').next());
	t.is(new Rng(7).next(), parent.next());
});

test('uniform draws have mean 1/2 and normal draws mean 0, variance 1', (t) => {
	const rng = new Rng(1);
	let s = 0;
	let s2 = 0;
	const n = 100_000;
	let u = 0;
	for (let i = 0; i < n; i++) {
		const x = rng.normal();
		s += x;
		s2 += x * x;
		const v = rng.next();
		t.true(v >= 0 && v < 1);
		u += v;
	}
	t.true(Math.abs(u / n - 0.5) < 0.01);
	t.true(Math.abs(s / n) < 0.02);
	t.true(Math.abs(s2 / n - 1) < 0.03);
});

test('beta draws have the right mean', (t) => {
	const rng = new Rng(5);
	let s = 0;
	const n = 50_000;
	for (let i = 0; i < n; i++) s += rng.beta(2, 5);
	t.true(Math.abs(s / n - 2 / 7) < 0.01);
});
