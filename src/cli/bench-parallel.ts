/** `metatune bench parallel`: the speedup of running lifetimes at once. Flags only; bench-parallel-handler.ts runs it. */
import type { CommandModule } from 'yargs';
import type { Args } from './bench-parallel-handler.js';

export const benchParallelCommand: CommandModule<object, Args> = {
	command: 'parallel',
	describe: 'Parallel lifetimes: wall time of a study at 1 lane and at --concurrency lanes, alternated, on a CPU-bound module objective and on the agent',
	builder: (y) =>
		y
			.option('workloads', {
				type: 'string',
				default: 'cpu,agent',
				describe:
					"comma-separated: cpu (a fixed floating-point loop in a module objective), agent (the built-in bandit agent, --agent-episodes), quickstart (the quick start's agent lifetime: 30000 training episodes, minutes per pair), quickstart-study (studies/quickstart.yaml itself: its 18 lifetimes, --lifetimes ignored)",
			})
			.option('lifetimes', { type: 'number', default: 8, describe: 'lifetimes per study' })
			.option('concurrency', { type: 'number', default: 2, describe: 'lanes compared with one' })
			.option('repeats', { type: 'number', default: 3, describe: 'alternated pairs (1 lane, then --concurrency lanes) per workload' })
			.option('cpu-iterations', { type: 'number', default: 20_000_000, describe: 'loop iterations of a cpu lifetime (about 0.1 s per 10 million on one core)' })
			.option('ceiling-iterations', {
				type: 'number',
				default: 300_000_000,
				describe:
					'iterations of the machine-ceiling loop, run first in 5 alternated pairs (about 1.5 s a loop on one core; 0 skips it): c threads running c copies of a loop that shares nothing, against one; a workload that also shares caches or memory reaches it at best',
			})
			.option('agent-episodes', { type: 'number', default: 3000, describe: 'training episodes of an agent lifetime' })
			.option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' }),
	handler: async (args) => (await import('./bench-parallel-handler.js')).benchParallelHandler(args),
};
