/**
 * The fast paths of the TPE (batched log normalisers, packed kernels, two components at a time)
 * against the plain computation they replace, to the bit: a change in the maths or in the order of
 * the floating-point operations fails here. The reference below is the straightforward scoring: per
 * row, per component, the dims' log kernel terms summed in dim order, then log-sum-exp.
 */
import test from 'ava';
import { activeParams } from '../../../src/core/conditions.js';
import { conditional } from '../../../src/bench/functions-structured.js';
import { Rng } from '../../../src/core/rng.js';
import type { Params, Space } from '../../../src/core/space.js';
import type { TpeConfig } from '../../../searchers/config.js';
import type { SearcherTrial } from '../../../searchers/searcher.js';
import { type TpeDim, toExternal, toInternal, tpeSpace } from '../../../searchers/tpe/groups.js';
import { logMass, logMasses, logPhiDensity } from '../../../searchers/tpe/normal.js';
import { kernelCentres, type ParzenSettings } from '../../../searchers/tpe/kernels.js';
import { Parzen } from '../../../searchers/tpe/parzen.js';
import { TpeSearcher } from '../../../searchers/tpe/searcher.js';
import { observationWeights, splitTrials } from '../../../searchers/tpe/split.js';

/** log p(x) of each row by the plain loops (the reference). */
function referenceLogPdf(dims: readonly TpeDim[], obs: Float64Array, weights: Float64Array, settings: ParzenSettings, xs: Float64Array, count: number): Float64Array {
	const d = dims.length;
	const n = weights.length;
	const K = n + 1;
	const w = new Float64Array(K);
	w.set(weights);
	w[n] = n === 0 ? 1 : settings.priorWeight;
	const total = w.reduce((a, b) => a + b, 0);
	for (let k = 0; k < K; k++) w[k]! /= total;
	const column = (j: number) => Float64Array.from({ length: n }, (_, i) => obs[i * d + j]!);
	/** term(j, k, x): log of dim j's kernel k at x */
	const terms = dims.map((dim, j): ((k: number, x: number) => number) => {
		if (dim.kind === 'categorical') {
			const c = dim.choices.length;
			const observed = column(j);
			return (k, x) => {
				const row = new Float64Array(c).fill(settings.priorWeight / K);
				if (k < n) row[observed[k]!]! += 1;
				const sum = row.reduce((a, b) => a + b, 0);
				return Math.log(sum === 0 ? 1 / c : row[Math.round(x)]! / sum);
			};
		}
		const { mu, sigma } = kernelCentres(dim, column(j), d, settings);
		const h = dim.step / 2;
		const logNorm = (k: number) => logMass((dim.low - h - mu[k]!) / sigma[k]!, (dim.high + h - mu[k]!) / sigma[k]!);
		if (dim.step > 0) return (k, x) => logMass((x - h - mu[k]!) / sigma[k]!, (x + h - mu[k]!) / sigma[k]!) - logNorm(k);
		return (k, x) => {
			const z = (x - mu[k]!) * (1 / sigma[k]!);
			return logPhiDensity(0) - Math.log(sigma[k]!) - logNorm(k) - 0.5 * z * z;
		};
	});
	const out = new Float64Array(count);
	for (let c = 0; c < count; c++) {
		const acc = Array.from({ length: K }, (_, k) => {
			let s = Math.log(w[k]!);
			for (let j = 0; j < d; j++) s += terms[j]!(k, xs[c * d + j]!);
			return s;
		});
		const max = acc.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
		out[c] = max === Number.NEGATIVE_INFINITY ? max : max + Math.log(acc.reduce((sum, v) => (v - max > -40 ? sum + Math.exp(v - max) : sum), 0));
	}
	return out;
}

const bits = (xs: ArrayLike<number>) => Array.from(xs, (v) => (Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v.toString()));

test('logMasses gives logMass to the bit, in both tails, across 0, at the 4, 5 and 8.5 switches and at infinities', (t) => {
	const ends = [Number.NEGATIVE_INFINITY, -60, -8.5, -8.49, -6, -5, -4.99, -4, -3.99, -1, -0, 0, 0.5, 3.99, 4, 4.5, 5, 7, 8.5, 8.51, 60, Number.POSITIVE_INFINITY];
	const pairs: [number, number][] = [];
	for (const a of ends) for (const b of ends) if (a <= b) pairs.push([a, b]);
	const rng = new Rng(5);
	for (let i = 0; i < 4000; i++) {
		const a = (rng.next() - 0.5) * 30;
		pairs.push([a, a + rng.next() * 15]);
	}
	const a = Float64Array.from(pairs, (p) => p[0]);
	const b = Float64Array.from(pairs, (p) => p[1]);
	const out = new Float64Array(pairs.length);
	logMasses(a, b, pairs.length, out);
	t.deepEqual(bits(out), bits(pairs.map(([x, y]) => logMass(x, y))));
});

const dims = (space: Space): readonly TpeDim[] => tpeSpace(space, true).groups[0]!;
const mixedSpace: Space = {
	x: { type: 'float', low: -2, high: 3 },
	lr: { type: 'float', low: 1e-4, high: 1e-1, log: true },
	k: { type: 'int', low: 2, high: 10, step: 2 },
	width: { type: 'int', low: 1, high: 64, log: true },
	opt: { type: 'categorical', choices: ['adam', 'sgd', 'rms'] },
};
const floatSpace: Space = Object.fromEntries(Array.from({ length: 8 }, (_, j) => [`x${j}`, { type: 'float', low: -5, high: 5 }]));

