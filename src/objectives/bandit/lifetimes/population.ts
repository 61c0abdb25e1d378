/**
 * Population-based training inside one lifetime (Jaderberg et al. 2017): M members, each an agent
 * with its own hyperparameters, train side by side on the lifetime's task stream; every `interval`
 * updates the best member is compared with the worst and, when it is significantly better, the worst
 * copies the best (exploit) and changes the copied hyperparameters (explore).
 *
 * Notation
 *   member m      an Agent with hyperparameters h_m (gamma, lr, entropy, value_coef, grad_clip: any of
 *                 them the population tunes); member 0 starts at the start configuration, members
 *                 1..M-1 at hyperparameters drawn uniformly from the tuned ranges (init: sample; Ray
 *                 Tune's PBT draws its initial population from the search space the same way) or at
 *                 the start configuration too (init: start: only exploit/explore moves them)
 *   task stream   every member plays the same bandits at update u (their envs share one seed; bandit
 *                 draws do not depend on actions); actions are sampled from per-member streams
 *   window        the last `interval` updates; r_m,u is member m's mean episode return at update u
 *   selection     best b and worst w by window mean; d_u = r_b,u - r_w,u (paired: the same bandits);
 *                 significant when t = mean(d) / (sd(d) / sqrt(R)) > t_{0.975, R-1} (one-sided paired
 *                 t-test at 2.5%). Pairing removes the bandits' shared variance, which dominates r_m,u
 *   exploit       w takes b's weights, optimiser state and hyperparameters (and its lineage)
 *   explore       each tuned h of w: with probability `resample` a fresh uniform draw from its range
 *                 (log-uniform for log params), else h times 0.8 or 1.2, clamped to the range
 *   deployed      the best member of the last selection (member 0 before the first): the policy a user
 *                 would run; the lifetime's curve and return are the deployed member's per update, and
 *                 `trajectory` is the deployed hyperparameters over updates (at 0, each selection, the end)
 *   meta members  with `meta`, every member adapts its discount by meta-gradients between selections
 *                 (meta-gradient.ts); exploit copies the discount, explore perturbs it, and the member
 *                 restarts its meta-gradient state (trace, meta-Adam) from there
 *
 * Env steps are the whole population's: M times a plain lifetime's training, plus the deployed
 * member's evaluation.
 */
import { TrialError } from '../../../core/errors.js';
import { Rng } from '../../../core/rng.js';
import { tQuantile975 } from '../../../core/stats.js';
import { Agent, type UpdateStats } from '../learner/agent.js';
import type { AgentConfig } from '../learner/agent-config.js';
import type { BackendChoice } from '../learner/backend-choices.js';
import { initBackend } from '../learner/backend.js';
import { evaluateAgent, type LifetimeProgress, type LifetimeResult, meanStd } from './lifetime.js';
import { MetaGradientTuner, type MetaGradientSettings } from './meta-gradient.js';
import { clamp, draw, explore, pairedT } from './population-explore.js';
import { BanditBatch } from '../bandits/tasks.js';

/** Agent settings a population may change mid-lifetime (numbers that do not change the network's shape). */
export const populationParams = ['gamma', 'lr', 'entropy', 'value_coef', 'grad_clip'] as const;
export type PopulationParam = (typeof populationParams)[number];

export interface TunedRange {
	readonly name: PopulationParam;
	readonly low: number;
	readonly high: number;
	readonly log: boolean;
}

export interface PopulationSettings {
	readonly members: number;
	/** updates between selections */
	readonly interval: number;
	readonly tuned: readonly TunedRange[];
	/** probability of a fresh draw instead of a x0.8 / x1.2 perturbation */
	readonly resample: number;
	/** members 1..M-1 start at draws from the ranges (`sample`) or at the start configuration like member 0 (`start`) */
	readonly init: 'start' | 'sample';
	/** the arm's seed, mixed into the explore stream (0: the stream of the lifetime seed alone) */
	readonly seed: number;
	/** feed gamma to every member as its first extra input */
	readonly feedGamma: boolean;
	/** meta-gradient members (gamma0 is each member's own discount) */
	readonly meta?: Omit<MetaGradientSettings, 'gamma0' | 'feedGamma'>;
}

export interface PopulationOptions {
	readonly config: AgentConfig;
	readonly seed: number;
	readonly trainEpisodes: number;
	readonly evalEpisodes: number;
	readonly backend?: BackendChoice;
	readonly greedyEval?: boolean;
	readonly population: PopulationSettings;
	readonly onProgress?: (progress: LifetimeProgress) => void;
	readonly signal?: AbortSignal;
}

interface PopulationEvent {
	readonly update: number;
	/** copied from, copied into */
	readonly from: number;
	readonly to: number;
	/** the paired t statistic of the selection */
	readonly t: number;
	readonly before: Readonly<Record<string, number>>;
	readonly after: Readonly<Record<string, number>>;
}

