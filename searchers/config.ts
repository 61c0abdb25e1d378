/**
 * Searcher settings as they appear in study files (`searcher: {kind: ...}`), validated by zod.
 * The study spec embeds `searcherConfigSchema`; `searchers/index.ts` turns a config into a Searcher.
 * The descriptions beside the fields are the study-file reference's text and the JSON Schema's
 * (src/study/spec/reference.ts).
 */
import { z } from 'zod';

const seed = z.number().int().nonnegative().default(0).describe("seed of the searcher's own random draws");

export const gridConfigSchema = z
	.object({
		kind: z.literal('grid'),
		points: z.number().int().min(1).default(5).describe('points per float or int parameter (log-spaced for log parameters)'),
		values: z
			.record(z.string(), z.array(z.union([z.number(), z.string(), z.boolean()])).min(1))
			.optional()
			.describe('explicit values per parameter, e.g. `{gamma: [0.9, 0.99]}`, overriding `points` for that parameter'),
		seed: seed.describe('seed of the visiting order when `shuffle` is true'),
		shuffle: z.boolean().default(false).describe('visit the points in a seeded random order, so a budget smaller than the grid still spreads over the space'),
	})
	.strict()
	.meta({
		title: 'grid searcher',
		description: 'every point of a grid exactly once, the last parameter fastest (also with concurrency, several processes and resume)',
	});

export const randomConfigSchema = z
	.object({ kind: z.literal('random'), seed })
	.strict()
	.meta({ title: 'random searcher', description: 'independent uniform draws from the space (log-uniform for log parameters); a resumed study continues the sequence' });

export const gpConfigSchema = z
	.object({
		kind: z.literal('gp'),
		seed,
		n_startup: z.number().int().min(1).optional().describe('quasi-random start-up points before the model is fitted; default max(10, 2 x searched params)'),
		acquisition: z.enum(['log_ei', 'ucb']).default('log_ei').describe('acquisition function: log expected improvement or upper confidence bound'),
		ucb_beta: z.number().positive().default(2).describe('UCB exploration weight (only for acquisition: ucb)'),
		pruned: z
			.enum(['last_value', 'ignore'])
			.optional()
			.describe('configurations a pruner stopped: observations at their last reported value (`last_value`, the default when absent) or left out of the model (`ignore`)'),
	})
	.strict()
	.meta({
		title: 'gp searcher',
		description: 'Gaussian-process Bayesian optimisation (Matern-5/2 kernel, log expected improvement or UCB); its chosen configuration is the best posterior mean',
	});

export const tpeConfigSchema = z
	.object({
		kind: z.literal('tpe'),
		seed,
		n_startup: z.number().int().min(0).default(10).describe('random start-up configurations (counted in finished trials) before the Parzen estimators take over'),
		multivariate: z.boolean().default(true).describe('one joint estimator per group of params that are active together (as Optuna 5.0 by default); false: every param on its own (independent TPE)'),
		constant_liar: z.boolean().default(true).describe('count running trials (and earlier proposals of the same ask) as bad ones, so concurrent asks spread out instead of proposing the same region'),
		n_ei_candidates: z.number().int().min(1).default(24).describe('candidates drawn from the good estimator per proposal; the one with the best ratio good/bad is proposed'),
		prior_weight: z.number().positive().default(1).describe("weight of each estimator's prior component (a wide kernel at the centre of each range, uniform over choices)"),
	})
	.strict()
	.meta({
		title: 'tpe searcher',
		description: "tree-structured Parzen estimator (Optuna's TPESampler: good/bad split gamma(n) = min(ceil(0.1 n), 25), 24 candidates); searches conditional spaces group by group",
	});

const searcherConfigSchema = z.discriminatedUnion('kind', [gridConfigSchema, randomConfigSchema, gpConfigSchema, tpeConfigSchema]);

export type GridConfig = z.infer<typeof gridConfigSchema>;
export type RandomConfig = z.infer<typeof randomConfigSchema>;
export type GpConfig = z.infer<typeof gpConfigSchema>;
export type TpeConfig = z.infer<typeof tpeConfigSchema>;
export type SearcherConfig = z.infer<typeof searcherConfigSchema>;
