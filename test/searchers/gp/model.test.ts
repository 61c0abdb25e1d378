import test from 'ava';
import { gpDims } from '../../../searchers/gp/encoding.js';
import { Posterior } from '../../../searchers/gp/gp.js';
import { fitFirst, standardise } from '../../../searchers/gp/model.js';

test('standardise: the prior mean is the 90th percentile of the losses, the scale their sd', (t) => {
	const losses = Float64Array.from([5, 1, 9, 3, 7, 2, 11, 4, 6, 8, 10]);
	const s = standardise(losses, losses.length);
	t.is(s.mean, 10);
	t.true(Math.abs(s.sd - Math.sqrt(10)) < 1e-12);
	for (let i = 0; i < losses.length; i++) t.true(Math.abs(s.y[i]! - (losses[i]! - 10) / Math.sqrt(10)) < 1e-12);
});

test('far from the data the posterior reverts to a pessimistic loss, not the average', (t) => {
	// 1-D, data in [0, 0.2] only: at x = 1 the model has seen nothing.
	const dims = gpDims({ x: { type: 'float', low: 0, high: 1 } });
	const xs = Float64Array.from([0, 0.05, 0.1, 0.15, 0.2]);
	const losses = Float64Array.from([1, 0.2, 0, 0.3, 1.2]);
	const { data, fit } = fitFirst({ xs, losses, n: 5 }, 5, dims);
	const s = standardise(losses, 5);
	const pred = new Posterior(data, fit.hyper).predict(Float64Array.from([1]), { mean: 0, variance: 0 });
	const far = s.mean + s.sd * pred.mean;
	t.true(far > 0.9, `far-away loss ${far} should be near the 90th percentile (1.04), above the average 0.54`);
});
