/**
 * Test functions with structure the flat ones lack (all minimised; `minimum` is the global minimum):
 * a conditional space, and a high-dimensional one where a GP's cubic fit cost shows.
 *
 * Notation
 *   conditional        model in {bowl, wave} chooses a sub-function with its own params; the int n is
 *                      shared. pen(n) = (n - 3)^2 / 20 on n in 1..8.
 *                        bowl: a in [-5, 5], b in [1e-4, 1] (log):
 *                              0.5 + (a - 1.5)^2 / 10 + (log10 b + 2)^2 / 4 + pen(n)     (minimum 0.5)
 *                        wave: u, v in [0, 1]:
 *                              4 r^2 + 0.3 (1 - cos(4 pi (u - 0.3)) cos(4 pi (v - 0.7))) + pen(n),
 *                              r^2 = (u - 0.3)^2 + (v - 0.7)^2                           (minimum 0)
 *                      so the easy branch (bowl) is a trap at 0.5 and the global minimum 0 lies in the
 *                      rippled branch at model = wave, n = 3, (u, v) = (0.3, 0.7)
 *   styblinski_tang20  20-D on [-5, 5]^20: sum_i (x_i^4 - 16 x_i^2 + 5 x_i) / 2; minimum
 *                      20 x -39.16616570377142 at x_i = -2.903534 (Surjanovic & Bingham)
 *
 * The Optuna comparison (src/bench/scripts/optuna-tpe.ts) evaluates the same definitions in Python and
 * checks a few values against these before it runs.
 */
import type { Params, Space } from '../core/space.js';
import type { TestFunction } from './test-function.js';

const num = (p: Params, k: string): number => Number(p[k]);
const pen = (n: number): number => (n - 3) ** 2 / 20;

export const conditional: TestFunction = {
	name: 'conditional',
	space: {
		model: { type: 'categorical', choices: ['bowl', 'wave'] },
		n: { type: 'int', low: 1, high: 8 },
		a: { type: 'float', low: -5, high: 5, when: { model: ['bowl'] } },
		b: { type: 'float', low: 1e-4, high: 1, log: true, when: { model: ['bowl'] } },
		u: { type: 'float', low: 0, high: 1, when: { model: ['wave'] } },
		v: { type: 'float', low: 0, high: 1, when: { model: ['wave'] } },
	},
	evaluate: (p) => {
		if (p.model === 'bowl') return 0.5 + (num(p, 'a') - 1.5) ** 2 / 10 + (Math.log10(num(p, 'b')) + 2) ** 2 / 4 + pen(num(p, 'n'));
		const du = num(p, 'u') - 0.3;
		const dv = num(p, 'v') - 0.7;
		return 4 * (du * du + dv * dv) + 0.3 * (1 - Math.cos(4 * Math.PI * du) * Math.cos(4 * Math.PI * dv)) + pen(num(p, 'n'));
	},
	minimum: 0,
};

const ST_DIMS = 20;

export const styblinskiTang20: TestFunction = {
	name: 'styblinski_tang20',
	space: Object.fromEntries(Array.from({ length: ST_DIMS }, (_, j) => [`x${j + 1}`, { type: 'float', low: -5, high: 5 }] as const)) as Space,
	evaluate: (p) => {
		let s = 0;
		for (let j = 1; j <= ST_DIMS; j++) {
			const x = num(p, `x${j}`);
			s += x ** 4 - 16 * x * x + 5 * x;
		}
		return s / 2;
	},
	minimum: ST_DIMS * -39.16616570377142,
};
