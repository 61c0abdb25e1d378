/**
 * A lifetime whose discount is tuned online by meta-gradients (meta-gradient.ts): the same lifetime
 * as lifetime.ts (training, frozen evaluation, every figure), driven by a MetaGradientTuner, plus the
 * discount trajectory.
 *
 * Notation
 *   gammaTrajectory  [update, gamma] pairs: gamma before update 0, then after every `every`-th update
 *                    (every = max(1, ceil(updates / points))) and after the last one
 *   finalGamma       the discount the lifetime ends with (the one evaluation is conditioned on)
 */
import type { AgentConfig } from '../learner/agent-config.js';
import { type LifetimeOptions, type LifetimeResult, runLifetime } from './lifetime.js';
import { MetaGradientTuner, type MetaGradientSettings } from './meta-gradient.js';

export interface MetaLifetimeOptions extends Omit<LifetimeOptions, 'innerLoop' | 'extras'> {
	readonly meta: MetaGradientSettings;
	/** points kept of the discount trajectory (default 200) */
	readonly trajectoryPoints?: number;
}

export interface MetaLifetimeResult extends LifetimeResult {
	readonly gammaTrajectory: readonly (readonly [number, number])[];
	readonly finalGamma: number;
}

/** The agent config a meta-gradient lifetime needs: gamma0 as gamma, and one extra input if gamma is fed. */
function metaAgentConfig(config: AgentConfig, meta: MetaGradientSettings): AgentConfig {
	return { ...config, gamma: meta.gamma0, extra_inputs: meta.feedGamma ? Math.max(1, config.extra_inputs) : config.extra_inputs };
}

export async function runMetaLifetime(options: MetaLifetimeOptions): Promise<MetaLifetimeResult> {
	const config = metaAgentConfig(options.agent?.config ?? options.config, options.meta);
	const updates = Math.ceil(options.trainEpisodes / config.batch);
	const every = Math.max(1, Math.ceil(updates / (options.trajectoryPoints ?? 200)));
	const trajectory: [number, number][] = [];
	let tuner: MetaGradientTuner | undefined;
	const result = await runLifetime({
		...options,
		config,
		innerLoop: (agent) => {
			const t = new MetaGradientTuner(agent, options.meta);
			tuner = t;
			trajectory.push([0, t.gamma]);
			let done = 0;
			return {
				update: (env, rng) => {
					const stats = t.update(env, rng);
					done += 1;
					if (done % every === 0 || done === updates) trajectory.push([done, t.gamma]);
					return stats;
				},
				evalExtras: () => t.evalExtras(),
			};
		},
	});
	const finalGamma = tuner?.gamma ?? options.meta.gamma0;
	return { ...result, gammaTrajectory: trajectory, finalGamma };
}
