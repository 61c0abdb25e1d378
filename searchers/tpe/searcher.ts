/**
 * The TPE searcher (tree-structured Parzen estimator), with Optuna 4.6's TPESampler as the reference:
 * random start-up, then per group of params a good estimator l(x) on the best trials and a bad one
 * g(x) on the rest; the proposal is the candidate drawn from l with the largest l(x) / g(x).
 *
 * Notation
 *   i             index of the proposal = trials.length + position in the batch
 *   rng_i         new Rng(seed).split(i): every random draw of proposal i
 *   finished      complete and pruned trials with a finite value (running and failed ones are not)
 *   n_startup     while finished < n_startup, proposal i is a uniform random point (rng_i)
 *   below/above   split.ts: gamma(finished) best finished trials / the rest (+ running ones and the
 *                 batch's earlier proposals under the constant liar)
 *   group         groups.ts: params active together; each is sampled from its own l and g, fitted
 *                 to the below/above trials in which the group is active (the others lack it); its
 *                 table holds every observed trial's coordinates, filled once per ask
 *   candidates    n_ei_candidates draws from l; the proposal takes argmax log l - log g per group,
 *                 and the trial's params are the active ones of the union (activeParams)
 *   taken         on a finite space, keys of every trial and earlier proposal: never proposed again
 *                 (the next-best candidate of the last group, else a random free point)
 *   several metrics  (request.directions) the good set by non-domination rank and hypervolume, and
 *                 l(x)'s observation weights by hypervolume contribution (split-multi.ts, MOTPE);
 *                 g(x) keeps the single-metric weights. A complete trial without a finite value per
 *                 metric is left out, like a non-finite value with one metric
 *   violation     infeasible trials (violation > 0) are bad unless too few feasible ones finished
 *                 (split.ts), and weigh 1e-12 in l(x) when they are good
 *   recommend     one metric: the best observed feasible trial; several: undefined (the answer is the
 *                 front, which the study computes, not one point)
 *
 * A function of the seed and the trials: nothing is kept between asks, so resume = replay, and a
 * batch of n equals n asks of one with the earlier proposals journaled as running.
 */
import { activeParams, isConditional } from '../../src/core/conditions.js';
import { Rng } from '../../src/core/rng.js';
import { decode, dimensions, paramsKey, spaceSize, type Params, type Space } from '../../src/core/space.js';
import { bestObserved, lossSign } from '../common.js';
import type { TpeConfig } from '../config.js';
import { enumerateSpace } from '../enumerate.js';
import type { AskRequest, AskResult, Proposal, Recommendation, Searcher, SearcherTrial } from '../searcher.js';
import { type TpeDim, type TpeSpace, toExternal, toInternal, tpeSpace } from './groups.js';
import { Parzen } from './parzen.js';
import { observationWeights, type SplitTrial, splitTrials } from './split.js';
import { goodWeights } from './split-multi.js';

/** Finite spaces up to this size are enumerated to count their valid (condition-consistent) configurations. */
const maxCounted = 100_000;
const maxRedraws = 1000;

/** A trial as the TPE uses it: its split state and its slot in the groups' coordinate tables. */
interface Observed extends SplitTrial {
	readonly slot: number;
}

/**
 * Per group, the internal coordinates of every observed trial (slot s: row s of `coords`) and
 * whether the group is active in it, filled once per ask.
 */
interface GroupTable {
	readonly coords: Float64Array;
	readonly active: Uint8Array;
}

interface Context {
	readonly space: Space;
	readonly tpe: TpeSpace;
	readonly conditional: boolean;
	/** valid configurations (Infinity for a continuous space) */
	readonly size: number;
	/** undefined on an infinite space (no duplicate checks) */
	readonly taken: Set<string> | undefined;
}

export class TpeSearcher implements Searcher {
	readonly kind = 'tpe' as const;
	constructor(readonly config: TpeConfig) {}

