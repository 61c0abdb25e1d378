/**
 * Bandit task families (Wang et al. 2016, "Learning to Reinforcement Learn"), vectorised over B
 * independent instances and seeded.
 *
 * Notation
 *   B        batch: independent bandit instances stepped together
 *   K        arms (2, or 11 for eleven-armed)
 *   H        horizon: pulls per episode (100 two-armed, 5 eleven-armed by default)
 *   means    Float64Array [B * K]: expected reward of arm k on instance b at means[b * K + k]
 *
 * Families
 *   independent         p1, p2 ~ U(0, 1)                         Bernoulli rewards
 *   dependent-uniform   p1 ~ U(0, 1), p2 = 1 - p1                Bernoulli rewards
 *   dependent-easy      p1 in {0.1, 0.9} equally likely, p2 = 1 - p1
 *   dependent-medium    p1 in {0.25, 0.75}, p2 = 1 - p1
 *   dependent-hard      p1 in {0.4, 0.6}, p2 = 1 - p1
 *   eleven-armed        target j ~ U{0..9} pays 5, the other nine of arms 0..9 pay 1.1, arm 10 (the
 *                       informative arm) pays 0.1 x (j + 1); deterministic rewards
 *
 * Call `reset()` before every episode, the first included (the constructor draws nothing): it draws a
 * new bandit for every instance (the meta-learning setting), unless
 * `fixed` keeps the first draw for good (the non-meta setting). Bandit draws and reward noise come from
 * separate child streams of the seed, so two runs with the same seed see the same bandits whatever
 * actions they take (agent and baselines are evaluated on the same draws).
 */
import type { Rng } from '../../../core/rng.js';

export const taskKinds = ['independent', 'dependent-uniform', 'dependent-easy', 'dependent-medium', 'dependent-hard', 'eleven-armed'] as const;
export type TaskKind = (typeof taskKinds)[number];

export interface BanditOptions {
	readonly kind: TaskKind;
	readonly batch: number;
	readonly horizon?: number;
	readonly fixed?: boolean;
}

export const ELEVEN_ARMED_TARGET_REWARD = 5;
export const ELEVEN_ARMED_OTHER_REWARD = 1.1;
export const ELEVEN_ARMED_INFORMATIVE_ARM = 10;

export function armCount(kind: TaskKind): number {
	return kind === 'eleven-armed' ? 11 : 2;
}

export function defaultHorizon(kind: TaskKind): number {
	return kind === 'eleven-armed' ? 5 : 100;
}

/** The two-point prior of the dependent tasks: p1 is low or 1 - low, each with probability 1/2. */
const twoPointLow = { 'dependent-easy': 0.1, 'dependent-medium': 0.25, 'dependent-hard': 0.4 } as const;

/** The low value of a task's two-point prior on p1 (undefined for tasks without one). */
export function twoPointPrior(kind: TaskKind): number | undefined {
	return kind in twoPointLow ? twoPointLow[kind as keyof typeof twoPointLow] : undefined;
}

/** True for the families with p2 = 1 - p1 (one unknown, p1). */
export function isDependent(kind: TaskKind): boolean {
	return kind.startsWith('dependent-');
}

/** True when rewards are Bernoulli draws (the two-armed families). */
export function isBernoulli(kind: TaskKind): boolean {
	return kind !== 'eleven-armed';
}

export class BanditBatch {
	readonly kind: TaskKind;
	readonly arms: number;
	readonly horizon: number;
	readonly batch: number;
	readonly fixed: boolean;
	readonly means: Float64Array;
	/** eleven-armed only: the target arm of each instance (0..9); -1 otherwise. */
	readonly targets: Int32Array;
	private readonly banditRng: Rng;
	private readonly rewardRng: Rng;
	private drawn = false;

