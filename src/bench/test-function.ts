/** Test functions of the searcher benchmark: a space and a function to minimise with its known global minimum, or several objectives with a reference point. */
import type { ObjectiveDirection } from '../core/pareto.js';
import type { Params, Space } from '../core/space.js';

export interface TestFunction {
	readonly name: string;
	readonly space: Space;
	readonly evaluate: (params: Params) => number;
	readonly minimum: number;
}

/** A function with several objectives (and optionally a constraint), scored by the hypervolume of the feasible points found. */
export interface MultiObjectiveFunction {
	readonly kind: 'multi';
	readonly name: string;
	readonly space: Space;
	readonly directions: readonly ObjectiveDirection[];
	/** the objectives, and how far the point is from feasible (0: feasible) */
	readonly evaluate: (params: Params) => { readonly values: readonly number[]; readonly violation: number };
	/** the hypervolume's reference point, in the objectives' units */
	readonly reference: readonly number[];
	/** the hypervolume of the true Pareto front (its feasible part) against `reference` */
	readonly optimum: number;
}
