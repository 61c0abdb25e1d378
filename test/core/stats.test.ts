import test from 'ava';
import { meanCi, tQuantile975 } from '../../src/core/stats.js';

/** P(T <= x) for Student's t with df degrees of freedom, by Simpson's rule on the density. */
function tCdf(x: number, df: number): number {
	const logC = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * Math.log(df * Math.PI);
	const pdf = (u: number) => Math.exp(logC - ((df + 1) / 2) * Math.log(1 + (u * u) / df));
	const n = 20000;
	const h = x / n;
	let s = pdf(0) + pdf(x);
	for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * pdf(i * h);
	return 0.5 + (s * h) / 3;
}

/** log Gamma by the Lanczos approximation (g = 7, 9 terms). */
function lgamma(z: number): number {
	const c = [0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406, 12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7];
	const x = z - 1;
	let a = c[0] as number;
	for (let i = 1; i < 9; i++) a += (c[i] as number) / (x + i);
	const t = x + 7.5;
	return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

test('t quantiles: P(T <= t_{0.975, df}) is 0.975 for df 1-30 (table), within 2% of the quantile beyond', (t) => {
	for (let df = 1; df <= 30; df++) t.true(Math.abs(tCdf(tQuantile975(df), df) - 0.975) < 2e-4, `df ${df}: ${tCdf(tQuantile975(df), df)}`);
	t.is(tQuantile975(1), 12.706);
	t.is(tQuantile975(10), 2.228);
	for (const df of [31, 45, 60, 61, 100, 120, 121, 1000, 100000]) {
		const q = tQuantile975(df);
		// the true quantile lies between q / 1.02 and q * 1.02
		t.true(tCdf(q * 1.02, df) > 0.975 && tCdf(q / 1.02, df) < 0.975, `df ${df}: ${q}`);
	}
});

test('meanCi: a t interval on few values, none on one', (t) => {
	const ci = meanCi([1, 2, 3]);
	// mean 2, s = 1, t_{0.975, 2} = 4.303
	t.is(ci?.mean, 2);
	t.true(Math.abs((ci?.high ?? 0) - (2 + 4.303 / Math.sqrt(3))) < 1e-12);
	t.deepEqual(meanCi([5]), { mean: 5, low: 5, high: 5, n: 1 });
	t.is(meanCi([]), undefined);
});
