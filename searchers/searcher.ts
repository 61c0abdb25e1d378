/**
 * The searcher contract. The study runner drives every searcher through this interface and never
 * knows which one it has.
 *
 * A searcher keeps no state of its own that is not derived from (a) its settings, including its
 * seed, and (b) the trials passed to `ask`. That is what makes resume = replay: after a restart the
 * runner replays the journal into `trials` and the searcher continues exactly where it was.
 *
 * Notation
 *   trials   every trial of this searcher's arm so far, in the order asked (running ones included)
 *   n        how many new configurations the runner wants now (>= 1)
 *   fits     model fits recorded with earlier proposals (the GP's kernel parameters), by key: a
 *            searcher returns the fits a proposal needed that were not recorded yet (`Proposal.fits`),
 *            the runner records them with the trial and hands every recorded one back, so a fresh
 *            process reads them instead of recomputing them. A pure cache kept in the journal: with
 *            or without them the searcher proposes the same points, and which fits it returns
 *            depends on the trials and `fits` only
 *   directions   a study with several metrics (m >= 2): one direction per metric, and each complete
 *            trial carries `values` (one per metric, in that order); `direction` is then
 *            directions[0] and `value` values[0], so a searcher that does not model several
 *            objectives (grid, random) works unchanged. Dominance, fronts and the hypervolume are
 *            in src/core/pareto.ts
 *   violation    how far a complete trial is from meeting the study's constraints: 0 (or absent)
 *            feasible, > 0 infeasible (the sum of the amounts by which each constraint is missed,
 *            in the fields' units), as Optuna's constraints_func summed over positive parts; a
 *            searcher must never recommend an infeasible trial and should prefer feasible ones
 */
import type { ObjectiveDirection } from '../src/core/pareto.js';
import type { Params, Space } from '../src/core/space.js';

const searcherKinds = ['grid', 'random', 'gp', 'tpe'] as const;
export type SearcherKind = (typeof searcherKinds)[number];

export type Direction = ObjectiveDirection;

type TrialStatus = 'running' | 'complete' | 'failed';

/** What a searcher may see of one trial. */
export interface SearcherTrial {
	readonly number: number;
	readonly params: Params;
	readonly status: TrialStatus;
	/** The objective value (only for `complete`); with several metrics, values[0]. */
	readonly value?: number;
	/** One value per metric (only for `complete`, only in a study with several metrics; see the notation). */
	readonly values?: readonly number[];
	/** Constraint violation of a complete trial: 0 or absent = feasible, > 0 infeasible (see the notation). */
	readonly violation?: number;
	/** a pruner stopped (a lifetime of) this configuration early: `value` is its last reported, partial value */
	readonly pruned?: boolean;
}

export interface AskRequest {
	readonly space: Space;
	readonly direction: Direction;
	/** present (length >= 2) only in a study with several metrics; directions[0] === direction */
	readonly directions?: readonly Direction[];
	readonly trials: readonly SearcherTrial[];
	readonly n: number;
	/** fits recorded so far: key -> parameters (see the notation) */
	readonly fits?: ReadonlyMap<string, readonly number[]>;
}

/** A model fit to record: its key (a digest of the data it was fitted to) and its parameters. */
export interface RecordedFit {
	readonly key: string;
	readonly theta: readonly number[];
}

export interface Proposal {
	readonly params: Params;
	/** Anything the trial record should carry about how the point was chosen (e.g. a GP fallback). */
	readonly note?: string;
	/** fits this proposal needed that `AskRequest.fits` did not hold, to be recorded with it */
	readonly fits?: readonly RecordedFit[];
}

export type AskResult = { readonly kind: 'proposals'; readonly proposals: readonly Proposal[] } | { readonly kind: 'exhausted' };

export interface Recommendation {
	readonly params: Params;
	/** How it was chosen, e.g. "best observed" or "best posterior mean". */
	readonly basis: string;
}

export interface Searcher {
	readonly kind: SearcherKind;
	/** Propose up to `n` new configurations given every trial so far, or say the space is exhausted. */
	ask(request: AskRequest): AskResult;
	/**
	 * The configuration this searcher would pick as its answer from the trials so far. Optional:
	 * without it the runner takes the best observed complete trial.
	 */
	recommend?(request: Omit<AskRequest, 'n'>): Recommendation | undefined;
}
