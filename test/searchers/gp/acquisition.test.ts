import test from 'ava';
import { logEi, logH, normCdf, ucb } from '../../../searchers/gp/acquisition.js';
import type { GpDim } from '../../../searchers/gp/encoding.js';
import type { Posterior } from '../../../searchers/gp/gp.js';
import { AcqEvaluator, optimizeAcquisition } from '../../../searchers/gp/optimize.js';
import { Rng } from '../../../src/core/rng.js';

const phi = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

test('normal CDF at known points', (t) => {
	t.true(close(normCdf(0), 0.5, 1e-15));
	t.true(close(normCdf(1.96), 0.9750021048517795, 1e-13));
	t.true(close(normCdf(-5), 2.866515718791939e-7, 1e-12));
	t.true(close(normCdf(-10), 7.61985302416047e-24, 1e-10));
});

test('log-EI on a fixed posterior equals the closed form', (t) => {
	const acq = logEi(0);
	const out = { dMu: 0, dS2: 0 };
	// mu = 0, s = 1: EI = phi(0)
	t.true(close(acq.evaluate(0, 1, out), Math.log(phi(0)), 1e-14));
	// mu = -1, s = 2: z = 0.5, EI = 2 (phi(0.5) + 0.5 Phi(0.5)), Phi(0.5) = 0.6914624612740131
	t.true(close(acq.evaluate(-1, 4, out), Math.log(2 * (phi(0.5) + 0.5 * 0.6914624612740131)), 1e-13));
	// mu = 3, s = 1: z = -3, EI = phi(3) - 3 Phi(-3), Phi(-3) = 0.0013498980316300946
	t.true(close(acq.evaluate(3, 1, out), Math.log(phi(3) - 3 * 0.0013498980316300946), 1e-10));
	// partial derivatives by finite differences
	const h = 1e-6;
	acq.evaluate(0.7, 0.3, out);
	const dMu = (acq.evaluate(0.7 + h, 0.3, { dMu: 0, dS2: 0 }) - acq.evaluate(0.7 - h, 0.3, { dMu: 0, dS2: 0 })) / (2 * h);
	const dS2 = (acq.evaluate(0.7, 0.3 + h, { dMu: 0, dS2: 0 }) - acq.evaluate(0.7, 0.3 - h, { dMu: 0, dS2: 0 })) / (2 * h);
	t.true(close(out.dMu, dMu, 1e-6));
	t.true(close(out.dS2, dS2, 1e-6));
});

test('log-EI stays finite, smooth and increasing far into the tail', (t) => {
	let previous = Number.NEGATIVE_INFINITY;
	for (const z of [-1e8, -1e5, -1e3, -100, -40.0001, -39.9999, -10, -2.0001, -1.9999, 0, 3, 30]) {
		const { value, dz } = logH(z);
		t.true(Number.isFinite(value) && Number.isFinite(dz), `z = ${z}: ${value}, ${dz}`);
		t.true(value > previous, `not increasing at z = ${z}`);
		t.true(dz > 0);
		previous = value;
	}
	// Asymptotics: log h(z) = -z^2/2 - log sqrt(2 pi) - 2 log|z| + log(1 - 3/z^2 + ...)
	for (const z of [-100, -1e4]) {
		const expected = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(-z) + Math.log(1 - 3 / (z * z));
		t.true(close(logH(z).value, expected, 1e-9));
	}
	// No jumps where the method switches.
	for (const z0 of [-2, -40]) t.true(Math.abs(logH(z0 - 1e-9).value - logH(z0 + 1e-9).value) < 1e-6);
	// d log h / dz matches finite differences in the tail.
	const z = -57;
	t.true(close(logH(z).dz, (logH(z + 1e-5).value - logH(z - 1e-5).value) / 2e-5, 1e-5));
	t.true(Number.isFinite(logEi(0).evaluate(1e6, 1e-12, { dMu: 0, dS2: 0 })));
});

test('UCB is -mu + sqrt(beta) sigma', (t) => {
	t.true(close(ucb(4).evaluate(1, 0.25, { dMu: 0, dS2: 0 }), -1 + 2 * 0.5, 1e-15));
});

/** A fake posterior over x in [0, 1] x {0, 1, 2}: mean (x0 - 0.3)^2 + c_k, fixed variance. */
function fakePosterior(offsets: readonly number[]): Posterior {
	return {
		predict(x: Float64Array, out: { mean: number; variance: number }, dMean?: Float64Array, dVar?: Float64Array) {
			out.mean = (x[0]! - 0.3) ** 2 + offsets[Math.round(x[1]!)]!;
			out.variance = 0.01;
			if (dMean && dVar) {
				dMean[0] = 2 * (x[0]! - 0.3);
				dMean[1] = 0;
				dVar.fill(0);
			}
			return out;
		},
	} as unknown as Posterior;
}

const dims: GpDim[] = [
	{ name: 'x', param: { type: 'float', low: 0, high: 1 }, kind: 'continuous', size: Number.POSITIVE_INFINITY },
	{ name: 'c', param: { type: 'categorical', choices: ['a', 'b', 'c'] }, kind: 'categorical', size: 3 },
];

test('acquisition optimisation on a fake posterior finds the continuous optimum and the best category exactly', (t) => {
	const evaluator = new AcqEvaluator(fakePosterior([0.5, 0, 0.2]), logEi(0.1), 2);
	const r = optimizeAcquisition(evaluator, dims, () => true, new Rng(1), { candidates: 64, nLocal: 3, extraStarts: [], enumerateUpTo: 0 });
	t.truthy(r);
	t.true(Math.abs(r!.x[0]! - 0.3) < 1e-5, `x = ${r!.x[0]}`);
	t.is(r!.x[1], 1);
	// The category 'b' excluded: the next best is 'c', still at x = 0.3.
	const r2 = optimizeAcquisition(evaluator, dims, (x) => x[1] !== 1, new Rng(1), { candidates: 64, nLocal: 3, extraStarts: [], enumerateUpTo: 0 });
	t.is(r2!.x[1], 2);
	t.true(Math.abs(r2!.x[0]! - 0.3) < 1e-5);
});
