/**
 * The TPE's view of a space: each searchable param as a dimension in the estimator's internal
 * coordinates, and the params split into groups that are active together (group decomposition).
 *
 * Notation
 *   internal x   float: the value; log float: log value; int: the value on its step grid (kernels
 *                integrate over [x - step/2, x + step/2]); log int: log value, continuous over
 *                [log(low - step/2), log(high + step/2)] and rounded back onto the grid; categorical:
 *                the index of the choice
 *   range        high - low + step: the width a numeric kernel's bandwidth is measured against
 *   context(p)   the conjunction of p's condition and its parents' contexts: the configurations in
 *                which p is active. Unconditional params have the empty context.
 *   group        the params sharing one context, in activation order. Every configuration's active
 *                params are a union of groups, and a group's params are present in a trial all
 *                together or not at all, so each group gets its own joint (multivariate) estimator
 *                fitted to the trials where it is active. This is the structure Optuna's
 *                `group=True` infers from the trials seen; here it comes from the space itself.
 *   single       a param with one possible value: not searched, always that value
 */
import { activationOrder } from '../../src/core/conditions.js';
import { cardinality, type ParamValue, type Params, type SearchParam, type Space } from '../../src/core/space.js';

export type TpeDim =
	| {
			readonly kind: 'numeric';
			readonly name: string;
			readonly low: number;
			readonly high: number;
			/** 0 for continuous dims */
			readonly step: number;
			readonly param: SearchParam & { type: 'float' | 'int' };
	  }
	| { readonly kind: 'categorical'; readonly name: string; readonly choices: readonly ParamValue[] };

export interface TpeSpace {
	readonly groups: readonly (readonly TpeDim[])[];
	/** params with one possible value (fixed ones included), in space order */
	readonly singles: Readonly<Params>;
}

function intTop(param: { low: number; high: number; step?: number }): number {
	const step = param.step ?? 1;
	return param.low + Math.floor((param.high - param.low) / step) * step;
}

function dimOf(name: string, param: SearchParam): TpeDim {
	switch (param.type) {
		case 'categorical':
			return { kind: 'categorical', name, choices: param.choices };
		case 'float':
			return param.log ? { kind: 'numeric', name, low: Math.log(param.low), high: Math.log(param.high), step: 0, param } : { kind: 'numeric', name, low: param.low, high: param.high, step: 0, param };
		case 'int': {
			const step = param.step ?? 1;
			const top = intTop(param);
			if (!param.log) return { kind: 'numeric', name, low: param.low, high: top, step, param };
			return { kind: 'numeric', name, low: Math.log(Math.max(param.low - step / 2, param.low / 2)), high: Math.log(top + step / 2), step: 0, param };
		}
	}
}

/** A trial's value in internal coordinates, or undefined when it is not a value of this dim (the space changed). */
export function toInternal(dim: TpeDim, value: ParamValue | undefined): number | undefined {
	if (dim.kind === 'categorical') {
		const i = value === undefined ? -1 : dim.choices.indexOf(value);
		return i < 0 ? undefined : i;
	}
	if (typeof value !== 'number' || !(value >= dim.param.low && value <= dim.param.high)) return undefined;
	return dim.param.log ? Math.log(value) : value;
}

/** Internal coordinates -> a valid value (clipped into the range, rounded onto an int's grid). */
export function toExternal(dim: TpeDim, x: number): ParamValue {
	if (dim.kind === 'categorical') return dim.choices[Math.min(dim.choices.length - 1, Math.max(0, Math.round(x)))] as ParamValue;
	const { param } = dim;
	const v = param.log ? Math.exp(x) : x;
	if (param.type === 'float') return Math.min(param.high, Math.max(param.low, v));
	const step = param.step ?? 1;
	const k = Math.round((v - param.low) / step);
	return param.low + Math.min(Math.max(0, k), Math.round((intTop(param) - param.low) / step)) * step;
}

/** Canonical text of context(name): its own condition and its ancestors', sorted. */
function contextKey(space: Space, name: string, memo: Map<string, string[]>): string[] {
	const known = memo.get(name);
	if (known !== undefined) return known;
	const parts = new Set<string>();
	for (const [parent, allowed] of Object.entries(space[name]?.when ?? {})) {
		parts.add(`${parent}∈${JSON.stringify([...allowed].map(String).sort())}`);
		for (const part of contextKey(space, parent, memo)) parts.add(part);
	}
	const key = [...parts].sort();
	memo.set(name, key);
	return key;
}

/**
 * The space's searched params as TPE dims: one group per context (`multivariate`), or one group per
 * param (independent TPE). Groups follow the activation order, so parents come first.
 */
export function tpeSpace(space: Space, multivariate: boolean): TpeSpace {
	const singles: Params = {};
	const groups = new Map<string, TpeDim[]>();
	const memo = new Map<string, string[]>();
	for (const name of activationOrder(space)) {
		const param = space[name];
		if (param === undefined) continue;
		if (param.type === 'fixed') {
			singles[name] = param.value;
			continue;
		}
		if (cardinality(param) === 1) {
			singles[name] = param.type === 'categorical' ? (param.choices[0] as ParamValue) : param.low;
			continue;
		}
		const key = multivariate ? contextKey(space, name, memo).join('&') : name;
		const group = groups.get(key) ?? [];
		group.push(dimOf(name, param));
		groups.set(key, group);
	}
	return { groups: [...groups.values()], singles };
}
