/** `metatune bench ...`: speed and quality benchmarks (agent throughput, searchers on test functions, runner overhead). */
import type { CommandModule } from 'yargs';
import { benchAgentCommand } from './bench-agent.js';
import { benchRunnerCommand } from './bench-runner.js';
import { benchSearchersCommand } from './bench-searchers.js';

export const benchCommand: CommandModule = {
	command: 'bench <command>',
	describe: 'Benchmarks: agent throughput, searchers on test functions, runner overhead',
	builder: (y) => y.command(benchAgentCommand).command(benchSearchersCommand).command(benchRunnerCommand).demandCommand(1, 'Name a benchmark: agent, searchers, runner.'),
	handler: () => {},
};
