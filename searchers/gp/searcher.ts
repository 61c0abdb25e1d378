/**
 * The Gaussian-process searcher: quasi-random start-up, then the point maximising the acquisition
 * (log-EI by default, UCB as an option) under a Matern-5/2 ARD GP fitted to the completed trials,
 * with running trials (and earlier proposals of the same batch) as kriging-believer fantasies.
 *
 * Notation
 *   i             index of the proposal = trials.length + position in the batch
 *   n_startup     quasi-random start-up points (default max(10, 2 d))
 *   rng_i         new Rng(seed).split(i): every random choice of proposal i (candidate shift, ...)
 *   taken         paramsKey of every trial and earlier proposal: never proposed again on a discrete space
 *   incumbent     best = min posterior mean over evaluated and fantasised points (standardised), for log-EI
 *   recommend     the evaluated feasible point with the lowest posterior mean of the loss; with
 *                 several metrics undefined (the answer is the front, which the study computes)
 *   loss          scalarise.ts: sign * value with one metric; with several, proposal i models the
 *                 ParEGO scalarisation with its own random weights
 *   constraints   once a trial is infeasible, with log-EI: the loss GP is fitted to the feasible trials
 *                 and log-EI is added to log P(feasible) under a second GP on the violations
 *                 (feasibility.ts, constrained EI); with UCB, infeasible trials penalised (scalarise.ts)
 *
 * Conditional spaces (conditional.ts): inactive dims are imputed (a float or int dim at the middle of
 * its range, a categorical one as a category of its own) for the model and the acquisition, and
 * dropped from the proposal; `taken` and the finite size count valid configurations only.
 *
 * A batch of n is n single proposals, each seeing the earlier ones as running trials, so asking for
 * n at once and asking n times (with the earlier proposals journaled as running) agree exactly.
 * Same seed and same trials give the same proposal: nothing is kept between calls but a pure cache.
 * The kernel parameters of every fit a proposal needed and the journal does not hold yet go with it
 * (`Proposal.fits`, model.ts FitMemo), and recorded ones are read back (`AskRequest.fits`), so the
 * first ask of a fresh process reads its fit instead of recomputing the chain of earlier fits.
 */
