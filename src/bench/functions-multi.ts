/**
 * Test functions with two objectives for the searcher benchmark (both minimised), scored by the
 * hypervolume of the feasible points a run finds against a stated reference point.
 *
 * Notation
 *   zdt1         Zitzler, Deb & Thiele 2000, here 5-D on [0, 1]^5: f1 = x1,
 *                g = 1 + 9 / 4 sum_{i=2..5} x_i, f2 = g (1 - sqrt(f1 / g)); Pareto front f2 = 1 - sqrt(f1)
 *                at x2..x5 = 0 (a convex front; random points have f2 up to ~10)
 *   c2dtlz2      C2-DTLZ2 (Jain & Deb 2014), 2 objectives, 5-D on [0, 1]^5:
 *                g = sum_{i=2..5} (x_i - 0.5)^2, f1 = (1 + g) cos(pi x1 / 2), f2 = (1 + g) sin(pi x1 / 2)
 *                (front: the quarter circle f1^2 + f2^2 = 1 at x2..x5 = 0.5), with the constraint
 *                cv = min( min_i [(f_i - 1)^2 + f_j^2 - r^2] (j != i), sum_i (f_i - 1/sqrt 2)^2 - r^2 ) <= 0,
 *                r = 0.2: feasible points lie within r of an end of the front or of its middle, so the
 *                feasible front is three arcs (angle pi x1 / 2 in [0, 11.5], [33.5, 56.5] and
 *                [78.5, 90] degrees). The paper's r = 0.5 (for M != 3) leaves the whole 2-objective
 *                front feasible, hence 0.2. violation = max(0, cv), Optuna's constraints_func [cv]
 *   reference    [1.1, 1.1] for both: the nadir point of the true (feasible) front, (1, 1), plus 10%,
 *                as is usual for ZDT1 and DTLZ2, so the front's extreme points count (a reference at
 *                the nadir itself would give them no volume); in objective units, fixed, so a run's
 *                figure does not depend on what other runs found
 *   optimum      hypervolume of the true front against the reference: zdt1 0.1 + 2/3 + 0.11 =
 *                0.87667 (the area under 1.1 - f2(f1) on [0, 1], plus the strip f1 in [1, 1.1]);
 *                c2dtlz2 0.382333, the hypervolume of the three arcs sampled at 2e6 points (test/bench/functions-multi)
 */
import type { Params, Space } from '../core/space.js';
import type { MultiObjectiveFunction } from './test-function.js';

const box5: Space = Object.fromEntries(Array.from({ length: 5 }, (_, j) => [`x${j + 1}`, { type: 'float', low: 0, high: 1 }] as const));
const xs = (p: Params): number[] => Array.from({ length: 5 }, (_, j) => Number(p[`x${j + 1}`]));

export const zdt1: MultiObjectiveFunction = {
	kind: 'multi',
	name: 'zdt1',
	space: box5,
	directions: ['minimize', 'minimize'],
	evaluate: (p) => {
		const x = xs(p);
		const f1 = x[0]!;
		const g = 1 + (9 / 4) * (x[1]! + x[2]! + x[3]! + x[4]!);
		return { values: [f1, g * (1 - Math.sqrt(f1 / g))], violation: 0 };
	},
	reference: [1.1, 1.1],
	optimum: 0.1 + 2 / 3 + 0.11,
};

const C2_R = 0.2;

/** C2-DTLZ2's constraint value cv (<= 0 feasible) at objectives (f1, f2). */
export function c2Constraint(f1: number, f2: number): number {
	const nearEnd = Math.min((f1 - 1) ** 2 + f2 ** 2, (f2 - 1) ** 2 + f1 ** 2) - C2_R ** 2;
	const nearMiddle = (f1 - Math.SQRT1_2) ** 2 + (f2 - Math.SQRT1_2) ** 2 - C2_R ** 2;
	return Math.min(nearEnd, nearMiddle);
}

export const c2dtlz2: MultiObjectiveFunction = {
	kind: 'multi',
	name: 'c2dtlz2',
	space: box5,
	directions: ['minimize', 'minimize'],
	evaluate: (p) => {
		const x = xs(p);
		const g = (x[1]! - 0.5) ** 2 + (x[2]! - 0.5) ** 2 + (x[3]! - 0.5) ** 2 + (x[4]! - 0.5) ** 2;
		const angle = (Math.PI * x[0]!) / 2;
		const f1 = (1 + g) * Math.cos(angle);
		const f2 = (1 + g) * Math.sin(angle);
		return { values: [f1, f2], violation: Math.max(0, c2Constraint(f1, f2)) };
	},
	reference: [1.1, 1.1],
	optimum: 0.382333,
};

export const multiObjectiveFunctions: readonly MultiObjectiveFunction[] = [zdt1, c2dtlz2];
