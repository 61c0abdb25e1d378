/**
 * A lifetime of the bandit agent: train N episodes (B at a time, a new bandit per episode unless the
 * config keeps one fixed), then evaluate M episodes with learning frozen. Same seed and backend, same
 * result.
 *
 * Random streams (all children of Rng(seed)): 'init' network weights, 'train-bandits' / 'train-actions'
 * training draws and action sampling, 'eval-bandits' / 'eval-actions' evaluation (a fixed bandit is
 * evaluated on the training bandit). A lifetime resumed
 * from a checkpoint derives its streams from the episodes already trained ('resume-<episodes>').
 *
 * Evaluation samples actions from the policy (set `greedy` to take the most probable arm). Regret of an
 * episode = episodeOptimum(b) - sum_t means[b, a_t] (expected rewards of the chosen arms).
 */
import { TrialError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { Agent, type UpdateStats } from '../learner/agent.js';
import type { AgentConfig } from '../learner/agent-config.js';
import type { BackendChoice, BackendName } from '../learner/backend-choices.js';
import { initBackend } from '../learner/backend.js';
import type { BanditEnv } from '../learner/rollout.js';
import { BanditBatch } from '../bandits/tasks.js';

export interface EpisodeStats {
	readonly returns: Float64Array;
	readonly regrets: Float64Array;
}

export interface EvaluateOptions {
	readonly greedy?: boolean;
	readonly extras?: Float32Array;
}

/**
 * Play `episodes` episodes with the frozen policy on `bandits` (B = bandits.batch at a time). Returns
 * per-episode undiscounted returns and regrets, comparable with baselines' runBaseline on a BanditBatch
 * built with the same options and seed.
 */
export function evaluateAgent(agent: Agent, bandits: BanditBatch, episodes: number, rng: Rng, options: EvaluateOptions = {}): EpisodeStats {
	const returns = new Float64Array(episodes);
	const regrets = new Float64Array(episodes);
	const B = bandits.batch;
	const T = bandits.horizon;
	for (let start = 0; start < episodes; start += B) {
		const { traj, returns: r } = agent.play(bandits, rng, options);
		for (let b = 0; b < B && start + b < episodes; b++) {
			let expected = 0;
			for (let t = 0; t < T; t++) expected += traj.expected[t * B + b] as number;
			returns[start + b] = r[b] as number;
			regrets[start + b] = bandits.episodeOptimum(b) - expected;
		}
	}
	return { returns, regrets };
}

export interface LifetimeProgress {
	readonly episodes: number;
	readonly totalEpisodes: number;
	/** mean episode return over the last ~100 updates */
	readonly runningReturn: number;
	readonly stepsPerSecond: number;
}

/**
 * Replaces the agent's plain A2C update in a lifetime (e.g. the meta-gradient tuner): one update on
 * B fresh episodes, and the extra inputs evaluation runs with afterwards.
 */
interface InnerLoop {
	update(env: BanditEnv, rng: Rng): UpdateStats;
	evalExtras(): Float32Array | undefined;
}

export interface LifetimeOptions {
	/** ignored when `agent` is given (its own config is used) */
	readonly config: AgentConfig;
	readonly seed: number;
	readonly trainEpisodes: number;
	readonly evalEpisodes: number;
	readonly backend?: BackendChoice;
	/** continue from this agent (e.g. loadCheckpoint); it is trained further and not disposed */
	readonly agent?: Agent;
	readonly greedyEval?: boolean;
	readonly extras?: Float32Array;
	/** made once for the lifetime's agent; drives every training update instead of `agent.train` */
	readonly innerLoop?: (agent: Agent) => InnerLoop;
	readonly onProgress?: (progress: LifetimeProgress) => void;
	/** progress callback interval in ms (default 500) */
	readonly progressEveryMs?: number;
	readonly signal?: AbortSignal;
	/**
	 * Called at `reportPoints` evenly spaced points inside training (not at its end) with the episodes
	 * trained and the mean episode return so far (the `lifetime_return` scale); resolving true stops
	 * training there (pruned): no evaluation runs, and the result says where it stopped.
	 */
	readonly report?: (episodes: number, meanReturn: number) => Promise<boolean>;
	readonly reportPoints?: number;
}

export interface MeanStd {
	readonly mean: number;
	readonly std: number;
}

export interface LifetimeResult {
	/** mean undiscounted episode return of each update */
	readonly learningCurve: Float64Array;
	/** sum of all training rewards */
	readonly cumulativeReward: number;
	/** mean undiscounted episode return over training */
	readonly lifetimeReturn: number;
	readonly evalReturn: MeanStd;
	readonly evalRegret: MeanStd;
	readonly trainEpisodes: number;
	readonly evalEpisodes: number;
	/** training + evaluation env steps */
	readonly envSteps: number;
	readonly wallSeconds: number;
	readonly trainStepsPerSecond: number;
	readonly backend: BackendName;
	/** training episodes after which the report said stop (evaluation skipped: evalReturn is the mean return of the last 10% of updates) */
	readonly prunedAt?: number;
}

export function meanStd(xs: ArrayLike<number>): MeanStd {
	const n = xs.length;
	if (n === 0) return { mean: Number.NaN, std: Number.NaN };
	let s = 0;
	for (let i = 0; i < n; i++) s += xs[i] as number;
	const mean = s / n;
	let v = 0;
	for (let i = 0; i < n; i++) v += ((xs[i] as number) - mean) ** 2;
	return { mean, std: n > 1 ? Math.sqrt(v / (n - 1)) : 0 };
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runLifetime(options: LifetimeOptions): Promise<LifetimeResult> {
	const { seed, trainEpisodes, evalEpisodes } = options;
	const config = options.agent?.config ?? options.config;
	if (!(Number.isInteger(trainEpisodes) && trainEpisodes >= 0)) throw new RangeError(`trainEpisodes must be a non-negative integer, got ${trainEpisodes}`);
	if (!(Number.isInteger(evalEpisodes) && evalEpisodes >= 0)) throw new RangeError(`evalEpisodes must be a non-negative integer, got ${evalEpisodes}`);
	const backend = await initBackend(options.backend ?? 'auto');
	const root = new Rng(seed);
	const agent = options.agent ?? new Agent(config, root);
	const started = agent.episodesTrained;
	const streams = started > 0 ? root.split(`resume-${started}`) : root;
	const B = config.batch;
	const env = new BanditBatch({ kind: config.task, batch: B, horizon: agent.horizon, fixed: config.fixed }, streams.split('train-bandits'));
	const actRng = streams.split('train-actions');
	const updates = Math.ceil(trainEpisodes / B);
	const curve = new Float64Array(updates);
	const loop = options.innerLoop?.(agent);
	const t0 = performance.now();
	let lastYield = t0;
	let lastReport = t0;
	const every = options.progressEveryMs ?? 500;
	let cumulative = 0;
	// report after these updates (1-based counts), evenly spaced and strictly inside training
	const points = options.report === undefined ? new Set<number>() : reportUpdates(updates, options.reportPoints ?? 20);
	let prunedAt: number | undefined;
	let done = updates;
	try {
		for (let u = 0; u < updates; u++) {
			const stats = loop ? loop.update(env, actRng) : agent.train(env, actRng, options.extras);
			curve[u] = stats.meanReturn;
			cumulative += stats.rewardSum;
			const now = performance.now();
			if (now - lastYield > 50) {
				await yieldToEventLoop();
				lastYield = performance.now();
				if (options.signal?.aborted) throw new TrialError(`lifetime aborted after ${(u + 1) * B} episodes`, 'aborted');
			}
			if (options.onProgress && (now - lastReport > every || u === updates - 1)) {
				lastReport = now;
				const from = Math.max(0, u - 99);
				let s = 0;
				for (let i = from; i <= u; i++) s += curve[i] as number;
				options.onProgress({ episodes: (u + 1) * B, totalEpisodes: updates * B, runningReturn: s / (u - from + 1), stepsPerSecond: ((u + 1) * B * agent.horizon) / ((now - t0) / 1000) });
			}
			if (points.has(u + 1) && (await options.report?.((u + 1) * B, cumulative / ((u + 1) * B))) === true) {
				prunedAt = (u + 1) * B;
				done = u + 1;
				break;
			}
		}
		if (prunedAt !== undefined) return prunedResult(curve.subarray(0, done), cumulative, B, agent.horizon, (performance.now() - t0) / 1000, backend, prunedAt);
		const trainSeconds = (performance.now() - t0) / 1000;
		const evalEnv = new BanditBatch({ kind: config.task, batch: B, horizon: agent.horizon, fixed: config.fixed }, streams.split(config.fixed ? 'train-bandits' : 'eval-bandits'));
		const evalExtras = loop ? loop.evalExtras() : options.extras;
		const evalOptions: EvaluateOptions = { greedy: options.greedyEval ?? false, ...(evalExtras ? { extras: evalExtras } : {}) };
		const evaluation = evaluateAgent(agent, evalEnv, evalEpisodes, streams.split('eval-actions'), evalOptions);
		const wallSeconds = (performance.now() - t0) / 1000;
		const trained = updates * B;
		return {
			learningCurve: curve,
			cumulativeReward: cumulative,
			lifetimeReturn: trained > 0 ? cumulative / trained : Number.NaN,
			evalReturn: meanStd(evaluation.returns),
			evalRegret: meanStd(evaluation.regrets),
			trainEpisodes: trained,
			evalEpisodes,
			envSteps: (trained + Math.ceil(evalEpisodes / B) * B) * agent.horizon,
			wallSeconds,
			trainStepsPerSecond: trainSeconds > 0 ? (trained * agent.horizon) / trainSeconds : 0,
			backend,
		};
	} finally {
		if (!options.agent) agent.dispose();
	}
}

/** Update counts (1-based) after which a lifetime of `updates` updates reports: `points` evenly spaced, the last one before the end. */
function reportUpdates(updates: number, points: number): Set<number> {
	const out = new Set<number>();
	for (let k = 1; k <= points; k++) {
		const u = Math.round((k * updates) / (points + 1));
		if (u >= 1 && u < updates) out.add(u);
	}
	return out;
}

/** The result of a lifetime stopped after `curve.length` updates: no evaluation, final return estimated from the last 10% of updates. */
function prunedResult(curve: Float64Array, cumulative: number, batch: number, horizon: number, seconds: number, backend: BackendName, prunedAt: number): LifetimeResult {
	const trained = curve.length * batch;
	const recent = meanStd(curve.subarray(Math.floor(curve.length * 0.9)));
	return {
		learningCurve: curve,
		cumulativeReward: cumulative,
		lifetimeReturn: cumulative / trained,
		evalReturn: recent,
		evalRegret: { mean: Number.NaN, std: Number.NaN },
		trainEpisodes: trained,
		evalEpisodes: 0,
		envSteps: trained * horizon,
		wallSeconds: seconds,
		trainStepsPerSecond: seconds > 0 ? (trained * horizon) / seconds : 0,
		backend,
		prunedAt,
	};
}
