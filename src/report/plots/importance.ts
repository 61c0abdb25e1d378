/**
 * Parameter importance: fANOVA first-order indices (Sobol main effects; Hutter et al. 2014) of the
 * posterior mean of a GP fitted to every complete search lifetime of the study (all arms but
 * meta-gradient ones). Lifetimes the pruner stopped are left out (their values are partial: fitted,
 * they would read as bad configurations) and counted apart in the caption.
 *
 * Notation
 *   f(x)      GP posterior mean of the reward at GP coordinates x (gp-posterior.ts), x uniform over
 *             the search space (unit interval per float, every value equally likely per int or choice)
 *   B         M = 256 background points x^(1..M): the seeded Kronecker sequence (searchers/gp/qmc.ts),
 *             discrete coordinates snapped to their values
 *   m_j(v)    mean over B of f with coordinate j set to v: the marginal mean of parameter j
 *   V_j       variance of m_j over v (G = 24 evenly spaced floats, or every discrete value up to 64)
 *   V         variance of all the f values computed for every m_j (d x G x M points, stratified in
 *             each coordinate in turn): the total variance of the fitted reward over the space
 *   S_j       V_j / V: the share of the variance explained by parameter j alone
 *   rest      max(0, 1 - sum_j S_j): interactions between parameters (and Monte Carlo error)
 *
 * Noise. The indices split the variance of the *fitted mean*; a lifetime's reward also varies with
 * its seed, and on a study where the parameters do nothing the GP still fits some shape to that
 * noise. So the chart shows every share as a share of the variance of a lifetime's reward:
 *   Y         the values of the search lifetimes the GP was fitted to; var(Y) their sample variance
 *   fit       at most 100 of those lifetimes (a seeded random sample beyond that: fitting the GP
 *             costs O(n^3) per step of its hyperparameter search: 100 points take about 1 s, 1000
 *             took 150 s on 2 shared cores); the caption and subtitle say so
 *   sigma2    the seed-to-seed variance: pooled sample variance within every set of >= 2 complete
 *             lifetimes of one configuration (re-evaluations, repeats), df = sum (n_g - 1); without
 *             such sets, the GP's fitted noise variance (df unknown)
 *   noise     min(1, sigma2 / var(Y)); a parameter's bar is S_j (1 - noise), interactions rest (1 - noise)
 *   verdict   with measured sigma2: F = var(Y) / sigma2 against F(n - 1, df) (Paulson's normal
 *             approximation); p >= 0.05 says the parameters' effect is indistinguishable from noise.
 *             With the GP's noise: indistinguishable when noise >= 0.5.
 */
import { discreteCoord } from '../../../searchers/gp/encoding.js';
import { kroneckerPoint, randomShift } from '../../../searchers/gp/qmc.js';
import { Rng } from '../../core/rng.js';
import { cumulativeStdNormalProbability } from 'simple-statistics';
import { dimensions, type Params } from '../../core/space.js';
import type { StoredStudy } from '../../study/view.js';
import { paramTitle, studyLifetimes, type ReportInput } from './data.js';
import { fitGp, type FittedGp } from './gp-posterior.js';
import { baseConfig, figure, skipped, type FigureOutcome, type VlSpec } from './spec.js';

type Effect = 'first-order effect' | 'interactions (1 - sum of first-order)' | 'noise (seed to seed)';

interface Importance {
	readonly name: string;
	readonly share: number;
	readonly effect: Effect;
}

/** Pooled within-configuration variance of complete lifetimes sharing params, and its degrees of freedom. */
function replicateNoise(values: readonly { params: Params; value: number }[]): { variance: number; df: number } | undefined {
	const groups = new Map<string, number[]>();
	for (const v of values) {
		const key = JSON.stringify(Object.entries(v.params).sort(([a], [b]) => (a < b ? -1 : 1)));
		const g = groups.get(key) ?? [];
		g.push(v.value);
		groups.set(key, g);
	}
	let ss = 0;
	let df = 0;
	for (const g of groups.values()) {
		if (g.length < 2) continue;
		const m = g.reduce((a, b) => a + b, 0) / g.length;
		ss += g.reduce((a, b) => a + (b - m) ** 2, 0);
		df += g.length - 1;
	}
	return df === 0 ? undefined : { variance: ss / df, df };
}