	ask(request: AskRequest): AskResult {
		const { space } = request;
		const tpe = tpeSpace(space, this.config.multivariate);
		const conditional = isConditional(space);
		const size = validSize(space, conditional);
		const taken = Number.isFinite(size) ? new Set(request.trials.map((t) => paramsKey(space, t.params))) : undefined;
		const ctx: Context = { space, tpe, conditional, size, taken };
		const sign = lossSign(request.direction);
		const signs = request.directions?.map(lossSign);
		const tables = tpe.groups.map((dims) => ({ coords: new Float64Array((request.trials.length + request.n) * dims.length), active: new Uint8Array(request.trials.length + request.n) }));
		const observed: Observed[] = [];
		request.trials.forEach((t, order) => {
			const o = observe(t, order, this.config.constant_liar, sign, signs);
			if (o === undefined) return;
			const slot = observed.length;
			fillSlot(tpe, tables, slot, t.params);
			observed.push({ ...o, slot });
		});
		const proposals: Proposal[] = [];
		for (let b = 0; b < request.n; b++) {
			if (taken !== undefined && taken.size >= size) break;
			const index = request.trials.length + b;
			const params = this.proposeOne(ctx, tables, observed, index);
			taken?.add(paramsKey(space, params));
			if (this.config.constant_liar) {
				fillSlot(tpe, tables, observed.length, params);
				observed.push({ order: index, state: 'running', loss: Number.NaN, slot: observed.length });
			}
			proposals.push({ params });
		}
		return proposals.length === 0 ? { kind: 'exhausted' } : { kind: 'proposals', proposals };
	}

	private proposeOne(ctx: Context, tables: readonly GroupTable[], observed: readonly Observed[], index: number): Params {
		const rng = new Rng(this.config.seed).split(index);
		const finished = observed.filter((o) => o.state !== 'running').length;
		if (finished < this.config.n_startup) return randomPoint(ctx, rng);
		const { below, above } = splitTrials(observed);
		// several metrics: l(x)'s weights by hypervolume contribution (split-multi.ts), else by trial order
		const belowWeights = observed.some((o) => o.losses !== undefined)
			? goodWeights(
					below.map((o) => o.losses),
					below.map((o) => !((o.violation ?? 0) > 0)),
				)
			: undefined;
		const chosen: Params = { ...ctx.tpe.singles };
		// per group: its candidates in decreasing acquisition order (for a taken point's next best)
		let lastRanked: Params[] = [];
		ctx.tpe.groups.forEach((dims, g) => {
			const ranked = this.rankCandidates(dims, tables[g]!, below, above, rng, belowWeights);
			Object.assign(chosen, ranked[0]);
			lastRanked = ranked;
		});
		const finish = (params: Params): Params => ordered(ctx, params);
		const first = finish(chosen);
		if (ctx.taken === undefined || !ctx.taken.has(paramsKey(ctx.space, first))) return first;
		for (const alternative of lastRanked.slice(1)) {
			const params = finish({ ...chosen, ...alternative });
			if (!ctx.taken.has(paramsKey(ctx.space, params))) return params;
		}
		return randomPoint(ctx, rng);
	}

	/** Group g's candidates (as param values), best acquisition first (ties: the earlier draw). */
	private rankCandidates(dims: readonly TpeDim[], table: GroupTable, below: readonly Observed[], above: readonly Observed[], rng: Rng, belowWeights: Float64Array | undefined): Params[] {
		const settings = { priorWeight: this.config.prior_weight, multivariate: this.config.multivariate };
		const l = estimator(dims, table, below, settings, belowWeights);
		const bad = estimator(dims, table, above, settings);
		const count = this.config.n_ei_candidates;
		const xs = l.sample(rng, count);
		const lBelow = l.logPdf(xs, count);
		const lAbove = bad.logPdf(xs, count);
		const d = dims.length;
		const order = Array.from({ length: count }, (_, c) => c).sort((a, b) => acquisition(lBelow, lAbove, b) - acquisition(lBelow, lAbove, a) || a - b);
		return order.map((c) => {
			const params: Params = {};
			dims.forEach((dim, j) => {
				params[dim.name] = toExternal(dim, xs[c * d + j]!);
			});
			return params;
		});
	}

	recommend(request: Omit<AskRequest, 'n'>): Recommendation | undefined {
		return request.directions === undefined ? bestObserved(request) : undefined;
	}
}

function acquisition(lBelow: Float64Array, lAbove: Float64Array, c: number): number {
	const v = lBelow[c]! - lAbove[c]!;
	return Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v;
}

/**
 * The Parzen estimator of a group over the trials in which it is active, weighted by trial order, or
 * by `weights` (one per trial, the inactive ones' dropped with them).
 */
