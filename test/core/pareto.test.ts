import test from 'ava';
import { dominates, hypervolume, hypervolumeContributions, nonDominatedRanks, paretoFront } from '../../src/core/pareto.js';
import { Rng } from '../../src/core/rng.js';

const min2 = ['minimize', 'minimize'] as const;

function randomPoints(rng: Rng, n: number, m: number): number[][] {
	return Array.from({ length: n }, () => Array.from({ length: m }, () => rng.next()));
}

/** Monte Carlo hypervolume of minimised points against r, with lower corner 0 (points lie in [0,1]^m). */
function monteCarloHv(points: readonly (readonly number[])[], r: readonly number[], samples: number, rng: Rng): number {
	let hit = 0;
	for (let s = 0; s < samples; s++) {
		const u = r.map((rk) => rng.next() * rk);
		if (points.some((p) => p.every((v, k) => v <= (u[k] as number)))) hit++;
	}
	return (hit / samples) * r.reduce((a, b) => a * b, 1);
}

test('dominance is strict in one objective and respects each direction', (t) => {
	t.true(dominates([1, 1], [1, 2], min2));
	t.false(dominates([1, 2], [1, 2], min2));
	t.false(dominates([0, 3], [1, 2], min2));
	t.true(dominates([5, 1], [4, 2], ['maximize', 'minimize']));
	t.false(dominates([4, 1], [5, 2], ['maximize', 'minimize']));
});

test('ranks agree with the definition: rank k points are undominated once ranks < k are removed', (t) => {
	const rng = new Rng(7);
	for (const m of [2, 3]) {
		const points = randomPoints(rng, 60, m);
		const ranks = nonDominatedRanks(points, Array(m).fill('minimize'));
		t.true(ranks.every((r) => r >= 0));
		for (let i = 0; i < points.length; i++) {
			const later = points.filter((_, j) => (ranks[j] as number) >= (ranks[i] as number));
			const dominatedHere = later.some((q) => dominates(q, points[i] as number[], Array(m).fill('minimize')));
			t.false(dominatedHere, `point ${i} of rank ${ranks[i]} is dominated by a point of its rank or later`);
			if ((ranks[i] as number) > 0) {
				const previous = points.filter((_, j) => ranks[j] === (ranks[i] as number) - 1);
				t.true(previous.some((q) => dominates(q, points[i] as number[], Array(m).fill('minimize'))));
			}
		}
		const front = paretoFront(points, Array(m).fill('minimize'));
		t.deepEqual(
			front,
			ranks.flatMap((r, i) => (r === 0 ? [i] : [])),
		);
	}
});

test('hypervolume of known sets', (t) => {
	t.is(hypervolume([[0.5, 0.5]], [1, 1], min2), 0.25);
	t.is(
		hypervolume(
			[
				[0, 0.5],
				[0.5, 0],
			],
			[1, 1],
			min2,
		),
		0.75,
	);
	t.is(
		hypervolume(
			[
				[0.5, 0.5],
				[0.7, 0.7],
				[2, 0],
			],
			[1, 1],
			min2,
		),
		0.25,
		'dominated points and points beyond r add nothing',
	);
	t.is(hypervolume([[0.5, 0.5, 0.5]], [1, 1, 1], ['minimize', 'minimize', 'minimize']), 0.125);
	t.is(hypervolume([[3, 0.5]], [1, 1], ['maximize', 'minimize']), 1, 'a maximised objective counts upward from r');
	t.is(hypervolume([], [1, 1], min2), 0);
	t.throws(() => hypervolume([[0, 0]], [1, 1, 1], min2), { message: /reference point has 3 values for 2 objectives/ });
});

test('hypervolume matches a Monte Carlo estimate in 2, 3 and 4 objectives', (t) => {
	const rng = new Rng(11);
	for (const m of [2, 3, 4]) {
		const points = randomPoints(rng, 25, m);
		const r = Array(m).fill(1.1);
		const exact = hypervolume(points, r, Array(m).fill('minimize'));
		const estimate = monteCarloHv(points, r, 200_000, rng);
		t.true(exact > 0);
		t.true(Math.abs(exact - estimate) < 0.01 * r.reduce((a, b) => a * b, 1), `m=${m}: exact ${exact} vs Monte Carlo ${estimate}`);
	}
});

test('hypervolume contributions: the exclusive box of each front point, 0 for dominated and repeated points', (t) => {
	// staircase (1,3), (2,2), (3,1) against r = (4, 4): each front point owns a unit square
	const points = [
		[1, 3],
		[2, 2],
		[3, 1],
		[3, 3],
		[2, 2],
	];
	t.deepEqual(hypervolumeContributions(points.slice(0, 4), [4, 4], min2), [1, 1, 1, 0]);
	// a repeated point owns nothing alone
	t.deepEqual(hypervolumeContributions(points, [4, 4], min2), [1, 0, 1, 0, 0]);
	// maximised objectives: the same staircase mirrored
	const mirrored = points.slice(0, 4).map(([a, b]) => [-(a as number), b as number]);
	t.deepEqual(hypervolumeContributions(mirrored, [-4, 4], ['maximize', 'minimize']), [1, 1, 1, 0]);
});