/** P(F(d1, d2) >= f) by Paulson's normal approximation. */
function fUpperTail(f: number, d1: number, d2: number): number {
	const a = 2 / (9 * d1);
	const b = 2 / (9 * d2);
	const c = Math.cbrt(f);
	const z = ((1 - b) * c - (1 - a)) / Math.sqrt(b * c * c + a);
	return 1 - cumulativeStdNormalProbability(z);
}

function sampleVariance(vs: readonly number[]): number {
	const m = vs.reduce((a, b) => a + b, 0) / vs.length;
	return vs.reduce((a, b) => a + (b - m) ** 2, 0) / (vs.length - 1);
}

const methodName = 'fANOVA first-order indices of a GP posterior mean';

/** First-order indices of the fitted mean; undefined when its variance over the space is ~0. */
function mainEffects(gp: FittedGp, samples = 256, levels = 24): Importance[] | undefined {
	const d = gp.dims.length;
	const shift = randomShift(new Rng(0).split('importance'), d);
	const background: Float64Array[] = [];
	for (let i = 0; i < samples; i++) {
		const x = kroneckerPoint(i, shift, new Float64Array(d));
		gp.dims.forEach((dim, j) => {
			if (dim.kind !== 'continuous') x[j] = discreteCoord(dim, Math.min(dim.size - 1, Math.floor((x[j] as number) * dim.size)));
		});
		background.push(x);
	}
	const pooled: number[] = [];
	const out: Importance[] = gp.dims.map((dim, j) => {
		const k = dim.kind === 'continuous' ? levels : Math.min(dim.size, 64);
		const values = Array.from({ length: k }, (_, g) => (dim.kind === 'continuous' ? (g + 0.5) / k : discreteCoord(dim, Math.round((g * (dim.size - 1)) / Math.max(1, k - 1)))));
		const marginal = values.map((v) => {
			let s = 0;
			for (const b of background) {
				const x = Float64Array.from(b);
				x[j] = v;
				const f = gp.predict(x).mean;
				pooled.push(f);
				s += f;
			}
			return s / background.length;
		});
		return { name: dim.name, share: variance(marginal), effect: 'first-order effect' as const };
	});
	const total = variance(pooled);
	if (!(total > 1e-12)) return undefined;
	for (const e of out) (e as { share: number }).share /= total;
	const sum = out.reduce((a, b) => a + b.share, 0);
	out.sort((a, b) => b.share - a.share);
	out.push({ name: '(interactions)', share: Math.max(0, 1 - sum), effect: 'interactions (1 - sum of first-order)' });
	return out;
}

function variance(vs: readonly number[]): number {
	const m = vs.reduce((a, b) => a + b, 0) / vs.length;
	return vs.reduce((a, b) => a + (b - m) ** 2, 0) / vs.length;
}

/** The most lifetimes the GP is fitted to (see Notation: fit). */
const maxFitted = 100;

/** `k` of `items`, drawn without replacement by a fixed seed (so the figure is the same on every read), in their order. */
function seededSample<T>(items: readonly T[], k: number): T[] {
	const rng = new Rng(0x5eed);
	const index = items.map((_, i) => i);
	for (let i = 0; i < k; i++) {
		const j = i + rng.int(index.length - i);
		[index[i], index[j]] = [index[j] as number, index[i] as number];
	}
	return index
		.slice(0, k)
		.sort((a, b) => a - b)
		.map((i) => items[i] as T);
}

