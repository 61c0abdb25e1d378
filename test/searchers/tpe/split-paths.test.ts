/**
 * split.ts picks the good set of one-metric, all-feasible trials by a one-pass insertion
 * (`bestByLoss`) and every other set by sorting (`rankedBelow`). On the trials both can take, the
 * two must agree: this runs both on many seeded random trial lists and compares the sets.
 *
 * The inputs are what searcher.ts's observe() hands the split: finished (complete or pruned) trials
 * with a finite loss, running ones (constant liar) with a NaN loss, violation absent or 0, each trial
 * order used once. The generator leans on what an insertion gets wrong: ties (few distinct losses,
 * all equal, 0 beside -0), pruned trials with lower losses than complete ones, many running ones,
 * trial orders that do not follow the array, and n around gamma's steps (10, 11, 250, 251).
 */
import test from 'ava';
import { Rng } from '../../../src/core/rng.js';
import { bestByLoss, gamma, rankedBelow, type SplitTrial } from '../../../searchers/tpe/split.js';

const edgeSizes = [0, 1, 2, 9, 10, 11, 12, 19, 20, 21, 240, 249, 250, 251, 252, 260];

/** A loss drawn by one of several schemes, chosen per list so that ties are common in some lists. */
function lossDrawer(rng: Rng): () => number {
	switch (rng.int(5)) {
		case 0:
			return () => rng.int(3) - 1;
		case 1:
			return () => 7;
		case 2:
			return () => (rng.next() < 0.5 ? 0 : -0);
		case 3:
			return () => Math.round(rng.normal() * 4) / 4;
		default:
			return () => rng.normal() * 1e3;
	}
}

function randomTrials(rng: Rng, n: number): SplitTrial[] {
	const pRunning = [0, 0.1, 0.5, 0.95][rng.int(4)]!;
	const pPruned = [0, 0.3, 0.7, 1][rng.int(4)]!;
	const completeLoss = lossDrawer(rng);
	// pruned trials often report lower losses than complete ones: they must still rank after them
	const prunedLoss = rng.next() < 0.5 ? completeLoss : () => completeLoss() - 100;
	const orders = Array.from({ length: n }, (_, i) => i);
	if (rng.next() < 0.5) {
		for (let i = n - 1; i > 0; i--) {
			const j = rng.int(i + 1);
			[orders[i], orders[j]] = [orders[j]!, orders[i]!];
		}
	}
	return orders.map((order): SplitTrial => {
		const state = rng.next() < pRunning ? 'running' : rng.next() < pPruned ? 'pruned' : 'complete';
		const trial: SplitTrial = { order, state, loss: state === 'running' ? Number.NaN : state === 'pruned' ? prunedLoss() : completeLoss() };
		// violation absent or 0: both mean feasible
		return rng.next() < 0.5 ? trial : { ...trial, violation: 0 };
	});
}

const describe = (set: ReadonlySet<SplitTrial>): string =>
	[...set]
		.map((t) => `${t.order}:${t.state[0]}${t.loss}`)
		.sort()
		.join(' ');

test('the one-pass good set equals the sorted one on one metric, all feasible', (t) => {
	const rng = new Rng(20261207);
	let cases = 0;
	let nonEmpty = 0;
	for (let c = 0; c < 3000; c++) {
		const n = c < edgeSizes.length * 20 ? edgeSizes[c % edgeSizes.length]! : rng.int(300);
		const trials = randomTrials(rng, n);
		const fast = bestByLoss(trials);
		const general = rankedBelow(trials);
		const finished = trials.filter((x) => x.state !== 'running').length;
		if (fast.size !== general.size || [...fast].some((x) => !general.has(x))) {
			t.fail(`case ${c} (n = ${n}): one-pass {${describe(fast)}} but sorted {${describe(general)}}`);
			return;
		}
		if (general.size !== gamma(finished)) {
			t.fail(`case ${c}: ${general.size} good trials of ${finished} finished, expected gamma = ${gamma(finished)}`);
			return;
		}
		cases++;
		if (fast.size > 0) nonEmpty++;
	}
	t.is(cases, 3000);
	// the generator must not degenerate into empty sets (all running, n = 0) that agree trivially
	t.true(nonEmpty > 2000, `only ${nonEmpty} cases had a non-empty good set`);
});