export interface PopulationResult extends LifetimeResult {
	/** mean episode return over all members' training episodes */
	readonly populationReturn: number;
	/** the deployed member's final hyperparameters */
	readonly finalParams: Readonly<Record<string, number>>;
	/** [update, value] of each tuned param of the deployed member: at update 0, at every selection, at the end */
	readonly trajectory: Readonly<Record<string, readonly (readonly [number, number])[]>>;
	/** [update, value] of each tuned param along the final deployed member's lineage (its ancestors' values) */
	readonly lineage: Readonly<Record<string, readonly (readonly [number, number])[]>>;
	/** per member slot: [update, value] of each tuned param at update 0, every selection and the end */
	readonly members: readonly Readonly<Record<string, readonly (readonly [number, number])[]>>[];
	readonly events: readonly PopulationEvent[];
	readonly selections: number;
}

interface Member {
	agent: Agent;
	params: Record<string, number>;
	meta: MetaGradientTuner | undefined;
	extras: Float32Array | undefined;
	window: number[];
	lineage: Record<string, [number, number][]>;
}

/** The agent config with a member's hyperparameters (entropy as a constant coefficient). */
function memberConfig(base: AgentConfig, params: Readonly<Record<string, number>>, feedGamma: boolean): AgentConfig {
	const config: AgentConfig = { ...base, extra_inputs: feedGamma ? Math.max(1, base.extra_inputs) : base.extra_inputs };
	for (const [name, v] of Object.entries(params)) {
		if (name === 'entropy') config.entropy = { start: v, end: v, anneal_episodes: 0 };
		else (config as Record<string, unknown>)[name] = v;
	}
	return config;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runPopulationLifetime(options: PopulationOptions): Promise<PopulationResult> {
	const { population: settings, trainEpisodes, evalEpisodes } = options;
	if (!(Number.isInteger(settings.members) && settings.members >= 2)) throw new RangeError(`population: need at least 2 members (got ${settings.members})`);
	if (!(Number.isInteger(settings.interval) && settings.interval >= 2)) throw new RangeError(`population: interval must be >= 2 updates (got ${settings.interval})`);
	const backend = await initBackend(options.backend ?? 'auto');
	const root = new Rng(options.seed);
	const explorer = settings.seed === 0 ? root.split('population') : root.split('population').split(settings.seed);
	const feedGamma = settings.feedGamma && settings.tuned.some((r) => r.name === 'gamma');
	const B = options.config.batch;
	const start: Record<string, number> = {};
	for (const r of settings.tuned) start[r.name] = clamp(r.name === 'entropy' ? options.config.entropy.start : options.config[r.name], r);

	const makeMember = (params: Record<string, number>, from: Member | undefined, update: number, lineage: Record<string, [number, number][]>): Member => {
		const config = memberConfig(options.config, params, feedGamma || settings.meta !== undefined);
		const state =
			from === undefined
				? {}
				: {
						theta: from.agent.theta,
						optimizer: { kind: from.agent.optimizer.kind, step: from.agent.optimizer.step, m: Float32Array.from(from.agent.optimizer.m), v: Float32Array.from(from.agent.optimizer.v) },
						episodesTrained: from.agent.episodesTrained,
						updates: from.agent.updates,
					};
		const agent = new Agent(config, root, state);
		const meta = settings.meta === undefined ? undefined : new MetaGradientTuner(agent, { ...settings.meta, gamma0: config.gamma, feedGamma: true });
		const extras = config.extra_inputs > 0 ? new Float32Array(config.extra_inputs) : undefined;
		const next: Record<string, [number, number][]> = {};
		for (const r of settings.tuned) next[r.name] = [...(lineage[r.name] ?? []), [update, params[r.name] as number]];
		return { agent, params: { ...params }, meta, extras, window: [], lineage: next };
	};
	const members: Member[] = [];
	for (let m = 0; m < settings.members; m++) {
		const params = m === 0 || settings.init === 'start' ? { ...start } : Object.fromEntries(settings.tuned.map((r) => [r.name, draw(r, explorer)]));
		members.push(makeMember(params, undefined, 0, {}));
	}
	const envs = members.map(() => new BanditBatch({ kind: options.config.task, batch: B, horizon: members[0]?.agent.horizon as number, fixed: options.config.fixed }, root.split('train-bandits')));
	const actions = members.map((_, m) => root.split(m === 0 ? 'train-actions' : `train-actions-${m}`));

	const step = (m: Member, env: BanditBatch, rng: Rng): UpdateStats => {
		if (m.meta) {
			const stats = m.meta.update(env, rng);
			m.params.gamma = m.meta.gamma;
			return stats;
		}
		if (m.extras && feedGamma) m.extras[0] = m.params.gamma as number;
		return m.agent.train(env, rng, m.extras);
	};

	const updates = Math.ceil(trainEpisodes / B);
	const curve = new Float64Array(updates);
	const events: PopulationEvent[] = [];
	let deployed = 0;
	let populationSum = 0;
	let cumulative = 0;
	let selections = 0;
	const timeline: Record<string, [number, number][]> = {};
	const slots: Record<string, [number, number][]>[] = [];
	const mark = (update: number) => {
		members.forEach((m, i) => {
			const slot = slots[i] ?? {};
			for (const r of settings.tuned) {
				const points = slot[r.name] ?? [];
				points.push([update, m.params[r.name] as number]);
				slot[r.name] = points;
			}
			slots[i] = slot;
		});
		for (const r of settings.tuned) {
			const points = timeline[r.name] ?? [];
			points.push([update, (members[deployed] as Member).params[r.name] as number]);
			timeline[r.name] = points;
		}
	};
	mark(0);
	const t0 = performance.now();
	let lastYield = t0;
	let lastReport = t0;
	try {
		for (let u = 0; u < updates; u++) {
			members.forEach((m, i) => {
				const stats = step(m, envs[i] as BanditBatch, actions[i] as Rng);
				m.window.push(stats.meanReturn);
				populationSum += stats.rewardSum;
				if (i === deployed) {
					curve[u] = stats.meanReturn;
					cumulative += stats.rewardSum;
				}
			});
			if ((u + 1) % settings.interval === 0 && u + 1 < updates) {
				selections++;
				const means = members.map((m) => m.window.reduce((s, x) => s + x, 0) / m.window.length);
				const order = means.map((_, i) => i).sort((a, b) => (means[b] as number) - (means[a] as number) || a - b);
				const best = order[0] as number;
				const worst = order[order.length - 1] as number;
				deployed = best;
				const b = members[best] as Member;
				const w = members[worst] as Member;
				const t = pairedT(b.window, w.window);
				if (t > tQuantile975(settings.interval - 1)) {
					const after = explore(b.params, settings.tuned, settings.resample, explorer);
					events.push({ update: u + 1, from: best, to: worst, t, before: { ...w.params }, after });
					w.agent.dispose();
					members[worst] = makeMember(after, b, u + 1, b.lineage);
				}
				for (const m of members) m.window = [];
				mark(u + 1);
			}
			const now = performance.now();
			if (now - lastYield > 50) {
				await yieldToEventLoop();
				lastYield = performance.now();
				if (options.signal?.aborted) throw new TrialError(`lifetime aborted after ${(u + 1) * B} episodes`, 'aborted');
			}
			if (options.onProgress && (now - lastReport > 500 || u === updates - 1)) {
				lastReport = now;
				const from = Math.max(0, u - 99);
				let s = 0;
				for (let i = from; i <= u; i++) s += curve[i] as number;
				options.onProgress({
					episodes: (u + 1) * B,
					totalEpisodes: updates * B,
					runningReturn: s / (u - from + 1),
					stepsPerSecond: ((u + 1) * B * members.length * (members[0] as Member).agent.horizon) / ((now - t0) / 1000),
				});
			}
		}
		const trainSeconds = (performance.now() - t0) / 1000;
		const chosen = members[deployed] as Member;
		const horizon = chosen.agent.horizon;
		const evalEnv = new BanditBatch({ kind: options.config.task, batch: B, horizon, fixed: options.config.fixed }, root.split(options.config.fixed ? 'train-bandits' : 'eval-bandits'));
		if (chosen.extras && feedGamma) chosen.extras[0] = chosen.params.gamma as number;
		const evalExtras = chosen.meta ? chosen.meta.evalExtras() : chosen.extras;
		const evaluation = evaluateAgent(chosen.agent, evalEnv, evalEpisodes, root.split('eval-actions'), { greedy: options.greedyEval ?? false, ...(evalExtras ? { extras: evalExtras } : {}) });
		const trained = updates * B;
		mark(updates);
		const lineage: Record<string, [number, number][]> = {};
		for (const r of settings.tuned) lineage[r.name] = [...(chosen.lineage[r.name] ?? []), [updates, chosen.params[r.name] as number]];
		return {
			learningCurve: curve,
			cumulativeReward: cumulative,
			lifetimeReturn: trained > 0 ? cumulative / trained : Number.NaN,
			populationReturn: trained > 0 ? populationSum / (trained * members.length) : Number.NaN,
			evalReturn: meanStd(evaluation.returns),
			evalRegret: meanStd(evaluation.regrets),
			trainEpisodes: trained,
			evalEpisodes,
			envSteps: (trained * members.length + Math.ceil(evalEpisodes / B) * B) * horizon,
			wallSeconds: (performance.now() - t0) / 1000,
			trainStepsPerSecond: trainSeconds > 0 ? (trained * members.length * horizon) / trainSeconds : 0,
			backend,
			finalParams: { ...chosen.params },
			trajectory: timeline,
			lineage,
			members: slots,
			events,
			selections,
		};
	} finally {
		for (const m of members) m.agent.dispose();
	}
}
