import test from 'ava';
import { Rng } from '../../../src/core/rng.js';
import type { TpeDim } from '../../../searchers/tpe/groups.js';
import { logMass, logPhi, ndtr, ndtri, truncatedQuantile } from '../../../searchers/tpe/normal.js';
import { Parzen } from '../../../searchers/tpe/parzen.js';
import { observationWeights } from '../../../searchers/tpe/split.js';

const floatDim: TpeDim = { kind: 'numeric', name: 'x', low: -2, high: 3, step: 0, param: { type: 'float', low: -2, high: 3 } };
const intDim: TpeDim = { kind: 'numeric', name: 'k', low: 2, high: 10, step: 2, param: { type: 'int', low: 2, high: 10, step: 2 } };
const catDim: TpeDim = { kind: 'categorical', name: 'c', choices: ['a', 'b', 'c', 'd'] };

test('Phi matches reference values (scipy.special.ndtr) to 1e-12 relative, in both tails', (t) => {
	const reference: [number, number][] = [
		[-0.5, 0.3085375387259869],
		[-1, 0.15865525393145707],
		[-2.5, 0.006209665325776132],
		[-3, 0.0013498980316300933],
		[-3.99, 3.3036647629402356e-5],
		[-4, 3.167124183311986e-5],
		[-4.5, 3.3976731247300535e-6],
		[-5, 2.866515718791933e-7],
		[-7, 1.279812543885835e-12],
		[-10, 7.61985302416047e-24],
		[-20, 2.7536241186061556e-89],
	];
	for (const [z, p] of reference) {
		t.true(Math.abs(ndtr(z) / p - 1) < 1e-12, `Phi(${z}) = ${ndtr(z)}, reference ${p}`);
		t.true(Math.abs(1 - ndtr(-z) - p) < 1e-15, `1 - Phi(${-z})`);
		t.true(Math.abs(logPhi(z) - Math.log(p)) < 1e-12);
	}
	// scipy.special.log_ndtr(-50)
	t.true(Math.abs(logPhi(-50) / -1254.8313611394199 - 1) < 1e-14);
});

test('normal pieces: ndtri inverts Phi; logPhi and logMass stay finite deep in the tails', (t) => {
	for (const z of [-30, -8, -3.5, -1, 0, 0.3, 2.9, 6]) {
		const p = Math.exp(logPhi(z));
		if (p > 1e-300 && p < 1 - 1e-15) t.true(Math.abs(ndtri(p) - z) < 1e-8 * Math.max(1, Math.abs(z)), `ndtri(Phi(${z})) = ${ndtri(p)}`);
	}
	// log Phi(-40) = -800 - log(40) - log sqrt(2 pi) + log(1 - 1/1600 + ...)
	t.true(Math.abs(logPhi(-40) - (-800 - Math.log(40) - 0.5 * Math.log(2 * Math.PI) + Math.log(1 - 1 / 1600 + 3 / 1600 ** 2 - 15 / 1600 ** 3))) < 1e-10);
	t.true(Number.isFinite(logMass(50, 51)) && logMass(50, 51) < -1200);
	t.true(Math.abs(logMass(50, 51) - logMass(-51, -50)) < 1e-12);
	t.true(Math.abs(Math.exp(logMass(-1, 1)) - 0.6826894921370859) < 1e-14);
	// a truncated normal's quantiles stay in [a, b] and its median splits the mass evenly
	const m = truncatedQuantile(-0.5, 4, 0.5);
	t.true(Math.abs(Math.exp(logMass(-0.5, m)) - Math.exp(logMass(m, 4))) < 1e-12);
	t.true(truncatedQuantile(1, 2, 0) >= 1 && truncatedQuantile(1, 2, 0.999999) <= 2);
});

function estimator(dims: readonly TpeDim[], rows: number[][], multivariate: boolean): Parzen {
	const obs = Float64Array.from(rows.flat());
	return new Parzen(dims, obs, observationWeights(rows.length), { priorWeight: 1, multivariate });
}

