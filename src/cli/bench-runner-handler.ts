/** What `metatune bench runner` does once its flags are parsed (bench-runner.ts). */
import { benchRunner as measure, benchRunnerScaling, formatRunnerBench, formatRunnerScaling } from '../bench/runner.js';
import { benchRunnerWorkers, formatRunnerWorkers } from '../bench/runner-workers.js';
import { InputError } from '../core/errors.js';
import { storageOf } from './storage-flag.js';

export interface Args {
	trials: number;
	concurrency: number;
	warmup: number;
	dir: string | undefined;
	format: 'text' | 'json';
	scaling: boolean;
	workers: string | undefined;
	pipeline: boolean;
	leader: boolean;
	storage: string | undefined;
}

/** `--workers 1,2,4,8`: positive integers. */
function workerCounts(value: string): number[] {
	const counts = value.split(',').map((s) => Number(s.trim()));
	if (counts.length === 0 || !counts.every((n) => Number.isInteger(n) && n >= 1 && n <= 64)) {
		throw new InputError(`--workers: expected a comma-separated list of process counts from 1 to 64, e.g. 1,2,4,8 (got ${value})`, undefined, 'workers');
	}
	return counts;
}

export async function benchRunner(args: Args): Promise<void> {
	if (!(Number.isInteger(args.trials) && args.trials >= 1)) throw new InputError(`--trials: expected a positive integer (got ${args.trials})`, undefined, 'trials');
	if (!(Number.isInteger(args.concurrency) && args.concurrency >= 1)) throw new InputError(`--concurrency: expected a positive integer (got ${args.concurrency})`, undefined, 'concurrency');
	if (!(Number.isInteger(args.warmup) && args.warmup >= 0)) throw new InputError(`--warmup: expected a non-negative integer (got ${args.warmup})`, undefined, 'warmup');
	const storage = storageOf(args);
	if (args.leader && (args.workers === undefined || storage === undefined))
		throw new InputError('--leader: only with --workers and a PostgreSQL --storage (workers electing a leader); add --workers 1,2,4,8 --storage postgresql://...', undefined, 'leader');
	if (args.workers !== undefined) {
		const workers = workerCounts(args.workers);
		const result = await benchRunnerWorkers({ trials: args.trials, workers, warmup: args.warmup, pipeline: args.pipeline, leader: args.leader, ...(storage === undefined ? {} : { storage }) });
		process.stdout.write(args.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${formatRunnerWorkers(result)}\n`);
		return;
	}
	if (args.storage !== undefined) throw new InputError('--storage: bench runner uses it only with --workers; add --workers 1,2,4,8', undefined, 'storage');
	if (args.scaling) {
		const scaling = await benchRunnerScaling({ trials: args.trials, concurrency: args.concurrency, warmup: args.warmup, ...(args.dir === undefined ? {} : { dir: args.dir }) });
		process.stdout.write(args.format === 'json' ? `${JSON.stringify(scaling, null, 2)}\n` : `${formatRunnerScaling(scaling)}\n`);
		return;
	}
	const result = await measure({ trials: args.trials, concurrency: args.concurrency, warmup: args.warmup, ...(args.dir === undefined ? {} : { dir: args.dir }) });
	process.stdout.write(args.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${formatRunnerBench(result)}\n`);
}
