/**
 * Conditional spaces: which params of a space are active for a configuration.
 *
 * Notation
 *   when(p)        p's condition: parent name -> allowed values (absent = always active)
 *   active(p | x)  p has no condition, or for every parent q in when(p): active(q | x) and
 *                  x[q] in when(p)[q]
 *
 * The spec refuses cycles, conditions on float parents and values outside a parent's choices, so
 * `activationOrder` can list parents before children and one pass decides every param.
 */

import type { Condition, Params, ParamValue, Space } from './space.js';

/** True when any param of the space has a condition. */
export function isConditional(space: Space): boolean {
	return Object.values(space).some((param) => param.when !== undefined);
}

/** Orders computed, per space object (a space is not changed once parsed; replay asks once per asked record). */
const orders = new WeakMap<Space, readonly string[]>();

/** Param names with every parent before its children (space order otherwise). Throws on a cycle. */
export function activationOrder(space: Space): readonly string[] {
	const known = orders.get(space);
	if (known !== undefined) return known;
	const order: string[] = [];
	const state = new Map<string, 'visiting' | 'done'>();
	const visit = (name: string, path: readonly string[]): void => {
		const seen = state.get(name);
		if (seen === 'done') return;
		if (seen === 'visiting') throw new RangeError(`conditions form a cycle: ${[...path, name].join(' -> ')}`);
		state.set(name, 'visiting');
		for (const parent of Object.keys(space[name]?.when ?? {})) if (parent in space) visit(parent, [...path, name]);
		state.set(name, 'done');
		order.push(name);
	};
	for (const name of Object.keys(space)) visit(name, []);
	orders.set(space, order);
	return order;
}

/** Whether `name` is active given the values chosen so far (parents must already be in `params`). */
export function isActive(space: Space, name: string, params: Readonly<Record<string, ParamValue | undefined>>): boolean {
	const when: Condition | undefined = space[name]?.when;
	if (when === undefined) return true;
	for (const [parent, allowed] of Object.entries(when)) {
		const value = params[parent];
		if (value === undefined || !allowed.includes(value)) return false;
	}
	return true;
}

/** The params restricted to the active ones (inactive names dropped), in the space's order. */
export function activeParams(space: Space, params: Params): Params {
	const active = new Set<string>();
	const chosen: Record<string, ParamValue | undefined> = {};
	for (const name of activationOrder(space)) {
		if (!isActive(space, name, chosen)) continue;
		active.add(name);
		chosen[name] = params[name];
	}
	const out: Params = {};
	for (const name of Object.keys(space)) {
		const value = params[name];
		if (active.has(name) && value !== undefined) out[name] = value;
	}
	return out;
}
