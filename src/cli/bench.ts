/** `metatune bench ...`: speed and quality benchmarks (agent throughput, the agent against Thompson sampling on every task, searchers on test functions, runner overhead, meta-gradient against longer-horizon truth, the speedup of lifetimes at once). */
import type { CommandModule } from 'yargs';
import { benchAgentCommand } from './bench-agent.js';
import { benchAgentTasksCommand } from './bench-agent-tasks.js';
import { benchMetagradientCommand } from './bench-metagradient.js';
import { benchParallelCommand } from './bench-parallel.js';
import { benchRunnerCommand } from './bench-runner.js';
import { benchSearchersCommand } from './bench-searchers.js';

export const benchCommand: CommandModule = {
	command: 'bench <command>',
	describe: 'Benchmarks: agent throughput, the agent against Thompson on every task, searchers on test functions, runner overhead, meta-gradient vs truth, parallel lifetimes',
	builder: (y) =>
		y
			.command(benchAgentCommand)
			.command(benchAgentTasksCommand)
			.command(benchSearchersCommand)
			.command(benchRunnerCommand)
			.command(benchMetagradientCommand)
			.command(benchParallelCommand)
			.demandCommand(1, 'Name a benchmark: agent, agent-tasks, searchers, runner, metagradient, parallel.'),
	handler: () => {},
};