test('Parzen.logPdf equals the plain scoring to the bit (mixed and all-float dims, both bandwidth rules, 0 to 200 observations)', (t) => {
	const rng = new Rng(11);
	for (const space of [mixedSpace, floatSpace]) {
		const ds = dims(space);
		const d = ds.length;
		const draw = (count: number) => {
			const rows = new Float64Array(count * d);
			for (let i = 0; i < count; i++)
				ds.forEach((dim, j) => {
					const value = dim.kind === 'categorical' ? dim.choices[rng.int(dim.choices.length)] : toExternal(dim, dim.low + rng.next() * (dim.high - dim.low));
					rows[i * d + j] = toInternal(dim, value) as number;
				});
			return rows;
		};
		for (const n of [0, 3, 30, 200]) {
			for (const settings of [
				{ priorWeight: 1, multivariate: true },
				{ priorWeight: 0.5, multivariate: false },
			]) {
				const obs = draw(n);
				const weights = observationWeights(n);
				const parzen = new Parzen(ds, obs, weights, settings);
				const xs = parzen.sample(rng, 24);
				t.deepEqual(bits(parzen.logPdf(xs, 24)), bits(referenceLogPdf(ds, obs, weights, settings, xs, 24)), `${Object.keys(space).length} params, n = ${n}, ${JSON.stringify(settings)}`);
			}
		}
	}
});

/** the bench's conditional function's space (src/bench/functions-structured.ts) */
const conditionalSpace: Space = conditional.space;
const value = (p: Params): number => Object.entries(p).reduce((sum, [name, v]) => sum + (typeof v === 'number' ? Math.abs(Math.sin(3 * v + name.length)) : v === 'wave' ? 0.2 : 0.5), 0);

/**
 * The proposal the TPE makes for the next trial (index = trials.length), with every score from the
 * reference scoring; also checks that the estimators' own scores agree to the bit. Infinite spaces
 * only (no duplicate handling), complete trials only.
 */
function referenceProposal(t: { deepEqual: (a: unknown, b: unknown, m?: string) => void }, space: Space, config: TpeConfig, trials: readonly SearcherTrial[]): Params {
	const tpe = tpeSpace(space, config.multivariate);
	const observed = trials.map((tr, order) => ({ order, state: 'complete' as const, loss: tr.value as number, params: tr.params }));
	const { below, above } = splitTrials(observed);
	const rng = new Rng(config.seed).split(trials.length);
	const settings = { priorWeight: config.prior_weight, multivariate: config.multivariate };
	const chosen: Params = { ...tpe.singles };
	for (const ds of tpe.groups) {
		const observationsOf = (set: typeof observed) => {
			const rows = set.filter((o) => ds.every((dim) => toInternal(dim, o.params[dim.name]) !== undefined));
			const obs = Float64Array.from(rows.flatMap((o) => ds.map((dim) => toInternal(dim, o.params[dim.name]) as number)));
			return { obs, weights: observationWeights(rows.length) };
		};
		const good = observationsOf(below);
		const bad = observationsOf(above);
		const count = config.n_ei_candidates;
		const xs = new Parzen(ds, good.obs, good.weights, settings).sample(rng, count);
		const lGood = referenceLogPdf(ds, good.obs, good.weights, settings, xs, count);
		const lBad = referenceLogPdf(ds, bad.obs, bad.weights, settings, xs, count);
		t.deepEqual(bits(new Parzen(ds, good.obs, good.weights, settings).logPdf(xs, count)), bits(lGood));
		t.deepEqual(bits(new Parzen(ds, bad.obs, bad.weights, settings).logPdf(xs, count)), bits(lBad));
		let best = 0;
		const score = (c: number) => (Number.isNaN(lGood[c]! - lBad[c]!) ? Number.NEGATIVE_INFINITY : lGood[c]! - lBad[c]!);
		for (let c = 1; c < count; c++) if (score(c) > score(best)) best = c;
		ds.forEach((dim, j) => {
			chosen[dim.name] = toExternal(dim, xs[best * ds.length + j]!);
		});
	}
	return activeParams(space, chosen);
}

const sorted = (p: Params) => Object.entries(p).sort(([a], [b]) => a.localeCompare(b));

test('proposals of whole runs (60 trials) are the argmax of the reference scores, on a conditional, a mixed and an 8-D space', (t) => {
	for (const space of [conditionalSpace, { x: mixedSpace.x!, lr: mixedSpace.lr!, width: mixedSpace.width!, opt: mixedSpace.opt! }, floatSpace]) {
		for (const multivariate of [true, false]) {
			// the default (multivariate) on two seeds, the independent rule (one group per param) on one
			for (const seed of multivariate ? [0, 1] : [0]) {
				const config: TpeConfig = { kind: 'tpe', seed, n_startup: 10, multivariate, constant_liar: true, n_ei_candidates: 24, prior_weight: 1 };
				const trials: SearcherTrial[] = [];
				let checked = 0;
				while (trials.length < 60) {
					const result = new TpeSearcher(config).ask({ space, direction: 'minimize', trials, n: 1 });
					if (result.kind !== 'proposals') throw new Error('exhausted');
					const params = result.proposals[0]!.params;
					if (trials.length >= config.n_startup) {
						t.deepEqual(sorted(params), sorted(referenceProposal(t, space, config, trials)), `seed ${seed}, trial ${trials.length}`);
						checked++;
					}
					trials.push({ number: trials.length, params, status: 'complete', value: value(params) });
				}
				t.is(checked, 50);
			}
		}
	}
});