	constructor(options: BanditOptions, rng: Rng) {
		if (!Number.isInteger(options.batch) || options.batch < 1) throw new RangeError(`batch must be a positive integer, got ${options.batch}`);
		const horizon = options.horizon ?? defaultHorizon(options.kind);
		if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon must be a positive integer, got ${horizon}`);
		this.kind = options.kind;
		this.arms = armCount(options.kind);
		this.horizon = horizon;
		this.batch = options.batch;
		this.fixed = options.fixed ?? false;
		this.means = new Float64Array(this.batch * this.arms);
		this.targets = new Int32Array(this.batch).fill(-1);
		this.banditRng = rng.split('bandits');
		this.rewardRng = rng.split('rewards');
	}

	/** Start an episode: draw a new bandit for every instance (unless fixed and already drawn). */
	reset(): void {
		if (this.fixed && this.drawn) return;
		this.drawn = true;
		for (let b = 0; b < this.batch; b++) this.drawInstance(b);
	}

	private drawInstance(b: number): void {
		const m = this.means;
		const o = b * this.arms;
		const r = this.banditRng;
		switch (this.kind) {
			case 'independent':
				m[o] = r.next();
				m[o + 1] = r.next();
				return;
			case 'dependent-uniform': {
				const p = r.next();
				m[o] = p;
				m[o + 1] = 1 - p;
				return;
			}
			case 'dependent-easy':
			case 'dependent-medium':
			case 'dependent-hard':
				this.drawPair(o, twoPointLow[this.kind]);
				return;
			case 'eleven-armed': {
				const j = r.int(10);
				this.targets[b] = j;
				for (let k = 0; k < 10; k++) m[o + k] = k === j ? ELEVEN_ARMED_TARGET_REWARD : ELEVEN_ARMED_OTHER_REWARD;
				m[o + ELEVEN_ARMED_INFORMATIVE_ARM] = 0.1 * (j + 1);
				return;
			}
		}
	}

	private drawPair(o: number, low: number): void {
		const p = this.banditRng.next() < 0.5 ? low : 1 - low;
		this.means[o] = p;
		this.means[o + 1] = 1 - p;
	}

	/** Pull `actions[b]` on every instance; writes the rewards into `rewards` (length >= B). */
	step(actions: ArrayLike<number>, rewards: Float32Array): void {
		const bernoulli = isBernoulli(this.kind);
		for (let b = 0; b < this.batch; b++) {
			const a = actions[b] as number;
			if (!(a >= 0 && a < this.arms)) throw new RangeError(`action ${a} out of range for ${this.arms} arms (instance ${b})`);
			const mean = this.means[b * this.arms + a] as number;
			rewards[b] = bernoulli ? (this.rewardRng.next() < mean ? 1 : 0) : mean;
		}
	}

	/** Expected reward of arm `a` on instance `b`. */
	mean(b: number, a: number): number {
		return this.means[b * this.arms + a] as number;
	}

	/**
	 * Expected episode return of the optimal policy on instance b. Two-armed: the oracle that always
	 * pulls the better arm (H x max p; regret 0). Eleven-armed: the Bayes-optimal policy, which pulls
	 * the informative arm once and then the target (0.1 (j + 1) + 5 (H - 1); 20.55 on average for H = 5).
	 */
	episodeOptimum(b: number): number {
		if (this.kind === 'eleven-armed') {
			const j = this.targets[b] as number;
			if (this.horizon === 1) return 0.1 * ELEVEN_ARMED_TARGET_REWARD + 0.9 * ELEVEN_ARMED_OTHER_REWARD;
			return 0.1 * (j + 1) + ELEVEN_ARMED_TARGET_REWARD * (this.horizon - 1);
		}
		return this.horizon * Math.max(this.mean(b, 0), this.mean(b, 1));
	}
}

/** Expected optimal return per episode of a task family (averaged over its bandit distribution). */
export function taskOptimum(kind: TaskKind, horizon = defaultHorizon(kind)): number {
	switch (kind) {
		case 'eleven-armed':
			return horizon === 1 ? 0.5 + 0.99 : 0.55 + ELEVEN_ARMED_TARGET_REWARD * (horizon - 1);
		case 'independent':
			return horizon * (2 / 3);
		case 'dependent-uniform':
			return horizon * 0.75;
		case 'dependent-easy':
			return horizon * 0.9;
		case 'dependent-medium':
			return horizon * 0.75;
		case 'dependent-hard':
			return horizon * 0.6;
	}
}
