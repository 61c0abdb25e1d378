/**
 * Test functions for the searcher benchmark (all minimised; `minimum` is the global minimum value).
 *
 * Notation
 *   branin       2-D, x1 in [-5, 10], x2 in [0, 15]; minimum 0.397887 at three points
 *   hartmann6    6-D on [0, 1]^6; minimum -3.322368
 *   rosenbrock   2-D on [-2, 2]^2, (1 - x)^2 + 100 (y - x^2)^2; minimum 0 at (1, 1)
 *   mixed        4-D mixed: float x, log float lr, int n, categorical c;
 *                (x - 1)^2 / 4 + (log10 lr + 3)^2 / 4 + (n - 2)^2 / 8 + offset(c); minimum 0
 */
import type { Params, Space } from '../core/space.js';

export interface TestFunction {
	readonly name: string;
	readonly space: Space;
	readonly evaluate: (params: Params) => number;
	readonly minimum: number;
}

const num = (p: Params, k: string): number => Number(p[k]);

export const branin: TestFunction = {
	name: 'branin',
	space: { x1: { type: 'float', low: -5, high: 10 }, x2: { type: 'float', low: 0, high: 15 } },
	evaluate: (p) => {
		const x1 = num(p, 'x1');
		const x2 = num(p, 'x2');
		const b = 5.1 / (4 * Math.PI * Math.PI);
		const c = 5 / Math.PI;
		const t = 1 / (8 * Math.PI);
		return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
	},
	minimum: 0.39788735772973816,
};

const hA = [
	[10, 3, 17, 3.5, 1.7, 8],
	[0.05, 10, 17, 0.1, 8, 14],
	[3, 3.5, 1.7, 10, 17, 8],
	[17, 8, 0.05, 10, 0.1, 14],
];
const hP = [
	[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
	[0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
	[0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
	[0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];
const hAlpha = [1, 1.2, 3, 3.2];

export const hartmann6: TestFunction = {
	name: 'hartmann6',
	space: Object.fromEntries(Array.from({ length: 6 }, (_, j) => [`x${j + 1}`, { type: 'float', low: 0, high: 1 }] as const)),
	evaluate: (p) => {
		let s = 0;
		for (let i = 0; i < 4; i++) {
			let inner = 0;
			for (let j = 0; j < 6; j++) inner += hA[i]![j]! * (num(p, `x${j + 1}`) - hP[i]![j]!) ** 2;
			s -= hAlpha[i]! * Math.exp(-inner);
		}
		return s;
	},
	minimum: -3.3223680114155147,
};

export const rosenbrock: TestFunction = {
	name: 'rosenbrock',
	space: { x: { type: 'float', low: -2, high: 2 }, y: { type: 'float', low: -2, high: 2 } },
	evaluate: (p) => (1 - num(p, 'x')) ** 2 + 100 * (num(p, 'y') - num(p, 'x') ** 2) ** 2,
	minimum: 0,
};

const offsets: Record<string, number> = { adam: 0, sgd: 0.5, rmsprop: 0.2 };

export const mixed: TestFunction = {
	name: 'mixed',
	space: {
		x: { type: 'float', low: -4, high: 4 },
		lr: { type: 'float', low: 1e-5, high: 1e-1, log: true },
		n: { type: 'int', low: -6, high: 6 },
		c: { type: 'categorical', choices: ['sgd', 'adam', 'rmsprop'] },
	},
	evaluate: (p) => (num(p, 'x') - 1) ** 2 / 4 + (Math.log10(num(p, 'lr')) + 3) ** 2 / 4 + (num(p, 'n') - 2) ** 2 / 8 + (offsets[String(p.c)] ?? 1),
	minimum: 0,
};

export const builtinFunctions: readonly TestFunction[] = [branin, hartmann6, rosenbrock, mixed];