import { NumericalError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { isConditional } from '../../src/core/conditions.js';
import { paramsKey, type Params, type Space } from '../../src/core/space.js';
import { feasible, lossSign } from '../common.js';
import type { GpConfig } from '../config.js';
import { configurationCount, enumerateSpace } from '../enumerate.js';
import type { AskRequest, AskResult, Proposal, Recommendation, Searcher, SearcherTrial } from '../searcher.js';
import { feasibilityOnly, logEi, ucb, type Acquisition } from './acquisition.js';
import { ImputingEvaluator, pointParams, validStart } from './conditional.js';
import { encodeParams, gpDims, snapUnit, type GpDim } from './encoding.js';
import { type Feasibility, feasibilityModel } from './feasibility.js';
import { Posterior } from './gp.js';
import { type FitMemo, fitFirst, withFantasies, type Observations } from './model.js';
import { AcqEvaluator, optimizeAcquisition } from './optimize.js';
import { kroneckerPoint, randomShift } from './qmc.js';
import { modelled, paregoWeights, scalarLosses } from './scalarise.js';

const defaultCandidates = 1024;

export function defaultStartup(d: number): number {
	return Math.max(10, 2 * d);
}

interface Context {
	readonly space: Space;
	readonly dims: GpDim[];
	readonly size: number;
	readonly taken: Set<string>;
}

export class GpSearcher implements Searcher {
	readonly kind = 'gp' as const;
	/** `fit` replaces the model fit (tests use it to make the fit fail and check the fallback). */
	constructor(
		readonly config: GpConfig,
		private readonly fit: typeof fitFirst = fitFirst,
	) {}

	ask(request: AskRequest): AskResult {
		const { space } = request;
		const dims = gpDims(space);
		const ctx: Context = { space, dims, size: configurationCount(space), taken: new Set(request.trials.map((t) => paramsKey(space, t.params))) };
		const done = modelled(this.observed(request.trials), request.directions);
		// under constraints with log-EI: the objective GP on the feasible trials, a second GP on the violations (feasibility.ts)
		const constrained = this.config.acquisition !== 'ucb' && done.some((t) => !feasible(t));
		const modelledObjective = constrained ? done.filter(feasible) : done;
		const violations = constrained ? violationObservations(done, dims) : undefined;
		const single = request.directions === undefined ? observations(modelledObjective, dims, scalarLosses(modelledObjective, request.direction, undefined, undefined)) : undefined;
		const pending: Float64Array[] = request.trials.filter((t) => t.status === 'running').map((t) => encodeParams(dims, t.params));
		const proposals: Proposal[] = [];
		// fits recorded so far, plus those an earlier proposal of this batch adds
		const known = new Map(request.fits ?? []);
		for (let b = 0; b < request.n; b++) {
			if (ctx.taken.size >= ctx.size) break;
			const memo: FitMemo = { known, added: [] };
			const index = request.trials.length + b;
			const obs =
				single ?? observations(modelledObjective, dims, scalarLosses(modelledObjective, request.direction, request.directions, paregoWeights(this.config.seed, index, request.directions!.length)));
			const proposal = this.proposeOne(ctx, obs, violations, pending, index, memo);
			for (const fit of memo.added) known.set(fit.key, fit.theta);
			ctx.taken.add(paramsKey(space, proposal.params));
			pending.push(encodeParams(dims, proposal.params));
			proposals.push(memo.added.length === 0 ? proposal : { ...proposal, fits: memo.added });
		}
		return proposals.length === 0 ? { kind: 'exhausted' } : { kind: 'proposals', proposals };
	}

	/** The trials the model is fitted to: pruned ones (partial values) too, unless `pruned: ignore`. */
	private observed(trials: readonly SearcherTrial[]): readonly SearcherTrial[] {
		return this.config.pruned === 'ignore' ? trials.filter((t) => t.pruned !== true) : trials;
	}

	private proposeOne(ctx: Context, obs: Observations, violations: Observations | undefined, pending: readonly Float64Array[], index: number, memo: FitMemo): Proposal {
		const d = ctx.dims.length;
		const nStartup = this.config.n_startup ?? defaultStartup(d);
		if (index < nStartup || d === 0 || (violations === undefined ? obs.n : violations.n) < 2) return { params: this.quasiRandom(ctx, index) };
		try {
			const rng = new Rng(this.config.seed).split(index);
			const extraStarts: Float64Array[] = [];
			let posterior: Posterior;
			let acq: Acquisition;
			if (obs.n >= 2) {
				const { data, fit } = this.fit(obs, obs.n, ctx.dims, memo);
				const base = new Posterior(data, fit.hyper);
				const means = base.trainMeans();
				let best = Number.POSITIVE_INFINITY;
				let bestI = 0;
				means.forEach((m, i) => {
					if (m < best) {
						best = m;
						bestI = i;
					}
				});
				posterior = withFantasies(base, pending);
				// Kriging believer: the fantasised outcomes count as observed, incumbent included, so
				// log-EI is ~0 next to a pending point instead of pointing at it again.
				const fantasyMeans = posterior.trainMeans();
				for (let i = data.n; i < fantasyMeans.length; i++) best = Math.min(best, fantasyMeans[i]!);
				acq = this.config.acquisition === 'ucb' ? ucb(this.config.ucb_beta) : logEi(best);
				const incumbent = validStart(ctx.dims, data.xs.slice(bestI * d, bestI * d + d));
				extraStarts.push(Float64Array.from(incumbent, (v, j) => (ctx.dims[j]!.kind === 'continuous' ? Math.min(1, Math.max(0, v + 1e-3 * (rng.next() - 0.5))) : v)));
			}
			const feasibility = violations === undefined ? undefined : feasibilityModel(violations, ctx.dims, pending, memo);
			if (obs.n < 2) {
				// constrained, fewer than two feasible trials: log PF alone (feasibility.ts)
				posterior = (feasibility as Feasibility).posterior;
				acq = feasibilityOnly;
			}
			const evaluator = isConditional(ctx.space) ? new ImputingEvaluator(posterior!, acq!, ctx.space, ctx.dims, feasibility) : new AcqEvaluator(posterior!, acq!, d, feasibility);
			const result = optimizeAcquisition(evaluator, ctx.dims, (x) => !ctx.taken.has(paramsKey(ctx.space, pointParams(ctx.space, ctx.dims, x))), rng, {
				candidates: defaultCandidates,
				nLocal: 5,
				extraStarts,
				enumerateUpTo: 4096,
			});
			if (result === undefined) return { params: this.quasiRandom(ctx, index), note: 'gp: no allowed point found by the acquisition search; quasi-random point instead' };
			return { params: pointParams(ctx.space, ctx.dims, result.x) };
		} catch (error) {
			if (!(error instanceof NumericalError)) throw error;
			return { params: this.quasiRandom(ctx, index), note: `gp: model fit failed (${error.message}); quasi-random point instead` };
		}
	}

	/** Start-up / fallback: point `index` of the seeded Kronecker sequence, skipping taken points. */
	private quasiRandom(ctx: Context, index: number): Params {
		const d = ctx.dims.length;
		const shift = randomShift(new Rng(this.config.seed).split('startup'), d);
		const u = new Float64Array(d);
		for (let k = 0; k < 1000; k++) {
			const params = pointParams(ctx.space, ctx.dims, snapUnit(ctx.dims, kroneckerPoint(index + k * 7919, shift, u)));
			if (!ctx.taken.has(paramsKey(ctx.space, params))) return params;
		}
		const free = enumerateSpace(ctx.space).filter((p) => !ctx.taken.has(paramsKey(ctx.space, p)));
		return free[new Rng(this.config.seed).split(index).int(free.length)] as Params;
	}

	recommend(request: Omit<AskRequest, 'n'>): Recommendation | undefined {
		if (request.directions !== undefined) return undefined;
		const dims = gpDims(request.space);
		const done = modelled(this.observed(request.trials), undefined);
		if (!done.some(feasible)) return undefined;
		const obs = observations(done, dims, scalarLosses(done, request.direction, undefined, undefined));
		const bestObservedOf = (basis: string): Recommendation => {
			const sign = lossSign(request.direction);
			const best = done.filter(feasible).reduce((a, b) => (sign * b.value < sign * a.value ? b : a));
			return { params: best.params, basis };
		};
		if (obs.n < 2 || dims.length === 0) return bestObservedOf('best observed');
		try {
			const { data, fit } = fitFirst(obs, obs.n, dims, { known: request.fits ?? new Map(), added: [] });
			const means = new Posterior(data, fit.hyper).trainMeans();
			let bestI = -1;
			means.forEach((m, i) => {
				if (feasible(done[i]!) && (bestI < 0 || m < means[bestI]!)) bestI = i;
			});
			return { params: done[bestI]!.params, basis: 'best posterior mean' };
		} catch (error) {
			if (!(error instanceof NumericalError)) throw error;
			return bestObservedOf('best observed (gp fit failed)');
		}
	}
}

/** Every modelled trial's violation (0 when feasible), for the constraint GP. */
function violationObservations(done: readonly SearcherTrial[], dims: readonly GpDim[]): Observations {
	return {
		...observations(
			done,
			dims,
			Float64Array.from(done, (t) => t.violation ?? 0),
		),
		tag: 'violation',
	};
}

/** The modelled trials (scalarise.ts `modelled`) and their losses -> GP coordinates and losses, in the order asked. */
function observations(done: readonly SearcherTrial[], dims: readonly GpDim[], losses: Float64Array): Observations {
	const d = dims.length;
	const xs = new Float64Array(done.length * d);
	done.forEach((t, i) => {
		xs.set(encodeParams(dims, t.params), i * d);
	});
	return { xs, losses, n: done.length };
}
