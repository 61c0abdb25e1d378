/**
 * Random search: each dimension drawn uniformly on the unit cube and decoded by the shared space
 * transforms (uniform in log value for log params, every int and choice equally likely).
 *
 * Notation
 *   i        index of the proposal in the arm = trials.length + (position in this batch)
 *   rng_i    new Rng(seed).split(i): the stream of proposal i, so a resumed study continues the
 *            sequence instead of replaying it, whatever the batch sizes were
 *   taken    paramsKey of every trial (and earlier proposals of this batch). On a finite space a
 *            drawn point already taken is redrawn from rng_i (up to `maxRedraws` times), and the
 *            searcher says `exhausted` once every point is taken.
 */
import { Rng } from '../src/rng.js';
import { decode, dimensions, paramsKey, spaceSize, type Params, type Space } from '../src/space.js';
import type { RandomConfig } from './config.js';
import type { AskRequest, AskResult, Proposal, Recommendation, Searcher } from './searcher.js';
import { bestObserved } from './common.js';
import { enumerateSpace } from './enumerate.js';

const maxRedraws = 1000;

/** One uniform point of the unit cube for proposal `index`. */
export function randomUnitPoint(seed: number, index: number, d: number): Float64Array {
	const rng = new Rng(seed).split(index);
	const u = new Float64Array(d);
	for (let j = 0; j < d; j++) u[j] = rng.next();
	return u;
}

export class RandomSearcher implements Searcher {
	readonly kind = 'random' as const;
	constructor(readonly config: RandomConfig) {}

	ask(request: AskRequest): AskResult {
		const { space } = request;
		const size = spaceSize(space);
		const taken = new Set(request.trials.map((t) => paramsKey(space, t.params)));
		const proposals: Proposal[] = [];
		for (let b = 0; b < request.n; b++) {
			if (taken.size >= size) break;
			const params = this.draw(space, request.trials.length + b, taken, size);
			taken.add(paramsKey(space, params));
			proposals.push({ params });
		}
		return proposals.length === 0 ? { kind: 'exhausted' } : { kind: 'proposals', proposals };
	}

	private draw(space: Space, index: number, taken: ReadonlySet<string>, size: number): Params {
		const d = dimensions(space).length;
		const rng = new Rng(this.config.seed).split(index);
		const u = new Float64Array(d);
		for (let attempt = 0; attempt <= maxRedraws; attempt++) {
			for (let j = 0; j < d; j++) u[j] = rng.next();
			const params = decode(space, u);
			if (!Number.isFinite(size) || !taken.has(paramsKey(space, params))) return params;
		}
		// Nearly full finite space: pick uniformly among the points not taken yet.
		const free = enumerateSpace(space).filter((p) => !taken.has(paramsKey(space, p)));
		return free[rng.int(free.length)] as Params;
	}

	recommend(request: Omit<AskRequest, 'n'>): Recommendation | undefined {
		return bestObserved(request);
	}
}
