/**
 * Every point of a finite space (ints and categoricals only), in mixed-radix order (last dim fastest).
 * Used by searchers that must avoid duplicates when the space is nearly full.
 *
 * Conditional spaces (core/conditions.ts): only valid configurations, each once. A depth-first walk
 * over the params in activation order (parents first, otherwise space order) branches on a param's
 * values only where it is active, so two points never differ in inactive params alone. Without
 * conditions the walk visits exactly the mixed-radix order above.
 *
 * Notation
 *   values_j   every value of searchable dim j (cardinality(param) of them)
 *   N          configurations: prod_j |values_j| without conditions; with them, the number of leaves
 *              of the walk (at most that product)
 */
import { activationOrder, isActive, isConditional } from '../src/core/conditions.js';
import { InputError } from '../src/core/errors.js';
import { cardinality, dimensions, spaceSize, type ParamValue, type Params, type SearchParam, type Space } from '../src/core/space.js';

const maxEnumerated = 1_000_000;

export function enumerateSpace(space: Space): Params[] {
	const size = spaceSize(space);
	if (!Number.isFinite(size) || size > maxEnumerated) throw new InputError(`space has ${size} points; too many to enumerate`);
	if (isConditional(space)) return walkActive(space, (param) => valuesOf(param));
	const dims = dimensions(space);
	const lists: ParamValue[][] = dims.map(({ param }) => valuesOf(param));
	const out: Params[] = [];
	for (let k = 0; k < size; k++) {
		const params: Params = {};
		let rest = k;
		const values: ParamValue[] = new Array<ParamValue>(dims.length);
		for (let j = dims.length - 1; j >= 0; j--) {
			const list = lists[j] as ParamValue[];
			values[j] = list[rest % list.length] as ParamValue;
			rest = Math.floor(rest / list.length);
		}
		let j = 0;
		for (const [name, param] of Object.entries(space)) params[name] = param.type === 'fixed' ? param.value : (values[j++] as ParamValue);
		out.push(params);
	}
	return out;
}

/**
 * Distinct configurations of a space: `spaceSize` without conditions; with them, the valid ones
 * (counted by the walk when the unconditional product is at most `maxEnumerated`, else that product,
 * an upper bound) and Infinity when a float can be active.
 */
export function configurationCount(space: Space): number {
	const size = spaceSize(space);
	if (!isConditional(space) || !Number.isFinite(size) || size > maxEnumerated) return size;
	const json = JSON.stringify(space);
	if (lastCount?.json !== json) lastCount = { json, count: walkActive(space, (param) => valuesOf(param)).length };
	return lastCount.count;
}

/** The last space counted (a pure cache: searchers ask about one space again and again). */
let lastCount: { readonly json: string; readonly count: number } | undefined;

/**
 * Every valid configuration whose searchable values come from `valuesFor` (all values, or a grid's),
 * in walk order: parents vary slowest, the last active param fastest. Inactive params are absent.
 */
export function walkActive(space: Space, valuesFor: (param: SearchParam, name: string) => readonly ParamValue[]): Params[] {
	const order = activationOrder(space);
	const names = Object.keys(space);
	const out: Params[] = [];
	const chosen: Record<string, ParamValue | undefined> = {};
	const visit = (i: number): void => {
		if (i === order.length) {
			const params: Params = {};
			for (const name of names) if (chosen[name] !== undefined) params[name] = chosen[name] as ParamValue;
			out.push(params);
			return;
		}
		const name = order[i] as string;
		const param = space[name];
		if (param === undefined || !isActive(space, name, chosen)) {
			chosen[name] = undefined;
			visit(i + 1);
			return;
		}
		for (const v of param.type === 'fixed' ? [param.value] : valuesFor(param, name)) {
			chosen[name] = v;
			visit(i + 1);
		}
		chosen[name] = undefined;
	};
	visit(0);
	return out;
}

/** Every value of a finite searchable param (a float only when low = high). */
function valuesOf(param: SearchParam): ParamValue[] {
	switch (param.type) {
		case 'float':
			return [param.low];
		case 'int': {
			const step = param.step ?? 1;
			return Array.from({ length: cardinality(param) }, (_, i) => param.low + i * step);
		}
		case 'categorical':
			return [...param.choices];
	}
}