function estimator(dims: readonly TpeDim[], table: GroupTable, trials: readonly Observed[], settings: { priorWeight: number; multivariate: boolean }, weights?: Float64Array): Parzen {
	const d = dims.length;
	const active = trials.flatMap((t, i) => (table.active[t.slot] === 1 ? [i] : []));
	const obs = new Float64Array(active.length * d);
	active.forEach((i, j) => {
		const slot = trials[i]!.slot;
		obs.set(table.coords.subarray(slot * d, (slot + 1) * d), j * d);
	});
	return new Parzen(dims, obs, weights === undefined ? observationWeights(active.length) : Float64Array.from(active, (i) => weights[i]!), settings);
}

/** A trial as the split sees it, or undefined when it does not count (failed, no finite value per metric, running without the liar). */
function observe(t: SearcherTrial, order: number, constantLiar: boolean, sign: 1 | -1, signs: readonly (1 | -1)[] | undefined): SplitTrial | undefined {
	const state = splitState(t, constantLiar);
	if (state === undefined) return undefined;
	if (state === 'running') return { order, state, loss: Number.NaN };
	const violation = t.violation ?? 0;
	if (signs === undefined || state === 'pruned') return { order, state, loss: sign * (t.value as number), violation };
	const values = t.values;
	if (values === undefined || values.length !== signs.length || !values.every(Number.isFinite)) return undefined;
	return { order, state, loss: sign * (t.value as number), losses: signs.map((k, j) => k * values[j]!), violation };
}

function splitState(t: SearcherTrial, constantLiar: boolean): SplitTrial['state'] | undefined {
	switch (t.status) {
		case 'running':
			return constantLiar ? 'running' : undefined;
		case 'failed':
			return undefined;
		case 'complete':
			if (typeof t.value !== 'number' || !Number.isFinite(t.value)) return undefined;
			return t.pruned === true ? 'pruned' : 'complete';
	}
}

/** Per group, the trial's internal coordinates into row `slot`; the group counts as active unless a param of it is absent (inactive) or not valid any more. */
function fillSlot(tpe: TpeSpace, tables: readonly GroupTable[], slot: number, params: Params): void {
	tpe.groups.forEach((dims, g) => {
		const table = tables[g]!;
		const d = dims.length;
		for (let j = 0; j < d; j++) {
			const x = toInternal(dims[j]!, params[dims[j]!.name]);
			if (x === undefined) return;
			table.coords[slot * d + j] = x;
		}
		table.active[slot] = 1;
	});
}

/** The params in the space's order, restricted to the active ones on a conditional space. */
function ordered(ctx: Context, params: Params): Params {
	if (ctx.conditional) return activeParams(ctx.space, params);
	const out: Params = {};
	for (const name of Object.keys(ctx.space)) {
		const v = params[name];
		if (v !== undefined) out[name] = v;
	}
	return out;
}

/** A uniform random configuration (log-uniform for log params), not taken on a finite space. */
function randomPoint(ctx: Context, rng: Rng): Params {
	const d = dimensions(ctx.space).length;
	const u = new Float64Array(d);
	for (let attempt = 0; attempt <= maxRedraws; attempt++) {
		for (let j = 0; j < d; j++) u[j] = rng.next();
		const params = ordered(ctx, decode(ctx.space, u));
		if (ctx.taken === undefined || !ctx.taken.has(paramsKey(ctx.space, params))) return params;
	}
	const taken = ctx.taken as Set<string>;
	const free = validConfigurations(ctx.space, ctx.conditional).filter((p) => !taken.has(paramsKey(ctx.space, p)));
	return free[rng.int(free.length)] as Params;
}

/** Every configuration of a finite space, restricted to its active params and deduplicated. */
function validConfigurations(space: Space, conditional: boolean): Params[] {
	const all = enumerateSpace(space);
	if (!conditional) return all;
	const seen = new Map<string, Params>();
	for (const p of all) {
		const active = activeParams(space, p);
		seen.set(paramsKey(space, active), active);
	}
	return [...seen.values()];
}

/** How many distinct configurations the space has (a conditional space's inactive params collapse). */
function validSize(space: Space, conditional: boolean): number {
	const size = spaceSize(space);
	if (!conditional || !Number.isFinite(size) || size > maxCounted) return size;
	return validConfigurations(space, conditional).length;
}
