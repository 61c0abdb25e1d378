/**
 * Searcher settings as they appear in study files (`searcher: {kind: ...}`), validated by zod.
 * The study spec embeds `searcherConfigSchema`; `searchers/index.ts` turns a config into a Searcher.
 */
import { z } from 'zod';

const seed = z.number().int().nonnegative().default(0);

export const gridConfigSchema = z
	.object({
		kind: z.literal('grid'),
		/** Points per float/int dimension (log-spaced for log params). */
		points: z.number().int().min(1).default(5),
		/** Explicit values per parameter, overriding `points` for that parameter. */
		values: z.record(z.string(), z.array(z.union([z.number(), z.string(), z.boolean()])).min(1)).optional(),
		/** Grid order is shuffled by the seed so a partial grid still covers the space. */
		seed,
		shuffle: z.boolean().default(false),
	})
	.strict();

export const randomConfigSchema = z.object({ kind: z.literal('random'), seed }).strict();

export const gpConfigSchema = z
	.object({
		kind: z.literal('gp'),
		seed,
		/** Quasi-random start-up points; default max(10, 2 x dims). */
		n_startup: z.number().int().min(1).optional(),
		acquisition: z.enum(['log_ei', 'ucb']).default('log_ei'),
		/** UCB exploration weight (only for acquisition: ucb). */
		ucb_beta: z.number().positive().default(2),
		/**
		 * Configurations a pruner stopped: observations at their last reported value (`last_value`, the
		 * default when absent) or left out of the model (`ignore`). README "Pruning" has the measurement.
		 */
		pruned: z.enum(['last_value', 'ignore']).optional(),
	})
	.strict();

const searcherConfigSchema = z.discriminatedUnion('kind', [gridConfigSchema, randomConfigSchema, gpConfigSchema]);

export type GridConfig = z.infer<typeof gridConfigSchema>;
export type RandomConfig = z.infer<typeof randomConfigSchema>;
export type GpConfig = z.infer<typeof gpConfigSchema>;
export type SearcherConfig = z.infer<typeof searcherConfigSchema>;
