import test from 'ava';
import { minimizeBox } from '../../../searchers/gp/lbfgs.js';

test('lbfgs: finds the Rosenbrock minimum inside a box', (t) => {
	const r = minimizeBox(
		(x, g) => {
			const a = x[0]!;
			const b = x[1]!;
			g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
			g[1] = 200 * (b - a * a);
			return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
		},
		[-1.5, 2],
		[-2, -2],
		[2, 3],
		{ maxIter: 500, gtol: 1e-10, ftol: 0 },
	);
	t.true(Math.abs(r.x[0]! - 1) < 1e-5 && Math.abs(r.x[1]! - 1) < 1e-5, `x = ${Array.from(r.x)}`);
});

test('lbfgs: stops on an active bound with the right free coordinates', (t) => {
	// min (x - 3)^2 + (y - 0.25)^2 + x y over [0, 1]^2: x hits its upper bound, y = 0.25 - 0.5 clipped to 0.
	const r = minimizeBox(
		(x, g) => {
			g[0] = 2 * (x[0]! - 3) + x[1]!;
			g[1] = 2 * (x[1]! - 0.25) + x[0]!;
			return (x[0]! - 3) ** 2 + (x[1]! - 0.25) ** 2 + x[0]! * x[1]!;
		},
		[0.5, 0.5],
		[0, 0],
		[1, 1],
	);
	t.deepEqual(Array.from(r.x), [1, 0]);
});

test('lbfgs: an ill-conditioned quadratic converges in few iterations', (t) => {
	const scales = [1, 10, 100, 1000, 1e4];
	const r = minimizeBox(
		(x, g) => {
			let f = 0;
			scales.forEach((s, j) => {
				f += 0.5 * s * (x[j]! - 0.1 * j) ** 2;
				g[j] = s * (x[j]! - 0.1 * j);
			});
			return f;
		},
		[1, 1, 1, 1, 1],
		[-5, -5, -5, -5, -5],
		[5, 5, 5, 5, 5],
		{ maxIter: 200, gtol: 1e-9, ftol: 0 },
	);
	scales.forEach((_, j) => {
		t.true(Math.abs(r.x[j]! - 0.1 * j) < 1e-6);
	});
	t.true(r.iterations < 100, `iterations ${r.iterations}`);
});
