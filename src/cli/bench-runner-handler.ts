/** What `metatune bench runner` does once its flags are parsed (bench-runner.ts). */
import { benchRunner as measure, benchRunnerScaling, formatRunnerBench, formatRunnerScaling } from '../bench/runner.js';
import { InputError } from '../core/errors.js';

export interface Args {
	trials: number;
	concurrency: number;
	warmup: number;
	dir: string | undefined;
	format: 'text' | 'json';
	scaling: boolean;
}

export async function benchRunner(args: Args): Promise<void> {
	if (!(Number.isInteger(args.trials) && args.trials >= 1)) throw new InputError(`--trials: expected a positive integer (got ${args.trials})`, undefined, 'trials');
	if (!(Number.isInteger(args.concurrency) && args.concurrency >= 1)) throw new InputError(`--concurrency: expected a positive integer (got ${args.concurrency})`, undefined, 'concurrency');
	if (!(Number.isInteger(args.warmup) && args.warmup >= 0)) throw new InputError(`--warmup: expected a non-negative integer (got ${args.warmup})`, undefined, 'warmup');
	if (args.scaling) {
		const scaling = await benchRunnerScaling({ trials: args.trials, concurrency: args.concurrency, warmup: args.warmup, ...(args.dir === undefined ? {} : { dir: args.dir }) });
		process.stdout.write(args.format === 'json' ? `${JSON.stringify(scaling, null, 2)}\n` : `${formatRunnerScaling(scaling)}\n`);
		return;
	}
	const result = await measure({ trials: args.trials, concurrency: args.concurrency, warmup: args.warmup, ...(args.dir === undefined ? {} : { dir: args.dir }) });
	process.stdout.write(args.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${formatRunnerBench(result)}\n`);
}
