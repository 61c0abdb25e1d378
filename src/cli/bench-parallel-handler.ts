/** What `metatune bench parallel` does once its flags are parsed (bench-parallel.ts). */
import { formatCoreCeiling, measureCoreCeiling } from '../bench/core-ceiling.js';
import { benchParallel, isParallelWorkload, type ParallelWorkload } from '../bench/parallel.js';
import { formatParallelBench } from '../bench/parallel-format.js';
import { InputError } from '../core/errors.js';

export interface Args {
	workloads: string;
	lifetimes: number;
	concurrency: number;
	repeats: number;
	'cpu-iterations': number;
	'agent-episodes': number;
	'ceiling-iterations': number;
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
	// every flag checked before the ceiling's seconds of loop are spent
	const options = {
		workloads: workloads as ParallelWorkload[],
		lifetimes: positiveInteger(args.lifetimes, 'lifetimes'),
		concurrency: positiveInteger(args.concurrency, 'concurrency', 2),
		repeats: positiveInteger(args.repeats, 'repeats'),
		cpuIterations: positiveInteger(args['cpu-iterations'], 'cpu-iterations'),
		agentEpisodes: positiveInteger(args['agent-episodes'], 'agent-episodes'),
		onRun: (line: string) => process.stderr.write(`${line}\n`),
	};
	const ceilingIterations = positiveInteger(args['ceiling-iterations'], 'ceiling-iterations', 0);
	// first, before the studies warm the machine: its own speedup on work that shares nothing
	const ceiling = ceilingIterations === 0 ? undefined : await measureCoreCeiling(options.concurrency, 5, ceilingIterations);
	if (ceiling !== undefined) process.stderr.write(`${formatCoreCeiling(ceiling)}\n`);
	const result = await benchParallel(options);
	const text = ceiling === undefined ? formatParallelBench(result) : `${formatParallelBench(result)}\n\n${formatCoreCeiling(ceiling)}`;
	process.stdout.write(args.format === 'json' ? `${JSON.stringify({ ...result, ceiling }, null, 2)}\n` : `${text}\n`);
}
