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
 *            searcher says `exhausted` once every point is taken. On an infinite space (any float
 *            with low < high) every first draw is accepted, so no keys are built at all.
 *
 * Cost: O(d) per proposal, amortised. The keys of a finite space's trials are memoised between asks
 * (a pure cache, like the GP's fit cache: the proposals are those of a fresh searcher): `trials` is
 * the arm's history in the order asked (searcher.ts), so a history at least as long as the memo's,
 * with the same first and last params objects at the memo's ends, is that history extended and only
 * its new trials are keyed; any other history rebuilds the memo.
 */
import { Rng } from '../src/core/rng.js';
import { decode, dimensions, paramsKey, spaceSize, type Params, type Space } from '../src/core/space.js';
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

/** The keys of a history's params, in order (see "Cost" above). */
interface KeyMemo {
	readonly space: Space;
	readonly params: Params[];
	readonly keys: Set<string>;
}

/** Keys taken: the trials' (memoised) plus this batch's proposals so far. */
interface Taken {
	readonly size: number;
	has(key: string): boolean;
}

export class RandomSearcher implements Searcher {
	readonly kind = 'random' as const;
	private memo: KeyMemo | undefined;
	constructor(readonly config: RandomConfig) {}

	ask(request: AskRequest): AskResult {
		const { space } = request;
		const size = spaceSize(space);
		const first = request.trials.length;
		const proposals: Proposal[] = [];
		if (!Number.isFinite(size)) {
			for (let b = 0; b < request.n; b++) proposals.push({ params: this.draw(space, first + b, undefined, size) });
			return proposals.length === 0 ? { kind: 'exhausted' } : { kind: 'proposals', proposals };
		}
		const trialKeys = this.trialKeys(space, request.trials);
		const batch = new Set<string>();
		const taken: Taken = {
			get size() {
				return trialKeys.size + batch.size;
			},
			has: (key) => trialKeys.has(key) || batch.has(key),
		};
		for (let b = 0; b < request.n; b++) {
			if (taken.size >= size) break;
			const params = this.draw(space, first + b, taken, size);
			batch.add(paramsKey(space, params));
			proposals.push({ params });
		}
		return proposals.length === 0 ? { kind: 'exhausted' } : { kind: 'proposals', proposals };
	}

	/** paramsKey of every trial, extending the memo when `trials` extends its history. */
	private trialKeys(space: Space, trials: AskRequest['trials']): ReadonlySet<string> {
		let memo = this.memo;
		const m = memo?.params.length ?? 0;
		const extends_ =
			memo !== undefined && memo.space === space && trials.length >= m && (m === 0 || (trials[0]?.params === memo.params[0] && trials[m - 1]?.params === memo.params[m - 1]));
		if (!extends_ || memo === undefined) this.memo = memo = { space, params: [], keys: new Set() };
		for (let i = memo.params.length; i < trials.length; i++) {
			const params = (trials[i] as AskRequest['trials'][number]).params;
			memo.params.push(params);
			memo.keys.add(paramsKey(space, params));
		}
		return memo.keys;
	}

	/** Proposal `index`: the first draw of rng_index not taken (`taken` undefined: infinite space, the first draw). */
	private draw(space: Space, index: number, taken: Taken | undefined, size: number): Params {
		const d = dimensions(space).length;
		const rng = new Rng(this.config.seed).split(index);
		const u = new Float64Array(d);
		for (let attempt = 0; attempt <= maxRedraws; attempt++) {
			for (let j = 0; j < d; j++) u[j] = rng.next();
			const params = decode(space, u);
			if (taken === undefined || !taken.has(paramsKey(space, params))) return params;
		}
		if (taken === undefined) throw new Error('unreachable: an infinite space accepts the first draw');
		// Nearly full finite space: pick uniformly among the points not taken yet.
		const free = enumerateSpace(space).filter((p) => !taken.has(paramsKey(space, p)));
		return free[rng.int(free.length)] as Params;
	}

	recommend(request: Omit<AskRequest, 'n'>): Recommendation | undefined {
		return bestObserved(request);
	}
}
