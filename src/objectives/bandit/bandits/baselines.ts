/**
 * Baseline policies evaluated on the same bandit draws as the agent: random, UCB1, Thompson sampling
 * (a uniform prior, and on the two-point tasks their true prior), the Bayes-optimal policy where it is
 * known exactly, and on two-armed tasks the oracle that knows the arm probabilities.
 *
 * Notation
 *   B, K, H      instances, arms, horizon (see tasks.ts)
 *   n[b*K+k]     pulls of arm k on instance b this episode;  s[b*K+k] summed reward
 *   return       undiscounted episode return (sampled rewards)
 *   regret       episodeOptimum(b) - sum_t means[b, a_t]   (expected, "pseudo" regret)
 *
 * Thompson sampling uses the right model for each family: independent Beta(1,1) priors per arm for
 * `independent`; for the dependent families one Beta(1,1) prior on p1 with p2 = 1 - p1 (a success on
 * arm 2 is a failure of arm 1), which is how the reference figures were computed; for eleven-armed a
 * uniform posterior over which of arms 0..9 is the target given the pulls so far (it never pulls the
 * informative arm, so it matches "search ignoring the informative arm", 11.35). `thompson-prior`
 * samples p1 from its posterior under the task's two-point prior {l, 1 - l} (easy, medium, hard).
 *
 * `bayes-optimal`: on the dependent tasks the arm of the higher posterior mean (exact, see
 * bayes-optimal.ts); on eleven-armed the informative arm first, then the target it names (the policy
 * the task's regret is measured against). `oracle` (two-armed) pulls the arm with the higher p.
 */
import type { Rng } from '../../../core/rng.js';
import { bayesOptimalArm, highPosterior } from './bayes-optimal.js';
import { type BanditBatch, ELEVEN_ARMED_INFORMATIVE_ARM, ELEVEN_ARMED_TARGET_REWARD, isDependent, type TaskKind, twoPointPrior } from './tasks.js';

const baselineKinds = ['random', 'ucb1', 'thompson', 'thompson-prior', 'bayes-optimal', 'oracle'] as const;
export type BaselineKind = (typeof baselineKinds)[number];

/** The baselines a task offers, in table order. */
export function baselinesFor(task: TaskKind): BaselineKind[] {
	return baselineKinds.filter((kind) => {
		if (kind === 'thompson-prior') return twoPointPrior(task) !== undefined;
		if (kind === 'bayes-optimal') return task === 'eleven-armed' || isDependent(task);
		if (kind === 'oracle') return task !== 'eleven-armed';
		return true;
	});
}

/** What a baseline's row is called in the evaluation tables (which prior, which optimum). */
export function baselineLabel(kind: BaselineKind, task: TaskKind): string {
	const low = twoPointPrior(task);
	switch (kind) {
		case 'thompson':
			return low === undefined ? "thompson (uniform prior = the task's)" : 'thompson (uniform prior)';
		case 'thompson-prior':
			return `thompson (task prior {${low}, ${low === undefined ? '' : 1 - low}})`;
		case 'bayes-optimal':
			return task === 'eleven-armed' ? 'bayes-optimal (informative arm, then target)' : 'bayes-optimal (exact DP)';
		case 'oracle':
			return 'oracle (knows p1, p2)';
		default:
			return kind;
	}
}

export interface EpisodeStats {
	/** Undiscounted return of each episode. */
	readonly returns: Float64Array;
	/** Expected regret of each episode against the task's optimal policy. */
	readonly regrets: Float64Array;
}

/**
 * Play `episodes` episodes of policy `kind` on `bandits` (B at a time; reset() before each round), with
 * action randomness from `rng`. Use a BanditBatch built with the same options and seed as the agent's
 * evaluation to compare on the same draws.
 */
export function runBaseline(kind: BaselineKind, bandits: BanditBatch, episodes: number, rng: Rng): EpisodeStats {
	const { batch: B, arms: K, horizon: H } = bandits;
	const returns = new Float64Array(episodes);
	const regrets = new Float64Array(episodes);
	const actions = new Int32Array(B);
	const rewards = new Float32Array(B);
	const pulls = new Float64Array(B * K);
	const sums = new Float64Array(B * K);
	const episodeReturn = new Float64Array(B);
	const expected = new Float64Array(B);
	for (let start = 0; start < episodes; start += B) {
		bandits.reset();
		pulls.fill(0);
		sums.fill(0);
		episodeReturn.fill(0);
		expected.fill(0);
		for (let t = 0; t < H; t++) {
			for (let b = 0; b < B; b++) actions[b] = chooseAction(kind, bandits, b, t, pulls, sums, rng);
			bandits.step(actions, rewards);
			for (let b = 0; b < B; b++) {
				const a = actions[b] as number;
				const r = rewards[b] as number;
				pulls[b * K + a]! += 1;
				sums[b * K + a]! += r;
				episodeReturn[b]! += r;
				expected[b]! += bandits.mean(b, a);
			}
		}
		for (let b = 0; b < B && start + b < episodes; b++) {
			returns[start + b] = episodeReturn[b] as number;
			regrets[start + b] = bandits.episodeOptimum(b) - (expected[b] as number);
		}
	}
	return { returns, regrets };
}

