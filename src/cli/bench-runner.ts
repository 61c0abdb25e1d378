/** `metatune bench runner`: the study runner's overhead per trial (trivial objective, random search, durable journal). */
import type { CommandModule } from 'yargs';
import { benchRunner, formatRunnerBench } from '../bench/runner.js';
import { InputError } from '../core/errors.js';

interface Args {
	trials: number;
	concurrency: number;
	warmup: number;
	dir: string | undefined;
	format: 'text' | 'json';
}

export const benchRunnerCommand: CommandModule<object, Args> = {
	command: 'runner',
	describe: 'Runner overhead: ms per trial of a study with a trivial objective and random search, split by part, vs Optuna',
	builder: (y) =>
		y
			.option('trials', { type: 'number', default: 500, describe: 'trials (the study budget)' })
			.option('concurrency', { type: 'number', default: 1, describe: 'lanes (lifetimes at once)' })
			.option('warmup', { type: 'number', default: 50, describe: 'trials of a warm-up study run first and not timed' })
			.option('dir', { type: 'string', describe: 'results folder to use, created if missing (default: a temp folder, deleted afterwards)' })
			.option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' }),
	handler: async (args) => {
		if (!(Number.isInteger(args.trials) && args.trials >= 1)) throw new InputError(`--trials: expected a positive integer (got ${args.trials})`, undefined, 'trials');
		if (!(Number.isInteger(args.concurrency) && args.concurrency >= 1)) throw new InputError(`--concurrency: expected a positive integer (got ${args.concurrency})`, undefined, 'concurrency');
		if (!(Number.isInteger(args.warmup) && args.warmup >= 0)) throw new InputError(`--warmup: expected a non-negative integer (got ${args.warmup})`, undefined, 'warmup');
		const result = await benchRunner({ trials: args.trials, concurrency: args.concurrency, warmup: args.warmup, ...(args.dir === undefined ? {} : { dir: args.dir }) });
		process.stdout.write(args.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${formatRunnerBench(result)}\n`);
	},
};
