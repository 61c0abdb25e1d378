import test from 'ava';
import { gamma, observationWeights, type SplitTrial, splitTrials } from '../../../searchers/tpe/split.js';

const trial = (order: number, state: SplitTrial['state'], loss: number): SplitTrial => ({ order, state, loss });

test('gamma(n) = min(ceil(0.1 n), 25)', (t) => {
	t.deepEqual([0, 1, 9, 10, 11, 20, 21, 100, 249, 250, 251, 1000].map(gamma), [0, 1, 1, 1, 2, 2, 3, 10, 25, 25, 25, 25]);
});

test('the good set holds gamma(finished) trials, the best ones, in trial order', (t) => {
	for (const n of [1, 9, 10, 11, 37, 100, 260, 400]) {
		// losses in a scrambled order: loss of trial i is (i * 7919) mod n
		const trials = Array.from({ length: n }, (_, i) => trial(i, 'complete', (i * 7919) % n));
		const { below, above } = splitTrials(trials);
		t.is(below.length, Math.min(Math.ceil(0.1 * n), 25), `n = ${n}`);
		t.is(below.length + above.length, n);
		const worstBelow = Math.max(...below.map((b) => b.loss));
		t.true(
			above.every((a) => a.loss > worstBelow),
			`n = ${n}: an above trial beats a below one`,
		);
		t.deepEqual(
			below.map((b) => b.order),
			[...below.map((b) => b.order)].sort((a, b) => a - b),
		);
	}
});

test('pruned trials rank after complete ones; running trials are never good and do not count in n', (t) => {
	const trials = [
		...Array.from({ length: 8 }, (_, i) => trial(i, 'complete', 10 + i)),
		trial(8, 'pruned', -100),
		trial(9, 'pruned', -50),
		trial(10, 'running', Number.NaN),
		trial(11, 'running', Number.NaN),
		trial(12, 'running', Number.NaN),
	];
	// finished = 10 -> gamma = 1: the best complete trial, not the (lower) pruned ones
	const { below, above } = splitTrials(trials);
	t.deepEqual(
		below.map((b) => b.order),
		[0],
	);
	t.is(above.length, 12);
	// 20 finished: gamma = 2, one more complete trial would still come first
	const few = [trial(0, 'complete', 5), ...Array.from({ length: 19 }, (_, i) => trial(i + 1, 'pruned', i))];
	t.deepEqual(
		splitTrials(few).below.map((b) => b.order),
		[0, 1],
	);
});

test('weights: 1 each below 25 observations, then a linear ramp from 1/m for the oldest m - 25', (t) => {
	t.deepEqual([...observationWeights(0)], []);
	t.deepEqual([...observationWeights(24)], new Array(24).fill(1));
	t.deepEqual([...observationWeights(25)], new Array(25).fill(1));
	const w = observationWeights(30);
	const ramp = [...w.slice(0, 5)];
	const expected = [0, 1, 2, 3, 4].map((i) => 1 / 30 + ((1 - 1 / 30) * i) / 4);
	ramp.forEach((v, i) => {
		t.true(Math.abs(v - expected[i]!) < 1e-15, `w[${i}] = ${v}, expected ${expected[i]}`);
	});
	t.deepEqual([...w.slice(5)], new Array(25).fill(1));
	const big = observationWeights(1000);
	t.is(big[0], 1 / 1000);
	for (let i = 1; i < 1000; i++) t.true(big[i]! >= big[i - 1]!);
});
