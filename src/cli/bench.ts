/** `metatune bench ...`: speed and quality benchmarks (agent throughput, searchers on test functions). */
import type { CommandModule } from 'yargs';
import { benchAgentCommand } from './bench-agent.js';
import { benchSearchersCommand } from './bench-searchers.js';

export const benchCommand: CommandModule = {
	command: 'bench <command>',
	describe: 'Benchmarks: agent throughput, searchers on test functions',
	builder: (y) => y.command(benchAgentCommand).command(benchSearchersCommand).demandCommand(1, 'Name a benchmark: agent, searchers.'),
	handler: () => {},
};
