/**
 * Online tuner settings as they appear in study files (`searchers: [{kind: metagradient, ...}]`),
 * validated by zod. An online tuner is an arm that runs whole lifetimes which adapt hyperparameters
 * inside themselves; it is not a searcher (it proposes nothing from finished lifetimes).
 */
import { z } from 'zod';

export const metagradientConfigSchema = z
	.object({
		kind: z.literal('metagradient'),
		seed: z.number().int().nonnegative().default(0),
		gamma0: z.number().gt(0).lt(1).default(0.9),
		/** meta learning rate: Adam step on eta = logit(gamma) per meta step */
		beta: z.number().positive().default(0.05),
		mu: z.number().min(0).max(1).default(0),
		gamma_bar: z.number().gt(0).max(1).default(1),
		gamma_min: z.number().gt(0).lt(1).default(0.01),
		gamma_max: z.number().gt(0).lt(1).default(0.995),
		update_every: z.number().int().min(1).default(1),
		/** feed gamma to the agent as an input (the discount-conditioned value function) */
		feed_gamma: z.boolean().default(true),
	})
	.strict();

const tunerKinds = ['metagradient'] as const;
export type TunerKind = (typeof tunerKinds)[number];

export type MetagradientConfig = z.infer<typeof metagradientConfigSchema>;
export type TunerConfig = MetagradientConfig;

/** Whether an arm's settings name an online tuner (else they name a searcher). */
export function isTunerConfig(config: { readonly kind: string }): config is TunerConfig {
	return (tunerKinds as readonly string[]).includes(config.kind);
}
