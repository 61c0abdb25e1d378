import test from 'ava';
import { NumericalError } from '../../../src/core/errors.js';
import { defaultTheta, negLogPosterior, Posterior } from '../../../searchers/gp/gp.js';
import { cholesky } from '../../../searchers/gp/linalg.js';

// Hand computation, 1-D, rho = 1 (lengthscale 1), scale 2, noise 0.1, X = [0, 1], y = [1, -1].
// k(r) = 2 (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r)
const k = (r: number) => 2 * (1 + Math.sqrt(5) * r + (5 / 3) * r * r) * Math.exp(-Math.sqrt(5) * r);

test('posterior mean and variance match a hand-computed two-point example', (t) => {
	const hyper = { rho: Float64Array.of(1), scale: 2, noise: 0.1 };
	const post = new Posterior({ xs: Float64Array.of(0, 1), n: 2, d: 1, cat: Uint8Array.of(0), y: Float64Array.of(1, -1) }, hyper);
	// K = [[a, b], [b, a]], a = 2.1, b = k(1); K^{-1} = [[a, -b], [-b, a]] / (a^2 - b^2)
	const a = 2.1;
	const b = k(1);
	const det = a * a - b * b;
	for (const x of [0.25, 0.5, 1.7]) {
		const k1 = k(Math.abs(x - 0));
		const k2 = k(Math.abs(x - 1));
		const w1 = (a * k1 - b * k2) / det;
		const w2 = (-b * k1 + a * k2) / det;
		const mean = w1 * 1 + w2 * -1;
		const variance = 2 - (k1 * w1 + k2 * w2);
		const got = post.predict(Float64Array.of(x), { mean: 0, variance: 0 });
		t.true(Math.abs(got.mean - mean) < 1e-12, `mean at ${x}: ${got.mean} vs ${mean}`);
		t.true(Math.abs(got.variance - variance) < 1e-12, `variance at ${x}: ${got.variance} vs ${variance}`);
	}
	// At x = 0.5 by symmetry the mean is 0.
	t.true(Math.abs(post.predict(Float64Array.of(0.5), { mean: 0, variance: 0 }).mean) < 1e-12);
});

test('posterior gradients in x match finite differences (with a categorical dim held fixed)', (t) => {
	const xs = Float64Array.of(0.1, 0.2, 0, 0.8, 0.4, 1, 0.5, 0.9, 0, 0.3, 0.7, 2);
	const post = new Posterior({ xs, n: 4, d: 3, cat: Uint8Array.of(0, 0, 1), y: Float64Array.of(0.3, -1, 0.5, 0.2) }, { rho: Float64Array.of(3, 5, 1), scale: 1.3, noise: 1e-3 });
	const x = Float64Array.of(0.35, 0.55, 1);
	const dMean = new Float64Array(3);
	const dVar = new Float64Array(3);
	post.predict(x, { mean: 0, variance: 0 }, dMean, dVar);
	for (let j = 0; j < 2; j++) {
		const h = 1e-6;
		const up = Float64Array.from(x);
		const dn = Float64Array.from(x);
		up[j] = up[j]! + h;
		dn[j] = dn[j]! - h;
		const pu = post.predict(up, { mean: 0, variance: 0 });
		const pu2 = { ...pu };
		const pd = post.predict(dn, { mean: 0, variance: 0 });
		t.true(Math.abs((pu2.mean - pd.mean) / (2 * h) - dMean[j]!) < 1e-6);
		t.true(Math.abs((pu2.variance - pd.variance) / (2 * h) - dVar[j]!) < 1e-6);
	}
	t.is(dMean[2], 0);
});

test('the MAP objective gradient matches finite differences', (t) => {
	const xs = Float64Array.of(0.1, 0, 0.5, 1, 0.9, 2, 0.3, 1, 0.7, 0);
	const data = { xs, n: 5, d: 2, cat: Uint8Array.of(0, 1), y: Float64Array.of(1, -0.5, 0.2, -1, 0.3) };
	const theta = defaultTheta(2);
	theta[0] = 1.1;
	const grad = new Float64Array(4);
	negLogPosterior(theta, data, grad);
	for (let j = 0; j < 4; j++) {
		const h = 1e-6;
		const up = Float64Array.from(theta);
		const dn = Float64Array.from(theta);
		up[j] = up[j]! + h;
		dn[j] = dn[j]! - h;
		const g = new Float64Array(4);
		const fd = (negLogPosterior(up, data, g) - negLogPosterior(dn, data, g)) / (2 * h);
		t.true(Math.abs(fd - grad[j]!) < 1e-5 * Math.max(1, Math.abs(fd)), `theta_${j}: ${fd} vs ${grad[j]}`);
	}
});

test('Cholesky adds escalating jitter for a singular matrix and throws NumericalError when hopeless', (t) => {
	const singular = Float64Array.of(1, 1, 1, 1);
	t.true(cholesky(singular, 2).jitter > 0);
	t.throws(() => cholesky(Float64Array.of(1, 2, 2, 1), 2), { instanceOf: NumericalError });
});
