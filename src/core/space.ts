/**
 * Search spaces: the discriminated union every searcher shares, and the transforms between a
 * parameter's value and the unit interval.
 *
 * Notation
 *   space        name -> Param (insertion order is the dimension order)
 *   dims         the non-fixed params, in order; d = dims.length
 *   u            a point of the unit cube [0, 1]^d (Float64Array, length d)
 *
 * Transforms (value <-> u):
 *   float        linear, or linear in log(value) when `log`
 *   int          the range padded by half a step each side ([low - step/2, high + step/2]) so every
 *                integer owns an equal share of [0, 1]; decoded by rounding to the step grid
 *   categorical  choice i owns [i/n, (i+1)/n); encoded at its centre (i + 0.5)/n. Searchers that
 *                measure distances (the GP) treat these dims with a Hamming-type distance instead.
 */

export type ParamValue = number | string | boolean;
export type Params = Record<string, ParamValue>;

/**
 * A param's condition: it is active only when every named param is active and takes one of the
 * listed values (`when: {optimizer: [adam]}`). An inactive param is absent from a trial's params.
 */
export type Condition = Readonly<Record<string, readonly ParamValue[]>>;
type Conditional = { readonly when?: Condition };

export type FloatParam = Conditional & { readonly type: 'float'; readonly low: number; readonly high: number; readonly log?: boolean };
export type IntParam = Conditional & {
	readonly type: 'int';
	readonly low: number;
	readonly high: number;
	readonly step?: number;
	readonly log?: boolean;
};
export type CategoricalParam = Conditional & { readonly type: 'categorical'; readonly choices: readonly ParamValue[] };
export type FixedParam = Conditional & { readonly type: 'fixed'; readonly value: ParamValue };
export type Param = FloatParam | IntParam | CategoricalParam | FixedParam;
export type SearchParam = FloatParam | IntParam | CategoricalParam;
export type Space = Readonly<Record<string, Param>>;

export interface Dimension {
	readonly name: string;
	readonly param: SearchParam;
}

/** The searchable (non-fixed) parameters, in the space's order. */
export function dimensions(space: Space): Dimension[] {
	const dims: Dimension[] = [];
	for (const [name, param] of Object.entries(space)) {
		if (param.type !== 'fixed') dims.push({ name, param });
	}
	return dims;
}

/** Number of distinct values a parameter can take (Infinity for floats). */
export function cardinality(param: Param): number {
	switch (param.type) {
		case 'float':
			return param.low === param.high ? 1 : Number.POSITIVE_INFINITY;
		case 'int':
			return Math.floor((param.high - param.low) / (param.step ?? 1)) + 1;
		case 'categorical':
			return param.choices.length;
		case 'fixed':
			return 1;
	}
}

/** Size of the whole space (product of cardinalities; Infinity if any dim is continuous). */
export function spaceSize(space: Space): number {
	let size = 1;
	for (const param of Object.values(space)) size *= cardinality(param);
	return size;
}

function intBounds(param: IntParam): [number, number] {
	const step = param.step ?? 1;
	const high = param.low + Math.floor((param.high - param.low) / step) * step;
	return [param.low - step / 2, high + step / 2];
}

/** Map a parameter value to [0, 1]. */
export function toUnit(param: SearchParam, value: ParamValue): number {
	switch (param.type) {
		case 'float': {
			const v = Number(value);
			if (param.high === param.low) return 0.5;
			if (param.log) return clamp01((Math.log(v) - Math.log(param.low)) / (Math.log(param.high) - Math.log(param.low)));
			return clamp01((v - param.low) / (param.high - param.low));
		}
		case 'int': {
			const v = Number(value);
			const [lo, hi] = intBounds(param);
			if (param.log) return clamp01((Math.log(v) - Math.log(Math.max(lo, 0.5))) / (Math.log(hi) - Math.log(Math.max(lo, 0.5))));
			return clamp01((v - lo) / (hi - lo));
		}
		case 'categorical': {
			const index = param.choices.indexOf(value);
			if (index < 0) throw new RangeError(`value ${String(value)} is not one of the choices ${JSON.stringify(param.choices)}`);
			return (index + 0.5) / param.choices.length;
		}
	}
}

