/**
 * Between a study's params and the GP's input coordinates, built on the shared unit-cube transforms
 * of src/space.ts.
 *
 * Notation
 *   dims        the space's searchable params, in order; d = dims.length
 *   x           Float64Array(d), the GP coordinates:
 *                 float        toUnit (log params in log space)
 *                 int          toUnit of the value: the centre of its share of the padded range;
 *                              always one of the K valid values (x is never between two ints)
 *                 categorical  the choice index 0..K-1 (the kernel compares these by equality)
 *   K_j         number of values of a discrete dim j
 *
 * An inactive param of a conditional space (absent from the params) is imputed: a float or int dim at
 * x_j = 0.5 (the middle of its range), a categorical dim at -1, a category of its own (the kernel
 * compares categories by equality). See conditional.ts.
 */
import { cardinality, dimensions, fromUnit, toUnit, type Dimension, type IntParam, type Params, type Space } from '../../src/core/space.js';

type DimKind = 'continuous' | 'int' | 'categorical';

export interface GpDim extends Dimension {
	readonly kind: DimKind;
	/** Number of values for discrete dims (Infinity for continuous). */
	readonly size: number;
}

export function gpDims(space: Space): GpDim[] {
	return dimensions(space).map(gpDim);
}

function gpDim(dim: Dimension): GpDim {
	switch (dim.param.type) {
		case 'float':
			return { ...dim, kind: 'continuous', size: cardinality(dim.param) === 1 ? 1 : Number.POSITIVE_INFINITY };
		case 'int':
			return { ...dim, kind: 'int', size: cardinality(dim.param) };
		case 'categorical':
			return { ...dim, kind: 'categorical', size: dim.param.choices.length };
	}
}

export function catMask(dims: readonly GpDim[]): Uint8Array {
	return Uint8Array.from(dims, (d) => (d.kind === 'categorical' ? 1 : 0));
}

/** The coordinate of value index k of a discrete dim. */
export function discreteCoord(dim: GpDim, k: number): number {
	switch (dim.kind) {
		case 'categorical':
			return k;
		case 'int': {
			const p = dim.param as IntParam;
			return toUnit(p, p.low + k * (p.step ?? 1));
		}
		case 'continuous':
			throw new RangeError(`dim ${dim.name} is continuous`);
	}
}

/** The value index of the discrete dim's coordinate nearest to unit position u in [0, 1]. */
export function discreteIndexAt(dim: GpDim, u: number): number {
	switch (dim.kind) {
		case 'categorical':
			return Math.min(dim.size - 1, Math.max(0, Math.floor(u * dim.size)));
		case 'int': {
			const p = dim.param as IntParam;
			return Math.round(((fromUnit(p, u) as number) - p.low) / (p.step ?? 1));
		}
		case 'continuous':
			throw new RangeError(`dim ${dim.name} is continuous`);
	}
}

/** Snap a unit-cube point onto valid GP coordinates in place (ints onto their values, categoricals to indices). */
export function snapUnit(dims: readonly GpDim[], u: Float64Array): Float64Array {
	dims.forEach((dim, j) => {
		if (dim.kind !== 'continuous') u[j] = discreteCoord(dim, discreteIndexAt(dim, u[j]!));
	});
	return u;
}

/** The coordinate an inactive dim is encoded at (see the header). */
export function imputedCoord(dim: GpDim): number {
	return dim.kind === 'categorical' ? -1 : 0.5;
}

export function encodeParams(dims: readonly GpDim[], params: Params): Float64Array {
	const x = new Float64Array(dims.length);
	dims.forEach((dim, j) => {
		const v = params[dim.name];
		if (v === undefined && dim.param.when !== undefined) {
			x[j] = imputedCoord(dim);
			return;
		}
		if (v === undefined) throw new RangeError(`params lack "${dim.name}"`);
		if (dim.param.type === 'categorical') x[j] = dim.param.choices.indexOf(v);
		else x[j] = toUnit(dim.param, v);
	});
	return x;
}

export function decodePoint(space: Space, dims: readonly GpDim[], x: Float64Array): Params {
	const params: Params = {};
	let j = 0;
	for (const [name, param] of Object.entries(space)) {
		if (param.type === 'fixed') {
			params[name] = param.value;
			continue;
		}
		const dim = dims[j]!;
		const v = x[j++]!;
		params[name] = dim.param.type === 'categorical' ? dim.param.choices[Math.round(v)]! : fromUnit(dim.param, v);
	}
	return params;
}
