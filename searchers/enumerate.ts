/**
 * Every point of a finite space (ints and categoricals only), in mixed-radix order (last dim fastest).
 * Used by searchers that must avoid duplicates when the space is nearly full.
 *
 * Notation
 *   values_j   every value of searchable dim j (cardinality(param) of them)
 */
import { InputError } from '../src/core/errors.js';
import { cardinality, dimensions, spaceSize, type ParamValue, type Params, type SearchParam, type Space } from '../src/core/space.js';

const maxEnumerated = 1_000_000;

export function enumerateSpace(space: Space): Params[] {
	const size = spaceSize(space);
	if (!Number.isFinite(size) || size > maxEnumerated) throw new InputError(`space has ${size} points; too many to enumerate`);
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