function chooseAction(kind: BaselineKind, bandits: BanditBatch, b: number, t: number, pulls: Float64Array, sums: Float64Array, rng: Rng): number {
	const K = bandits.arms;
	switch (kind) {
		case 'random':
			return rng.int(K);
		case 'ucb1':
			return ucb1(b, t, K, pulls, sums);
		case 'thompson':
			return thompson(bandits.kind, b, K, pulls, sums, rng);
		case 'thompson-prior':
			return thompsonTwoPoint(bandits.kind, b, pulls, sums, rng);
		case 'bayes-optimal':
			return bayesOptimal(bandits, b, t, pulls, sums, rng);
		case 'oracle':
			if (bandits.kind === 'eleven-armed') throw new RangeError('oracle: eleven-armed regret is measured against the Bayes-optimal policy; use bayes-optimal');
			return bandits.mean(b, 1) > bandits.mean(b, 0) ? 1 : 0;
	}
}

/** Evidence (a, b) about p1 on a dependent task: a = successes on arm 0 + failures on arm 1. */
function evidence(b: number, pulls: Float64Array, sums: Float64Array): [number, number] {
	const o = b * 2;
	const s0 = sums[o] as number;
	const s1 = sums[o + 1] as number;
	return [s0 + (pulls[o + 1] as number) - s1, (pulls[o] as number) - s0 + s1];
}

function thompsonTwoPoint(kind: TaskKind, b: number, pulls: Float64Array, sums: Float64Array, rng: Rng): number {
	const low = twoPointPrior(kind);
	if (low === undefined) throw new RangeError(`thompson-prior: ${kind} has no two-point prior`);
	const [a, f] = evidence(b, pulls, sums);
	// p1 = 1 - low (arm 0 better) with its posterior probability
	return rng.next() < highPosterior(low, a, f) ? 0 : 1;
}

function ucb1(b: number, t: number, K: number, pulls: Float64Array, sums: Float64Array): number {
	const o = b * K;
	for (let k = 0; k < K; k++) if (pulls[o + k] === 0) return k;
	let best = 0;
	let bestScore = Number.NEGATIVE_INFINITY;
	for (let k = 0; k < K; k++) {
		const n = pulls[o + k] as number;
		const score = (sums[o + k] as number) / n + Math.sqrt((2 * Math.log(t)) / n);
		if (score > bestScore) {
			bestScore = score;
			best = k;
		}
	}
	return best;
}

function thompson(kind: TaskKind, b: number, K: number, pulls: Float64Array, sums: Float64Array, rng: Rng): number {
	const o = b * K;
	switch (kind) {
		case 'independent': {
			const s0 = sums[o] as number;
			const s1 = sums[o + 1] as number;
			const x0 = rng.beta(1 + s0, 1 + (pulls[o] as number) - s0);
			const x1 = rng.beta(1 + s1, 1 + (pulls[o + 1] as number) - s1);
			return x1 > x0 ? 1 : 0;
		}
		case 'dependent-uniform':
		case 'dependent-easy':
		case 'dependent-medium':
		case 'dependent-hard': {
			const s0 = sums[o] as number;
			const f0 = (pulls[o] as number) - s0;
			const s1 = sums[o + 1] as number;
			const f1 = (pulls[o + 1] as number) - s1;
			const p1 = rng.beta(1 + s0 + f1, 1 + f0 + s1);
			return p1 >= 0.5 ? 0 : 1;
		}
		case 'eleven-armed': {
			// Posterior over the target: uniform over arms 0..9 not yet seen paying less than the target,
			// or the arm seen paying the target.
			const candidates: number[] = [];
			for (let k = 0; k < 10; k++) {
				const n = pulls[o + k] as number;
				if (n > 0 && (sums[o + k] as number) / n === ELEVEN_ARMED_TARGET_REWARD) return k;
				if (n === 0) candidates.push(k);
			}
			return candidates.length > 0 ? (candidates[rng.int(candidates.length)] as number) : rng.int(10);
		}
	}
}

function bayesOptimal(bandits: BanditBatch, b: number, t: number, pulls: Float64Array, sums: Float64Array, rng: Rng): number {
	if (bandits.kind === 'eleven-armed') {
		if (t === 0) return bandits.horizon === 1 ? 0 : ELEVEN_ARMED_INFORMATIVE_ARM;
		const informative = sums[b * bandits.arms + ELEVEN_ARMED_INFORMATIVE_ARM] as number;
		return Math.round(informative * 10) - 1;
	}
	if (!isDependent(bandits.kind)) throw new RangeError(`bayes-optimal: not computed for ${bandits.kind}`);
	const arm = bayesOptimalArm(bandits.kind, ...evidence(b, pulls, sums));
	return arm >= 0 ? arm : rng.int(2);
}
