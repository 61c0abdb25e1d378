/** `metatune bench ...`: speed and quality benchmarks (agent throughput, searchers on test functions). */
import type { CommandModule } from 'yargs';

export const benchCommand: CommandModule = {
	command: 'bench <command>',
	describe: 'Benchmarks: agent throughput, searchers on test functions',
	builder: (y) => y.demandCommand(1, 'Name a benchmark: agent, searchers.'),
	handler: () => {},
};