export function importanceFigure(input: ReportInput, stored: StoredStudy): FigureOutcome | undefined {
	const dims = dimensions(stored.spec.space);
	if (dims.length < 2) return undefined;
	const multi = input.studies.length > 1;
	const id = multi ? `importance-${stored.spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : 'importance';
	const title = `Parameter importance${multi ? ` (${stored.spec.name})` : ''}`;
	const searched = studyLifetimes(input, stored).filter((l) => l.purpose === 'search' && l.role === 'search');
	const data = searched.filter((l) => l.pruned_at === undefined).map((l) => ({ params: l.params, value: l.value }));
	const stopped = searched.length - data.length;
	const leftOut = stopped === 0 ? '' : ` (${stopped} pruned ones left out: their values are partial)`;
	const minObs = Math.max(5, dims.length + 2);
	if (data.length < minObs) return skipped(id, title, `needs at least ${minObs} complete search lifetimes (has ${data.length}${stopped === 0 ? '' : `; ${stopped} pruned ones do not count`})`);
	const fitted = data.length > maxFitted ? seededSample(data, maxFitted) : data;
	const sampled = fitted.length < data.length ? ` (a seeded random sample of ${data.length})` : '';
	const gp = fitGp(stored.spec.space, stored.spec.direction, fitted, minObs);
	if (gp === undefined) return skipped(id, title, 'the GP fit failed on these lifetimes');
	const effects = mainEffects(gp);
	if (effects === undefined) return skipped(id, title, 'the fitted GP mean is flat over the space (no variance to attribute)');
	const replicates = replicateNoise(
		studyLifetimes(input, stored)
			.filter((l) => l.role === 'search' && l.pruned_at === undefined)
			.map((l) => ({ params: l.params, value: l.value })),
	);
	const total = sampleVariance(data.map((d) => d.value));
	const sigma2 = replicates?.variance ?? gp.noise;
	const noise = total > 0 ? Math.min(1, sigma2 / total) : 1;
	const p = replicates === undefined || !(sigma2 > 0) ? undefined : fUpperTail(total / sigma2, data.length - 1, replicates.df);
	const indistinguishable = p === undefined ? noise >= 0.5 : p >= 0.05;
	const pct = (x: number) => `${Math.round(100 * x)}%`;
	const noiseSource =
		replicates === undefined
			? `the GP's fitted noise (no configuration was run on several seeds)`
			: `${replicates.df} degrees of freedom from configurations run on several seeds (re-evaluations, repeats)`;
	const verdict = indistinguishable
		? `indistinguishable from noise${p === undefined ? '' : ` (F test p = ${p.toPrecision(2)})`}: the parameters' shares describe noise, not an effect`
		: `noise ${pct(noise)} of the variance${p === undefined ? '' : ` (F test of an effect: p = ${p.toPrecision(2)})`}`;
	const rows = [
		...effects.map((e) => ({ ...e, share: e.share * (1 - noise), label: e.name === '(interactions)' ? e.name : paramTitle(stored, e.name) })),
		{ name: '(noise)', share: noise, effect: 'noise (seed to seed)' as const, label: '(noise)' },
	];
	return figure({
		id,
		title,
		caption: `Method: ${methodName} (fANOVA, Hutter et al. 2014) fitted to ${gp.n} complete search lifetimes${sampled}${leftOut}: the share of the variance of a lifetime's reward that each parameter explains on its own (quasi-Monte Carlo over 256 background points), what only interactions explain, and the seed-to-seed noise (${noiseSource}). The parameters' shares split what is left after the noise. ${indistinguishable ? 'Signal: ' : ''}${verdict}.`,
		spec: {
			$schema: 'https://vega.github.io/schema/vega-lite/v6.json',
			title: { text: title, subtitle: [`method: ${methodName} (fANOVA), ${gp.n} lifetimes${sampled}`, indistinguishable ? `signal ${verdict}` : verdict] },
			config: baseConfig,
			width: 420,
			height: { step: 28 },
			data: { values: rows },
			mark: { type: 'bar' },
			encoding: {
				y: { field: 'label', type: 'nominal', title: 'Parameter', sort: rows.map((r) => r.label) },
				x: { field: 'share', type: 'quantitative', title: "Share of the variance of a lifetime's reward", axis: { format: '.0%' }, scale: { domain: [0, 1] } },
				color: {
					field: 'effect',
					type: 'nominal',
					title: 'Effect',
					scale: { domain: ['first-order effect', 'interactions (1 - sum of first-order)', 'noise (seed to seed)'], range: ['#4c78a8', '#bab0ac', '#e45756'] },
				},
				tooltip: [{ field: 'label' }, { field: 'share', format: '.1%' }],
			},
		} as VlSpec,
	});
}