/** Map u in [0, 1] to a valid parameter value (rounded onto the int grid / choice set). */
export function fromUnit(param: SearchParam, u: number): ParamValue {
	const x = clamp01(u);
	switch (param.type) {
		case 'float': {
			if (param.log) return clampTo(Math.exp(Math.log(param.low) + x * (Math.log(param.high) - Math.log(param.low))), param.low, param.high);
			return clampTo(param.low + x * (param.high - param.low), param.low, param.high);
		}
		case 'int': {
			const step = param.step ?? 1;
			const [lo, hi] = intBounds(param);
			const raw = param.log ? Math.exp(Math.log(Math.max(lo, 0.5)) + x * (Math.log(hi) - Math.log(Math.max(lo, 0.5)))) : lo + x * (hi - lo);
			const k = Math.round((raw - param.low) / step);
			const maxK = Math.floor((param.high - param.low) / step);
			return param.low + Math.min(maxK, Math.max(0, k)) * step;
		}
		case 'categorical': {
			const n = param.choices.length;
			return param.choices[Math.min(n - 1, Math.floor(x * n))] as ParamValue;
		}
	}
}

/** Params -> unit-cube point over the searchable dimensions. */
export function encode(space: Space, params: Params): Float64Array {
	const dims = dimensions(space);
	const u = new Float64Array(dims.length);
	dims.forEach((dim, i) => {
		const value = params[dim.name];
		if (value === undefined) throw new RangeError(`params lack "${dim.name}"`);
		u[i] = toUnit(dim.param, value);
	});
	return u;
}

/** Unit-cube point -> params, fixed parameters included. */
export function decode(space: Space, u: ArrayLike<number>): Params {
	const params: Params = {};
	let i = 0;
	for (const [name, param] of Object.entries(space)) {
		if (param.type === 'fixed') params[name] = param.value;
		else params[name] = fromUnit(param, u[i++] ?? 0.5);
	}
	return params;
}

/**
 * `points` values spread over a parameter for grid search: evenly in value (or in log value when
 * `log`), rounded and deduplicated for ints, every choice for categoricals.
 */
export function gridValues(param: SearchParam, points: number): ParamValue[] {
	switch (param.type) {
		case 'categorical':
			return [...param.choices];
		case 'float': {
			if (points <= 1 || param.low === param.high) return [param.log ? Math.sqrt(param.low * param.high) : (param.low + param.high) / 2];
			const out: number[] = [];
			for (let i = 0; i < points; i++) {
				const t = i / (points - 1);
				out.push(param.log ? Math.exp(Math.log(param.low) + t * (Math.log(param.high) - Math.log(param.low))) : param.low + t * (param.high - param.low));
			}
			out[0] = param.low;
			out[out.length - 1] = param.high;
			return out;
		}
		case 'int': {
			const step = param.step ?? 1;
			const n = cardinality(param);
			if (n <= points) return Array.from({ length: n }, (_, k) => param.low + k * step);
			const seen = new Set<number>();
			for (let i = 0; i < points; i++) {
				const t = points === 1 ? 0.5 : i / (points - 1);
				const raw = param.log ? Math.exp(Math.log(param.low) + t * (Math.log(param.high) - Math.log(param.low))) : param.low + t * (param.high - param.low);
				seen.add(param.low + Math.round((raw - param.low) / step) * step);
			}
			return [...seen].sort((a, b) => a - b);
		}
	}
}

/** Canonical string for a configuration (used to detect duplicates). Floats keep 12 significant digits. */
export function paramsKey(space: Space, params: Params): string {
	return dimensions(space)
		.map(({ name, param }) => {
			const v = params[name];
			return `${name}=${param.type === 'float' && typeof v === 'number' ? v.toPrecision(12) : JSON.stringify(v)}`;
		})
		.join('&');
}

/** A param value for people: numbers to 4 significant digits. */
export const paramValueText = (v: unknown): string => (typeof v === 'number' ? String(Number(v.toPrecision(4))) : String(v));

/** A configuration for people: `gamma=0.9, lr=0.001`. */
export const paramsText = (params: Readonly<Record<string, unknown>>): string =>
	Object.entries(params)
		.map(([k, v]) => `${k}=${paramValueText(v)}`)
		.join(', ');

function clamp01(x: number): number {
	return x < 0 ? 0 : x > 1 ? 1 : Number.isNaN(x) ? 0.5 : x;
}

function clampTo(x: number, low: number, high: number): number {
	return x < low ? low : Math.min(x, high);
}
