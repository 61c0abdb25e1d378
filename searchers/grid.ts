/**
 * Grid search: the Cartesian product of per-dimension value lists, each point proposed exactly once.
 *
 * Notation
 *   dims      the space's searchable params, in order; d = dims.length
 *   values_j  the grid values of dim j: `config.values[name]` if given, else `gridValues(param, points)`
 *   N         grid size = prod_j |values_j|; a grid point is an index k in [0, N), decoded mixed-radix
 *             (last dim fastest)
 *   order     the visiting order of the N indices: 0..N-1, or a seeded shuffle when `shuffle`
 *   visited   paramsKey of every trial's params (any status): derived from the trials alone, so the
 *             grid is covered exactly once across concurrency, several processes and resume
 *
 * Conditional spaces: the grid is the valid combinations only (enumerate.ts `walkActive` over the same
 * value lists: parents slowest, a param's values only where it is active), listed once; N is their
 * number, so no two points differ only in inactive params.
 */
import { isConditional } from '../src/core/conditions.js';
import { InputError } from '../src/core/errors.js';
import { Rng } from '../src/core/rng.js';
import { dimensions, gridValues, paramsKey, type ParamValue, type Params, type Space } from '../src/core/space.js';
import type { GridConfig } from './config.js';
import type { AskRequest, AskResult, Proposal, Recommendation, Searcher } from './searcher.js';
import { bestObserved } from './common.js';
import { walkActive } from './enumerate.js';

/** Largest grid we enumerate (a shuffled order keeps an index array of this many numbers). */
const maxGridSize = 10_000_000;

export interface Grid {
	readonly size: number;
	/** The params of grid point k (fixed params included). */
	point(k: number): Params;
}

/** The grid of `space` under `config`. Throws InputError for values naming unknown params or a grid over `maxGridSize`. */
export function buildGrid(space: Space, config: Pick<GridConfig, 'points' | 'values'>): Grid {
	const dims = dimensions(space);
	for (const name of Object.keys(config.values ?? {})) {
		const param = space[name];
		if (param === undefined) throw new InputError(`searcher.values.${name}: no such parameter in the space (have ${Object.keys(space).join(', ')})`, undefined, `searcher.values.${name}`);
		if (param.type === 'fixed') throw new InputError(`searcher.values.${name}: parameter is fixed; remove it from the grid values`, undefined, `searcher.values.${name}`);
	}
	const lists: ParamValue[][] = dims.map(({ name, param }) => config.values?.[name] ?? gridValues(param, config.points));
	let size = 1;
	for (const list of lists) size *= list.length;
	if (size > maxGridSize) throw new InputError(`searcher: grid has ${size} points (more than ${maxGridSize}); use fewer points per dimension`, undefined, 'searcher.points');
	if (isConditional(space)) {
		const key = JSON.stringify([space, lists]);
		if (lastConditional?.key !== key) {
			const listOf = new Map(dims.map(({ name }, j) => [name, lists[j] as ParamValue[]]));
			lastConditional = { key, points: walkActive(space, (_, name) => listOf.get(name) ?? []) };
		}
		const { points } = lastConditional;
		return { size: points.length, point: (k) => ({ ...(points[k] as Params) }) };
	}
	const fixed: Params = {};
	for (const [name, param] of Object.entries(space)) if (param.type === 'fixed') fixed[name] = param.value;
	return {
		size,
		point(k: number): Params {
			const values: ParamValue[] = new Array<ParamValue>(dims.length);
			let rest = k;
			for (let j = dims.length - 1; j >= 0; j--) {
				const list = lists[j] as ParamValue[];
				values[j] = list[rest % list.length] as ParamValue;
				rest = Math.floor(rest / list.length);
			}
			const params: Params = {};
			let j = 0;
			for (const [name, param] of Object.entries(space)) params[name] = param.type === 'fixed' ? (fixed[name] as ParamValue) : (values[j++] as ParamValue);
			return params;
		},
	};
}

/** The last conditional grid listed (a pure cache: an arm asks about one grid again and again). */
let lastConditional: { readonly key: string; readonly points: readonly Params[] } | undefined;

/** Visiting order: identity, or a Fisher-Yates shuffle drawn from the seed. */
function visitOrder(size: number, shuffle: boolean, seed: number): ArrayLike<number> | undefined {
	if (!shuffle) return undefined;
	const order = new Uint32Array(size);
	for (let i = 0; i < size; i++) order[i] = i;
	const rng = new Rng(seed).split('grid-order');
	for (let i = size - 1; i > 0; i--) {
		const j = rng.int(i + 1);
		const t = order[i] as number;
		order[i] = order[j] as number;
		order[j] = t;
	}
	return order;
}

export class GridSearcher implements Searcher {
	readonly kind = 'grid' as const;
	constructor(readonly config: GridConfig) {}

	ask(request: AskRequest): AskResult {
		const grid = buildGrid(request.space, this.config);
		const order = visitOrder(grid.size, this.config.shuffle, this.config.seed);
		const visited = new Set(request.trials.map((t) => paramsKey(request.space, t.params)));
		const proposals: Proposal[] = [];
		for (let i = 0; i < grid.size && proposals.length < request.n; i++) {
			const params = grid.point(order === undefined ? i : (order[i] as number));
			const key = paramsKey(request.space, params);
			if (visited.has(key)) continue;
			visited.add(key);
			proposals.push({ params });
		}
		return proposals.length === 0 ? { kind: 'exhausted' } : { kind: 'proposals', proposals };
	}

	recommend(request: Omit<AskRequest, 'n'>): Recommendation | undefined {
		return bestObserved(request);
	}
}
