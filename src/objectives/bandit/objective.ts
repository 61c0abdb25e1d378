/**
 * The built-in study objective: one lifetime of the bandit agent per trial.
 *
 * Study file:
 *   objective:
 *     bandit:
 *       task: eleven-armed          # any agent setting (agent-config.ts) may be fixed here ...
 *       train_episodes: 20000
 *       eval_episodes: 1000
 *       backend: auto
 *   space:
 *     gamma: {type: float, low: 0.5, high: 0.99}   # ... and any agent setting may be searched
 *
 * A trial's params override the fixed settings; the result carries every figure of the lifetime
 * (lifetime_return, final_return, final_regret, cumulative_reward, env_steps, wall_ms, backend, a
 * downsampled learning curve over `updates` updates). `value` is lifetime_return; the runner re-picks
 * it from the study's `metric`.
 *
 * Lifetimes of a `metagradient` tuner arm (`context.tuning`) run a meta-gradient lifetime (meta-lifetime.ts): gamma
 * starts at the proposed value (gamma0) and is tuned online; they also log final_gamma and
 * gamma_trajectory ([update, gamma] pairs, at most curve_points of them).
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { Params, Space } from '../../core/space.js';
import type { ObjectiveContext, ObjectiveFunction, ObjectiveResult } from '../objective.js';
import { agentConfigSchema, entropyOutlasts, parseAgentConfig } from './agent-config.js';
import { backendChoices } from './backend.js';
import { type LifetimeProgress, type LifetimeResult, runLifetime } from './lifetime.js';
import { runMetaLifetime } from './meta-lifetime.js';

export const banditObjectiveSchema = agentConfigSchema.partial().extend({
	train_episodes: z.number().int().min(1).default(20000),
	eval_episodes: z.number().int().min(0).default(500),
	backend: z.enum(backendChoices).default('auto'),
	/** evaluate with the most probable arm instead of sampling */
	greedy_eval: z.boolean().default(false),
	/** points kept of the learning curve in each trial record */
	curve_points: z.number().int().min(0).default(100),
});

export type BanditObjectiveSettings = z.infer<typeof banditObjectiveSchema>;

/** The names a study's space may search over (agent settings). */
export const banditParamNames: readonly string[] = Object.keys(agentConfigSchema.shape);

/** Throws InputError naming the first space parameter the agent does not know. */
export function checkBanditSpace(names: readonly string[], file?: string): void {
	for (const name of names) {
		if (!banditParamNames.includes(name)) {
			throw new InputError(`${file ? `${file}: ` : ''}space.${name}: not a setting of the bandit agent; use one of ${banditParamNames.join(', ')}`, file, `space.${name}`);
		}
	}
}

/**
 * Throws InputError when a value the space can propose is not a valid agent setting, e.g. a discount
 * range reaching above 1: bounds of float and int params, every choice, fixed values (each checked
 * with the objective's fixed settings, so the lifetime would fail on it).
 */
export function checkBanditSpaceValues(space: Space, settings: BanditObjectiveSettings, file?: string): void {
	const { agent } = splitSettings(settings);
	const prefix = file ? `${file}: ` : '';
	for (const [name, param] of Object.entries(space)) {
		const candidates: [string, unknown][] =
			param.type === 'fixed' ? [['value', param.value]] : param.type === 'categorical' ? param.choices.map((c) => ['choices', c] as [string, unknown]) : [['low', param.low], ['high', param.high]];
		for (const [field, value] of candidates) {
			const parsed = agentConfigSchema.safeParse({ ...agent, [name]: value });
			if (parsed.success) continue;
			const issue = parsed.error.issues.find((i) => i.path[0] === name) ?? parsed.error.issues[0];
			throw new InputError(`${prefix}space.${name}.${field}: ${JSON.stringify(value)} is not a valid ${name} for the bandit agent (${issue?.message ?? 'invalid'}); keep the range within what ${name} allows`, file, `space.${name}.${field}`);
		}
	}
}

/** Mean of consecutive chunks so that at most `points` values remain. */
export function downsample(xs: ArrayLike<number>, points: number): number[] {
	if (points <= 0) return [];
	const n = xs.length;
	if (n <= points) return Array.from(xs);
	const out: number[] = [];
	for (let i = 0; i < points; i++) {
		const from = Math.floor((i * n) / points);
		const to = Math.floor(((i + 1) * n) / points);
		let s = 0;
		for (let j = from; j < to; j++) s += xs[j] as number;
		out.push(s / Math.max(1, to - from));
	}
	return out;
}

/**
 * Notes on settings that are valid but likely not what the user wants (e.g. an entropy schedule that
 * anneals over more episodes than a lifetime trains, so the agent never stops exploring).
 */
export function banditSettingsNotes(settings: BanditObjectiveSettings, file?: string): string[] {
	const notes: string[] = [];
	const config = parseAgentConfig(splitSettings(settings).agent, file);
	const { anneal_episodes: anneal, start, end } = config.entropy;
	if (entropyOutlasts(config, settings.train_episodes)) {
		notes.push(
			`${file ? `${file}: ` : ''}objective.bandit.entropy: anneals from ${start} to ${end} over ${anneal} episodes but a lifetime trains ${settings.train_episodes}, so the agent keeps exploring to the end; set train_episodes >= ${anneal} or entropy: {start, end, anneal_episodes} (or a constant, e.g. entropy: 0.05)`,
		);
	}
	return notes;
}

/** The lifetime settings and the fixed agent settings of the objective's settings. */
function splitSettings(settings: BanditObjectiveSettings) {
	const { train_episodes, eval_episodes, backend, greedy_eval, curve_points, ...agent } = settings;
	return { lifetime: { train_episodes, eval_episodes, backend, greedy_eval, curve_points }, agent };
}

export function banditObjective(settings: BanditObjectiveSettings): ObjectiveFunction {
	return async (params: Params, context: ObjectiveContext): Promise<ObjectiveResult> => {
		const { lifetime: { train_episodes, eval_episodes, backend, greedy_eval, curve_points }, agent } = splitSettings(settings);
		const config = parseAgentConfig({ ...agent, ...params });
		const lifetime = {
			config,
			seed: context.seed,
			trainEpisodes: train_episodes,
			evalEpisodes: eval_episodes,
			backend,
			greedyEval: greedy_eval,
			signal: context.signal,
			onProgress: (p: LifetimeProgress) => context.progress?.(p.episodes / p.totalEpisodes, `return ${p.runningReturn.toFixed(2)}`),
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
					beta: tuning.beta,
					mu: tuning.mu,
					gammaBar: tuning.gamma_bar,
					gammaMin: tuning.gamma_min,
					gammaMax: tuning.gamma_max,
					updateEvery: tuning.update_every,
					feedGamma: tuning.feed_gamma,
				},
			});
			result = m;
			meta = { gamma0: config.gamma, final_gamma: m.finalGamma, gamma_trajectory: m.gammaTrajectory };
		} else {
			result = await runLifetime(lifetime);
		}
		return {
			value: result.lifetimeReturn,
			lifetime_return: result.lifetimeReturn,
			cumulative_reward: result.cumulativeReward,
			final_return: result.evalReturn.mean,
			final_return_std: result.evalReturn.std,
			final_regret: result.evalRegret.mean,
			train_episodes: result.trainEpisodes,
			env_steps: result.envSteps,
			wall_ms: Math.round(result.wallSeconds * 1000),
			steps_per_second: Math.round(result.trainStepsPerSecond),
			backend: result.backend,
			updates: result.learningCurve.length,
			curve: downsample(result.learningCurve, curve_points),
			...meta,
		};
	};
}
