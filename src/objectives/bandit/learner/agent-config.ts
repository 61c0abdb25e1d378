/**
 * Settings of the A2C-LSTM bandit agent (zod schema, snake_case as in study files and summaries).
 * `parseAgentConfig` turns bad values into an InputError naming the field.
 *
 * Defaults were chosen by the training runs reported in the issue-2 notes (see lifetimes/lifetime.ts); the
 * published settings (Wang et al. 2016) are LSTM 48, gamma 0.8-0.9, value coefficient 0.05,
 * entropy 0.05 (or annealed), RMSProp 7e-4 or Adam 1e-3.
 */
import { z } from 'zod';
import { InputError } from '../../../core/errors.js';
import { optimizerKinds } from './optimizer.js';
import { paramNames } from './network.js';
import { taskKinds } from '../bandits/tasks.js';

const entropyScheduleSchema = z
	.object({
		start: z.number().min(0).default(0.05).describe('coefficient at episode 0'),
		end: z.number().min(0).default(0.05).describe('coefficient after anneal_episodes (linear in between)'),
		anneal_episodes: z.number().int().min(0).default(0).describe('episodes over which start goes to end; 0: constant start'),
	})
	.strict()
	.meta({ title: 'entropy schedule', description: 'an entropy coefficient annealed linearly from start to end' });

const rewardEncodingSchema = z.discriminatedUnion('kind', [
	z
		.object({ kind: z.literal('scalar') })
		.strict()
		.meta({ title: 'scalar reward encoding', description: 'the previous reward as one scalar input' }),
	z
		.object({
			kind: z.literal('rbf'),
			features: z.number().int().min(1).max(256).default(16).describe('Gaussian bumps, their centres evenly spaced from low to high'),
			low: z.number().default(0).describe('centre of the first bump'),
			high: z.number().default(1).describe('centre of the last bump'),
		})
		.strict()
		.refine((e) => e.high > e.low, { message: 'high must be greater than low', path: ['high'] })
		.meta({ title: 'rbf reward encoding', description: 'the previous reward beside radial-basis features of it' }),
]);

export const agentConfigSchema = z
	.object({
		task: z.enum(taskKinds).default('dependent-uniform').describe('the bandit family a new bandit is drawn from every episode (see docs/bandit-agent.md)'),
		horizon: z.number().int().min(1).optional().describe("pulls per episode (default: the task's, 100 two-armed, 5 eleven-armed)"),
		fixed: z.boolean().default(false).describe('keep one bandit for the whole lifetime instead of a new one every episode (the non-meta setting)'),
		hidden: z.number().int().min(1).max(1024).default(48).describe('LSTM units'),
		gamma: z.number().min(0).max(1).default(0.9).describe('discount of the returns the agent learns from (the signature studies search it)'),
		/**
		 * Adam 2e-2: with the entropy schedule below, eleven-armed switches to the informative arm after
		 * ~5k episodes instead of ~12k at 1e-2; dependent-uniform regret at 20k episodes 1.74 (seed 1)
		 */
		lr: z.number().positive().default(0.02).describe("the optimiser's learning rate"),
		optimizer: z.enum(optimizerKinds).default('adam').describe('inner optimiser'),
		adam_beta1: z.number().min(0).lt(1).default(0.9).describe("Adam's first-moment decay b1 (optimizer: adam only)"),
		adam_beta2: z.number().min(0).lt(1).default(0.999).describe("Adam's second-moment decay b2 (optimizer: adam only)"),
		rmsprop_decay: z.number().min(0).lt(1).default(0.99).describe("RMSProp's decay rho of the mean squared gradient (optimizer: rmsprop only)"),
		value_coef: z.number().min(0).default(0.05).describe('weight of the value loss in the A2C loss'),
		/**
		 * A number is a constant coefficient. Default 1 -> 0.01 over 15k episodes: a near-uniform policy
		 * keeps pulling the eleven-armed informative arm until the reward -> target mapping is learned
		 * (with a constant 0.05 its probability collapses within 2k episodes and the agent settles on
		 * search, return ~11.4)
		 */
		entropy: z
			.union([
				z
					.number()
					.min(0)
					.transform((c) => ({ start: c, end: c, anneal_episodes: 0 })),
				entropyScheduleSchema,
			])
			.default({ start: 1, end: 0.01, anneal_episodes: 15000 })
			.describe('entropy bonus: a constant, or `{start, end, anneal_episodes}` annealed linearly'),
		grad_clip: z.number().min(0).default(1).describe('global gradient-norm clip (0: off)'),
		batch: z.number().int().min(1).default(16).describe('episodes (bandits) per update'),
		extra_inputs: z.number().int().min(0).default(0).describe('extra scalar inputs per step (1 feeds the discount, as meta-gradient lifetimes do)'),
		reward_scale: z.number().positive().default(1).describe('rewards are multiplied by this for learning and as inputs (reported returns are not)'),
		/** after reward_scale */
		reward_input_scale: z.number().positive().default(1).describe('multiplies the previous reward in the network input only'),
		/**
		 * features of the previous reward fed beside the scalar (reward-encoding.ts); default 16 RBF bumps
		 * on [0, 1]: without them eleven-armed never learns the informative arm's reward -> target mapping
		 */
		reward_encoding: rewardEncodingSchema
			.default({ kind: 'rbf', features: 16, low: 0, high: 1 })
			.describe('features of the previous reward fed to the LSTM: `{kind: scalar}` or `{kind: rbf, features, low, high}`'),
		frozen: z.array(z.enum(paramNames)).default([]).describe('parameter tensors excluded from updates'),
	})
	.strict();

export type AgentConfigInput = z.input<typeof agentConfigSchema>;
export type AgentConfig = z.infer<typeof agentConfigSchema>;

export function parseAgentConfig(input: unknown, file?: string): AgentConfig {
	const parsed = agentConfigSchema.safeParse(input ?? {});
	if (parsed.success) return parsed.data;
	const issue = parsed.error.issues[0];
	const field = issue?.path.join('.') ?? '';
	throw new InputError(`${file ? `${file}: ` : ''}agent.${field}: ${issue?.message ?? 'invalid'}`, file, field);
}

/** Entropy coefficient after `episodes` training episodes (linear annealing, then constant). */
export function entropyCoefAt(config: AgentConfig, episodes: number): number {
	const { start, end, anneal_episodes: n } = config.entropy;
	if (n <= 0) return start;
	const f = Math.min(1, episodes / n);
	return start + (end - start) * f;
}

/** Whether a schedule that anneals still has not reached its end after `episodes` training episodes. */
export function entropyOutlasts(config: AgentConfig, episodes: number): boolean {
	const { start, end, anneal_episodes: n } = config.entropy;
	return start !== end && n > episodes;
}
