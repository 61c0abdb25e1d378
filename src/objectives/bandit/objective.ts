/**
 * The built-in study objective: one lifetime of the bandit agent per trial.
 *
 * Study file:
 *   objective:
 *     bandit:
 *       task: eleven-armed          # any agent setting (learner/agent-config.ts) may be fixed here ...
 *       train_episodes: 20000
 *       eval_episodes: 1000
 *       backend: auto
 *   space:
 *     gamma: {type: float, low: 0.5, high: 0.99}   # ... and any agent setting may be searched,
 *     entropy_start: {type: float, low: 0.05, high: 1, log: true}  # and the entropy schedule's parts
 *     train_episodes: {type: int, low: 10000, high: 30000, step: 5000}  # and the lifetime's length
 *
 * A trial's params override the fixed settings; the result carries every figure of the lifetime
 * (lifetime_return, final_return, final_regret, cumulative_reward, env_steps, agent_ms, param_count:
 * the network's number of parameters, backend, a downsampled learning curve over `updates` updates). The runner takes the study's `metric` from
 * them, so no `value` field repeats one of them. lifetime_return is the mean undiscounted episode
 * return over the lifetime's training episodes, cumulative_reward their sum; agent_ms is the agent's
 * own training and evaluation time (the runner's wall_ms of the lifetime adds building the agent
 * and the worker's round trip).
 *
 * Lifetimes of a `metagradient` tuner arm (`context.tuning`) run a meta-gradient lifetime
 * (lifetimes/meta-lifetime.ts): gamma starts at the proposed value (gamma0) and is tuned online; they also log
 * final_gamma and gamma_trajectory ([update, gamma] pairs, at most curve_points of them). Lifetimes of
 * a `pbt` tuner arm train a population (lifetimes/population.ts) over the ranges of `context.space`; the figures
 * are the deployed member's, and they also log final_params, param_trajectory (the deployed settings
 * over updates), lineage, pbt_events, population_return and members.
 */
import type { Params, Space } from '../../core/space.js';
import { createTuner } from '../../tuners/index.js';
import type { PbtConfig, TunerConfig } from '../../tuners/config.js';
import { downsample } from '../../core/stats.js';
import type { ObjectiveContext, ObjectiveFunction, ObjectiveResult } from '../objective.js';
import { type LifetimeProgress, type LifetimeResult, runLifetime } from './lifetimes/lifetime.js';
import { runMetaLifetime } from './lifetimes/meta-lifetime.js';
import { populationParams, type PopulationParam, type PopulationSettings, runPopulationLifetime, type TunedRange } from './lifetimes/population.js';
import { type BanditObjectiveSettings, splitSettings, trialSettings } from './settings.js';
import type { AgentConfig } from './learner/agent-config.js';
import { layoutOf } from './learner/network.js';
import { rewardFeatureCount } from './learner/reward-encoding.js';
import { armCount } from './bandits/tasks.js';

/** Intermediate reports per lifetime (context.report): episodes trained and mean return so far. */
const reportPoints = 20;

export function banditObjective(settings: BanditObjectiveSettings): ObjectiveFunction {
	return async (params: Params, context: ObjectiveContext): Promise<ObjectiveResult> => {
		const {
			lifetime: { eval_episodes, backend, greedy_eval, curve_points },
		} = splitSettings(settings);
		const { config, trainEpisodes } = trialSettings(settings, params);
		const lifetime = {
			config,
			seed: context.seed,
			trainEpisodes,
			evalEpisodes: eval_episodes,
			backend,
			greedyEval: greedy_eval,
			signal: context.signal,
			onProgress: (p: LifetimeProgress) => context.progress?.(p.episodes / p.totalEpisodes, `return ${p.runningReturn.toFixed(2)}`),
			...(context.report === undefined ? {} : { report: context.report, reportPoints }),
		};
		const tuning = context.tuning;
		let result: LifetimeResult;
		let meta: Record<string, unknown> = {};
		if (tuning?.kind === 'metagradient') {
			const m = await runMetaLifetime({
				...lifetime,
				trajectoryPoints: Math.max(2, curve_points),
				meta: {
					gamma0: config.gamma,
					...metaStep(tuning),
					feedGamma: tuning.feed_gamma,
					...(tuning.meta_input === undefined ? {} : { metaInput: tuning.meta_input }),
				},
			});
			result = m;
			meta = { gamma0: config.gamma, final_gamma: m.finalGamma, gamma_trajectory: m.gammaTrajectory };
		} else if (tuning?.kind === 'pbt') {
			const p = await runPopulationLifetime({ ...lifetime, population: populationSettings(tuning, context.space ?? {}) });
			result = p;
			meta = {
				final_params: p.finalParams,
				param_trajectory: p.trajectory,
				lineage: p.lineage,
				member_trajectories: p.members,
				pbt_events: p.events.map((e) => ({ ...e, t: Number(e.t.toPrecision(4)) })),
				population_return: p.populationReturn,
				members: tuning.population,
			};
		} else {
			result = await runLifetime(lifetime);
		}
		return {
			lifetime_return: result.lifetimeReturn,
			cumulative_reward: result.cumulativeReward,
			final_return: result.evalReturn.mean,
			final_return_std: result.evalReturn.std,
			final_regret: result.evalRegret.mean,
			train_episodes: result.trainEpisodes,
			env_steps: result.envSteps,
			agent_ms: Math.round(result.wallSeconds * 1000),
			steps_per_second: Math.round(result.trainStepsPerSecond),
			backend: result.backend,
			updates: result.learningCurve.length,
			param_count: paramCount(config, tuning),
			curve: downsample(result.learningCurve, curve_points),
			...meta,
		};
	};
}

/** The number of parameters of the lifetime's network (meta-gradient and pbt lifetimes that feed the discount get its input). */
function paramCount(config: AgentConfig, tuning: TunerConfig | undefined): number {
	const feedsGamma = tuning !== undefined && tuning.feed_gamma === true;
	const extra = feedsGamma ? Math.max(1, config.extra_inputs) : config.extra_inputs;
	return layoutOf({ arms: armCount(config.task), hidden: config.hidden, extra, rewardFeatures: rewardFeatureCount(config.reward_encoding) }).size;
}

/** The population a pbt arm trains: the ranges of the params its tuner tunes, and its settings. */
function populationSettings(tuning: PbtConfig, space: Space): PopulationSettings {
	const tuned: TunedRange[] = [];
	for (const { name } of createTuner(tuning).tuned(space)) {
		const param = space[name];
		if (param?.type !== 'float' || !(populationParams as readonly string[]).includes(name)) throw new RangeError(`pbt: ${name} is not a float agent setting a population can change`);
		tuned.push({ name: name as PopulationParam, low: param.low, high: param.high, log: param.log === true });
	}
	return {
		members: tuning.population,
		interval: tuning.interval,
		tuned,
		resample: tuning.resample,
		init: tuning.init ?? 'sample',
		seed: tuning.seed,
		feedGamma: tuning.feed_gamma,
		...(tuning.meta_gradient ? { meta: metaStep(tuning) } : {}),
	};
}

/** The meta-gradient step's settings of a metagradient arm or of pbt's meta-gradient members. */
function metaStep(tuning: TunerConfig) {
	return { beta: tuning.beta, mu: tuning.mu, gammaBar: tuning.gamma_bar, gammaMin: tuning.gamma_min, gammaMax: tuning.gamma_max, updateEvery: tuning.update_every };
}
