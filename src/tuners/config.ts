/**
 * Online tuner settings as they appear in study files (`searchers: [{kind: metagradient, ...}]`),
 * validated by zod. An online tuner is an arm that runs whole lifetimes which adapt hyperparameters
 * inside themselves; it is not a searcher (it proposes nothing from finished lifetimes). The
 * descriptions beside the fields are the study-file reference's text (src/study/spec/reference.ts).
 */
import { z } from 'zod';

/** The meta-gradient step's settings, shared by the metagradient tuner and pbt's meta-gradient members. */
const metaGradientFields = {
	beta: z.number().positive().default(0.05).describe('meta learning rate: Adam step on eta = logit(gamma) per meta step'),
	mu: z.number().min(0).max(1).default(0).describe('trace decay of the meta-gradient'),
	gamma_bar: z.number().gt(0).max(1).default(1).describe('reference discount of the meta-objective'),
	gamma_min: z.number().gt(0).lt(1).default(0.01).describe('lowest discount the meta-gradient may reach'),
	gamma_max: z.number().gt(0).lt(1).default(0.995).describe('highest discount the meta-gradient may reach'),
	update_every: z.number().int().min(1).default(1).describe('inner updates per meta step'),
};

export const metagradientConfigSchema = z
	.object({
		kind: z.literal('metagradient'),
		seed: z
			.number()
			.int()
			.nonnegative()
			.default(0)
			.describe(
				'not to be written: the meta-gradient makes no random draws of its own (its lifetimes are fixed by their lifetime seeds), so a seed given here is refused; the field stays in the parsed study so committed journals keep their hashes',
			),
		gamma0: z.number().gt(0).lt(1).default(0.9).describe('discount every lifetime starts from'),
		...metaGradientFields,
		feed_gamma: z.boolean().default(true).describe('feed gamma to the agent as an input (the discount-conditioned value function)'),
		meta_input: z
			.enum(['current', 'reference'])
			.optional()
			.describe("what the network is conditioned on when J' scores a batch: `current` (the default when absent) or `reference` (gamma_bar, as in the paper)"),
	})
	.strict()
	.meta({
		title: 'metagradient tuner',
		description: 'tunes the discount `gamma` of the bandit objective online, by meta-gradients, inside every lifetime (Xu et al. 2018)',
	});

/**
 * Population-based training (Jaderberg et al. 2017; Ray Tune's PopulationBasedTraining). On the
 * bandit objective, `population` members train side by side inside each lifetime: every `interval`
 * updates the worst copies the best when a paired t-test says it is better, then perturbs or
 * resamples the copied settings (floats among the agent settings a lifetime can change; with
 * `meta_gradient` every member also adapts its discount, with the metagradient settings below). On a
 * module or command objective, the members are lifetimes that checkpoint: at every `interval` (in the
 * steps of their reports) the bottom `quantile` copies a top member's checkpoint and settings, then
 * explores (docs/online-tuning.md); every searched param is tuned.
 */
export const pbtConfigSchema = z
	.object({
		kind: z.literal('pbt'),
		seed: z.number().int().nonnegative().default(0).describe("seed of the arm's own draws (the members' first settings and explore), combined with the lifetime's or the study's seed"),
		population: z.number().int().min(2).max(64).default(3).describe('members training side by side (the bandit objective: at most 8, in one lifetime)'),
		interval: z
			.number()
			.int()
			.min(1)
			.default(20)
			.describe('between two selections: training updates (bandit), or steps of the reports (module and command objectives: a selection at every multiple of it)'),
		init: z
			.enum(['start', 'sample'])
			.optional()
			.describe(
				'where members begin: `sample` (the default), drawn from the space (on the bandit: members 1.., member 0 at the start configuration), or `start`, every member at the start configuration (only explore moves them)',
			),
		start: z
			.record(z.string(), z.union([z.number(), z.string(), z.boolean()]))
			.default({})
			.describe("the start configuration's value of each tuned param, e.g. `{gamma: 0.99}` (default: each range's midpoint, an int's midpoint, a categorical's first choice)"),
		quantile: z.number().gt(0).max(0.5).optional().describe('module and command objectives: the fraction of the ranked population that exploits (the bottom) and is exploited (the top); default 0.25'),
		explore: z
			.enum(['perturb', 'pb2'])
			.optional()
			.describe(
				'module and command objectives: how exploit is followed: `perturb` (the default: x0.8 / x1.2, or resample) or `pb2` (a GP bandit over (time, params) -> reward change proposes floats)',
			),
		resample: z.number().min(0).max(1).default(0.25).describe('probability that explore draws a fresh value from the range instead of perturbing x0.8 / x1.2'),
		feed_gamma: z.boolean().default(true).describe('feed gamma to the agent as an input (the discount-conditioned value function)'),
		meta_gradient: z.boolean().default(false).describe('every member also adapts its discount by meta-gradients between selections (with the settings below)'),
		...metaGradientFields,
	})
	.strict()
	.meta({
		title: 'pbt tuner',
		description:
			'population-based training inside each lifetime of the bandit objective: every `interval` updates the worst member copies the best when a paired t-test says it is better, then perturbs or resamples the copied settings; tunes every searched param of the space',
	});

const tunerKinds = ['metagradient', 'pbt'] as const;
export type TunerKind = (typeof tunerKinds)[number];

export type MetagradientConfig = z.infer<typeof metagradientConfigSchema>;
export type PbtConfig = z.infer<typeof pbtConfigSchema>;
export type TunerConfig = MetagradientConfig | PbtConfig;

/** Whether an arm's settings name an online tuner (else they name a searcher). */
export function isTunerConfig(config: { readonly kind: string }): config is TunerConfig {
	return (tunerKinds as readonly string[]).includes(config.kind);
}
