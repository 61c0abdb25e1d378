/** What `metatune bench parallel` does once its flags are parsed (bench-parallel.ts). */
import { benchParallel, formatParallelBench, isParallelWorkload, type ParallelWorkload } from '../bench/parallel.js';
import { InputError } from '../core/errors.js';

export interface Args {
	workloads: string;
	lifetimes: number;
	concurrency: number;
	repeats: number;
	'cpu-iterations': number;
	'agent-episodes': number;
	format: 'text' | 'json';
}

function positiveInteger(value: number, flag: string, min = 1): number {
	if (!(Number.isInteger(value) && value >= min)) throw new InputError(`--${flag}: expected an integer of at least ${min} (got ${value})`, undefined, flag);
	return value;
}

export async function benchParallelHandler(args: Args): Promise<void> {
	const workloads = args.workloads.split(',').map((s) => s.trim());
	const unknown = workloads.find((w) => !isParallelWorkload(w));
	if (unknown !== undefined || workloads.length === 0)
		throw new InputError(`--workloads: expected a comma-separated list of cpu, agent, quickstart, quickstart-study (got ${args.workloads})`, undefined, 'workloads');
	const result = await benchParallel({
		workloads: workloads as ParallelWorkload[],
		lifetimes: positiveInteger(args.lifetimes, 'lifetimes'),
		concurrency: positiveInteger(args.concurrency, 'concurrency', 2),
		repeats: positiveInteger(args.repeats, 'repeats'),
		cpuIterations: positiveInteger(args['cpu-iterations'], 'cpu-iterations'),
		agentEpisodes: positiveInteger(args['agent-episodes'], 'agent-episodes'),
		onRun: (line) => process.stderr.write(`${line}\n`),
	});
	process.stdout.write(args.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${formatParallelBench(result)}\n`);
}
