/**
 * Test functions for the searcher benchmark (all minimised; `minimum` is the global minimum value).
 *
 * Notation
 *   branin       2-D, x1 in [-5, 10], x2 in [0, 15]; minimum 0.397887 at three points
 *   hartmann6    6-D on [0, 1]^6; minimum -3.322368
 *   rosenbrock   2-D on [-2, 2]^2, (1 - x)^2 + 100 (y - x^2)^2; minimum 0 at (1, 1)
 *   mixed        4-D mixed: float x, log float lr, int n, categorical c;
 *                (x - 1)^2 / 4 + (log10 lr + 3)^2 / 4 + (n - 2)^2 / 8 + offset(c); minimum 0
 *
 * Multimodal functions from the usual collections (Surjanovic & Bingham's Virtual Library of
 * Simulation Experiments; Dixon & Szego 1978):
 *   camel        six-hump camel, 2-D, x1 in [-3, 3], x2 in [-2, 2]; six local minima, two global
 *                (-1.031628 at (+-0.0898, -+0.7126))
 *   goldstein    Goldstein-Price, 2-D on [-2, 2]^2; several local minima, minimum 3 at (0, -1);
 *                values span 3..1e6, so the GP sees a heavy-tailed output
 *   hartmann3    3-D on [0, 1]^3; four local minima, minimum -3.862782 at (0.1146, 0.5556, 0.8525)
 *   shekel       Shekel m = 10, 4-D on [0, 10]^4; ten narrow wells, minimum -10.536443 at ~(4, 4, 4, 4)
 *   levy         Levy, 5-D on [-10, 10]^5; many regularly spaced local minima, minimum 0 at (1, ..., 1)
 *
 * And from functions-structured.ts: conditional (a conditional space) and styblinski_tang20 (20-D).
 */
import type { Params, Space } from '../core/space.js';
import { conditional, styblinskiTang20 } from './functions-structured.js';
import type { TestFunction } from './test-function.js';

const CAMEL_MIN = -1.0316284534898774;
const HARTMANN3_MIN = -3.8627821478207554;
const SHEKEL_MIN = -10.53644315348353;

export type { TestFunction } from './test-function.js';

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

const box = (names: readonly string[], low: number, high: number): Space => Object.fromEntries(names.map((n) => [n, { type: 'float', low, high }] as const));

const camel: TestFunction = {
	name: 'camel',
	space: { x1: { type: 'float', low: -3, high: 3 }, x2: { type: 'float', low: -2, high: 2 } },
	evaluate: (p) => {
		const x = num(p, 'x1');
		const y = num(p, 'x2');
		return (4 - 2.1 * x * x + (x * x * x * x) / 3) * x * x + x * y + (-4 + 4 * y * y) * y * y;
	},
	minimum: CAMEL_MIN,
};

const goldstein: TestFunction = {
	name: 'goldstein',
	space: box(['x1', 'x2'], -2, 2),
	evaluate: (p) => {
		const x = num(p, 'x1');
		const y = num(p, 'x2');
		const a = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y);
		const b = 30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y);
		return a * b;
	},
	minimum: 3,
};

const h3A = [
	[3, 10, 30],
	[0.1, 10, 35],
	[3, 10, 30],
	[0.1, 10, 35],
];
const h3P = [
	[0.3689, 0.117, 0.2673],
	[0.4699, 0.4387, 0.747],
	[0.1091, 0.8732, 0.5547],
	[0.03815, 0.5743, 0.8828],
];

const hartmann3: TestFunction = {
	name: 'hartmann3',
	space: box(['x1', 'x2', 'x3'], 0, 1),
	evaluate: (p) => {
		let s = 0;
		for (let i = 0; i < 4; i++) {
			let inner = 0;
			for (let j = 0; j < 3; j++) inner += h3A[i]![j]! * (num(p, `x${j + 1}`) - h3P[i]![j]!) ** 2;
			s -= hAlpha[i]! * Math.exp(-inner);
		}
		return s;
	},
	minimum: HARTMANN3_MIN,
};

const shekelBeta = [1, 2, 2, 4, 4, 6, 3, 7, 5, 5].map((b) => b / 10);
const shekelC = [
	[4, 4, 4, 4],
	[1, 1, 1, 1],
	[8, 8, 8, 8],
	[6, 6, 6, 6],
	[3, 7, 3, 7],
	[2, 9, 2, 9],
	[5, 3, 5, 3],
	[8, 1, 8, 1],
	[6, 2, 6, 2],
	[7, 3.6, 7, 3.6],
];

const shekel: TestFunction = {
	name: 'shekel',
	space: box(['x1', 'x2', 'x3', 'x4'], 0, 10),
	evaluate: (p) => {
		let s = 0;
		for (let i = 0; i < 10; i++) {
			let inner = shekelBeta[i]!;
			for (let j = 0; j < 4; j++) inner += (num(p, `x${j + 1}`) - shekelC[i]![j]!) ** 2;
			s -= 1 / inner;
		}
		return s;
	},
	minimum: SHEKEL_MIN,
};

const levy: TestFunction = {
	name: 'levy',
	space: box(['x1', 'x2', 'x3', 'x4', 'x5'], -10, 10),
	evaluate: (p) => {
		const w = [1, 2, 3, 4, 5].map((j) => 1 + (num(p, `x${j}`) - 1) / 4);
		let s = Math.sin(Math.PI * w[0]!) ** 2;
		for (let i = 0; i < 4; i++) s += (w[i]! - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i]! + 1) ** 2);
		return s + (w[4]! - 1) ** 2 * (1 + Math.sin(2 * Math.PI * w[4]!) ** 2);
	},
	minimum: 0,
};

export const builtinFunctions: readonly TestFunction[] = [branin, hartmann6, rosenbrock, mixed, camel, goldstein, hartmann3, shekel, levy, conditional, styblinskiTang20];