test('each kernel family is a normalised density over its dim', (t) => {
	for (const multivariate of [true, false]) {
		// continuous: the trapezoid rule over [low, high]
		const f = estimator([floatDim], [[-1.5], [0.2], [0.25], [2.9]], multivariate);
		const grid = 20001;
		const xs = Float64Array.from({ length: grid }, (_, i) => -2 + (5 * i) / (grid - 1));
		const p = f.logPdf(xs, grid).map(Math.exp);
		let integral = 0;
		for (let i = 1; i < grid; i++) integral += ((p[i]! + p[i - 1]!) / 2) * (5 / (grid - 1));
		t.true(Math.abs(integral - 1) < 1e-6, `float: integral ${integral}`);
		// int grid and categorical: the masses sum to 1
		const k = estimator([intDim], [[2], [4], [4], [10]], multivariate);
		const ks = Float64Array.from([2, 4, 6, 8, 10]);
		t.true(Math.abs(k.logPdf(ks, 5).reduce((a, v) => a + Math.exp(v), 0) - 1) < 1e-12);
		const c = estimator([catDim], [[0], [3], [3]], multivariate);
		t.true(Math.abs(c.logPdf(Float64Array.from([0, 1, 2, 3]), 4).reduce((a, v) => a + Math.exp(v), 0) - 1) < 1e-12);
	}
});

test('samples follow the density (int grid: frequencies match the masses)', (t) => {
	const k = estimator(
		[intDim, catDim],
		[
			[2, 0],
			[4, 1],
			[4, 1],
			[10, 3],
		],
		true,
	);
	const n = 40000;
	const xs = k.sample(new Rng(4), n);
	const counts = new Map<string, number>();
	for (let i = 0; i < n; i++) {
		const key = `${xs[2 * i]},${xs[2 * i + 1]}`;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	let cells = 0;
	for (const kv of [2, 4, 6, 8, 10]) {
		for (const cv of [0, 1, 2, 3]) {
			const p = Math.exp(k.logPdf(Float64Array.from([kv, cv]), 1)[0]!);
			const freq = (counts.get(`${kv},${cv}`) ?? 0) / n;
			t.true(Math.abs(freq - p) < 4 * Math.sqrt((p * (1 - p)) / n) + 1e-4, `(${kv}, ${cv}): frequency ${freq}, mass ${p}`);
			cells += counts.get(`${kv},${cv}`) ?? 0;
		}
	}
	t.is(cells, n, 'every sample on the grid');
});

test('bandwidths: multivariate 0.2 n^(-1/(d+4)) x range; the magic clip keeps them in [range / min(100, n + 2), range]', (t) => {
	// one observation at the centre of a 1-D float: its kernel is a normal with sigma 0.2 * 1 * 5 = 1 (in [5/3, 5] after the clip: 5/3)
	const one = estimator([floatDim], [[0.5]], true);
	const at = (p: Parzen, x: number) => Math.exp(p.logPdf(Float64Array.from([x]), 1)[0]!);
	// mixture of the kernel (weight 1/2) and the prior (mu 0.5, sigma 5), both truncated to [-2, 3]
	const truncated = (x: number, mu: number, s: number) => Math.exp(-0.5 * ((x - mu) / s) ** 2) / (s * Math.sqrt(2 * Math.PI)) / Math.exp(logMass((-2 - mu) / s, (3 - mu) / s));
	for (const x of [-2, 0, 0.5, 2.2]) t.true(Math.abs(at(one, x) - (0.5 * truncated(x, 0.5, 5 / 3) + 0.5 * truncated(x, 0.5, 5))) < 1e-12, `x = ${x}`);
	// 200 observations in 2-D: sigma = 0.2 * 200^(-1/6) * 5 = 0.4142.., above the clip 5/100
	const rows = Array.from({ length: 200 }, (_, i) => [-2 + (5 * i) / 199, 1]);
	const many = estimator([floatDim, floatDim], rows, true);
	const sigma = 0.2 * 200 ** (-1 / 6) * 5;
	const w = observationWeights(200);
	const total = w.reduce((a, b) => a + b, 0) + 1;
	const x = [0.1, 1.3];
	let expected = (1 / total) * truncated(x[0]!, 0.5, 5) * truncated(x[1]!, 0.5, 5);
	rows.forEach((r, i) => {
		expected += (w[i]! / total) * truncated(x[0]!, r[0]!, sigma) * truncated(x[1]!, r[1]!, sigma);
	});
	t.true(Math.abs(Math.exp(many.logPdf(Float64Array.from(x), 1)[0]!) / expected - 1) < 1e-10);
});
