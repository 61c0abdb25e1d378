/**
 * Pruner settings in a study file: `pruner:` at the top level (every searcher arm) or in one arm
 * (overrides the study's). What each does is run/pruner.ts.
 *
 *   {kind: median, warmup_steps: 0, min_trials: 5}
 *       stop a lifetime whose report at a step is worse than the median of the earlier lifetimes'
 *       reports at the same step (from `warmup_steps` on, once `min_trials` of them reported there)
 *   {kind: asha, min_resource, reduction_factor: 3, max_resource?}
 *       successive halving: rungs at min_resource * reduction_factor^k (below max_resource); at each
 *       rung a lifetime goes on only if it is in the best 1/reduction_factor of the earlier lifetimes
 *       that reached that rung (the first one always goes on)
 *   {kind: hyperband, min_resource, max_resource, reduction_factor: 3}
 *       several asha brackets with min resources min_resource * reduction_factor^b; a lifetime's
 *       bracket is its slot modulo the number of brackets, and it competes only within its bracket
 *
 * In a study with several metrics (`metrics:`) whose objective reports one value per metric, asha
 * and hyperband judge a report by dominance: it is stopped when at least the kept share of the
 * earlier reports at its rung is at least as good on every metric (run/pruner.ts).
 */
import { z } from 'zod';

const factor = z
	.number()
	.int()
	.min(2, 'must be an integer >= 2 (3 keeps the best third at each rung)')
	.default(3)
	.describe('at each rung a lifetime goes on only if it is in the best 1/reduction_factor of the earlier lifetimes there');
const minResource = z.number().positive().describe('step (resource count, e.g. episodes) of the first rung');

export const prunerSchema = z
	.discriminatedUnion('kind', [
		z
			.object({
				kind: z.literal('median'),
				warmup_steps: z.number().nonnegative().default(0).describe('reports before this step are never judged'),
				min_trials: z
					.number()
					.int()
					.min(1, 'must be >= 1 (earlier lifetimes needed at a step before any is stopped)')
					.default(5)
					.describe('earlier lifetimes that must have reported at a step before any is stopped there'),
			})
			.strict()
			.meta({
				title: 'median pruner',
				description: "stops a lifetime whose report at a step is worse than the median of the earlier lifetimes' reports at the same step",
			}),
		z
			.object({
				kind: z.literal('asha'),
				min_resource: minResource,
				reduction_factor: factor,
				max_resource: z.number().positive().optional().describe('no rung at or above this step (default: rungs go on for as long as lifetimes report)'),
			})
			.strict()
			.superRefine((p, ctx) => {
				if (p.max_resource !== undefined && p.max_resource <= p.min_resource)
					ctx.addIssue({ code: 'custom', path: ['max_resource'], message: `must be above min_resource (${p.max_resource} <= ${p.min_resource}); no rung would fit` });
			})
			.meta({
				title: 'asha pruner',
				description: 'asynchronous successive halving: rungs at min_resource x reduction_factor^k; the first lifetime to reach a rung always goes on',
			}),
		z
			.object({
				kind: z.literal('hyperband'),
				min_resource: minResource.describe('step of the first rung of the most aggressive bracket'),
				max_resource: z.number().positive().describe('no rung at or above this step; sets the number of brackets'),
				reduction_factor: factor,
			})
			.strict()
			.superRefine((p, ctx) => {
				if (p.max_resource <= p.min_resource)
					ctx.addIssue({ code: 'custom', path: ['max_resource'], message: `must be above min_resource (${p.max_resource} <= ${p.min_resource}); no rung would fit` });
			})
			.meta({
				title: 'hyperband pruner',
				description:
					"several asha brackets with first rungs at min_resource x reduction_factor^b; a lifetime's bracket is its slot modulo the number of brackets, and it competes only within its bracket",
			}),
	])
	.meta({ id: 'pruner', description: 'stops unpromising lifetimes early, from the reports they make while they run' });

export type PrunerConfig = z.output<typeof prunerSchema>;
