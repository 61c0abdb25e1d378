/**
 * Online tuner settings as they appear in study files (`searchers: [{kind: metagradient, ...}]`),
 * validated by zod. An online tuner is an arm that runs whole lifetimes which adapt hyperparameters
 * inside themselves; it is not a searcher (it proposes nothing from finished lifetimes).
 */
import { z } from 'zod';

/** The meta-gradient step's settings, shared by the metagradient tuner and pbt's meta-gradient members. */
const metaGradientFields = {
	/** meta learning rate: Adam step on eta = logit(gamma) per meta step */
	beta: z.number().positive().default(0.05),
	/** trace decay */
	mu: z.number().min(0).max(1).default(0),
	/** reference discount of the meta-objective */
	gamma_bar: z.number().gt(0).max(1).default(1),
	gamma_min: z.number().gt(0).lt(1).default(0.01),
	gamma_max: z.number().gt(0).lt(1).default(0.995),
	/** inner updates per meta step */
	update_every: z.number().int().min(1).default(1),
};

export const metagradientConfigSchema = z
	.object({
		kind: z.literal('metagradient'),
		seed: z.number().int().nonnegative().default(0),
		gamma0: z.number().gt(0).lt(1).default(0.9),
		...metaGradientFields,
		/** feed gamma to the agent as an input (the discount-conditioned value function) */
		feed_gamma: z.boolean().default(true),
		/** what the network is conditioned on when J' scores a batch: current (default) or reference (gamma_bar, as in the paper) */
		meta_input: z.enum(['current', 'reference']).optional(),
	})
	.strict();

/**
 * Population-based training inside each lifetime (Jaderberg et al. 2017; Ray Tune's
 * PopulationBasedTraining): `population` members train side by side, every `interval` updates the
 * worst copies the best when a paired t-test says it is better, then perturbs or resamples the copied
 * settings. It tunes every searched param of the space (floats among the agent settings a lifetime
 * can change); `start` gives member 0's values (default: each range's midpoint). With
 * `meta_gradient`, every member also adapts its discount by meta-gradients between selections (the
 * metagradient tuner's settings below apply to it).
 */
export const pbtConfigSchema = z
	.object({
		kind: z.literal('pbt'),
		seed: z.number().int().nonnegative().default(0),
		population: z.number().int().min(2).max(8).default(3),
		/** training updates between selections */
		interval: z.number().int().min(2).default(20),
		start: z.record(z.string(), z.number()).default({}),
		/** probability that explore draws a fresh value from the range instead of perturbing x0.8 / x1.2 */
		resample: z.number().min(0).max(1).default(0.25),
		feed_gamma: z.boolean().default(true),
		meta_gradient: z.boolean().default(false),
		...metaGradientFields,
	})
	.strict();

const tunerKinds = ['metagradient', 'pbt'] as const;
export type TunerKind = (typeof tunerKinds)[number];

export type MetagradientConfig = z.infer<typeof metagradientConfigSchema>;
export type PbtConfig = z.infer<typeof pbtConfigSchema>;
export type TunerConfig = MetagradientConfig | PbtConfig;

/** Whether an arm's settings name an online tuner (else they name a searcher). */
export function isTunerConfig(config: { readonly kind: string }): config is TunerConfig {
	return (tunerKinds as readonly string[]).includes(config.kind);
}
