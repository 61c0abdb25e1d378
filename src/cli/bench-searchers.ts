/** `metatune bench searchers`: simple regret and time per suggestion of each searcher on test functions. Flags only; bench-searchers-handler.ts runs it. */
import type { CommandModule } from 'yargs';
import { builtinFunctions } from '../bench/functions.js';
import { multiObjectiveFunctions } from '../bench/functions-multi.js';
import { benchSearcherKinds } from '../bench/searcher-kinds.js';
import type { Args } from './bench-searchers-handler.js';

export const benchSearchersCommand: CommandModule<object, Args> = {
	command: 'searchers',
	describe: 'Searchers on test functions: simple regret (median, quartiles over seeds), or the hypervolume on functions with two objectives, and ms per suggestion',
	builder: (y) =>
		y
			.option('functions', {
				type: 'string',
				describe: `comma-separated function names, repeats merged (built in: ${builtinFunctions.map((f) => f.name).join(', ')}; with two objectives, scored by the median hypervolume [q1, q3] of the feasible points instead of the regret: ${multiObjectiveFunctions.map((f) => `${f.name} (reference point [${f.reference.join(', ')}])`).join(', ')}; default: all, plus the module's)`,
			})
			.option('budget', { type: 'number', default: 50, describe: 'evaluations per run' })
			.option('seeds', { type: 'number', default: 10, describe: 'runs per function and searcher (seeds 0..n-1, or from --first-seed)' })
			.option('first-seed', {
				type: 'number',
				default: 0,
				describe: 'runs use seeds first..first+seeds-1 (100: held out from the seeds 0..29 the gp defaults were chosen on); the table shows the range (not with --latency)',
			})
			.option('searchers', { type: 'string', default: benchSearcherKinds.join(','), describe: `comma-separated (repeats merged), of: ${benchSearcherKinds.join(', ')}` })
			.option('module', {
				type: 'string',
				describe:
					'JS module whose default export is an array of {name, space, evaluate(params) => number, minimum}; an evaluate that throws or returns a non-finite value stops the benchmark with one line naming it (exit 2)',
			})
			.option('latency', {
				type: 'string',
				describe:
					'instead: ms for one gp suggestion at N observations (comma-separated; no value: 50,100,200,400,800, one run up to the largest), warm (during the run) and cold (empty fit cache, as on resume); functions default to hartmann6',
			})
			.option('threshold', { type: 'number', default: 1e-2, describe: 'the table also reports the fraction of runs whose regret is at most this' })
			.option('latency-seeds', { type: 'number', default: 1, describe: 'with --latency: runs (seeds 0..n-1) per function' })
			.option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' }),
	handler: async (args) => (await import('./bench-searchers-handler.js')).benchSearchers(args),
};
