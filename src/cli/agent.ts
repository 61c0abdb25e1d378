/** `metatune agent ...`: train, evaluate and inspect the built-in bandit agent. */
import type { CommandModule } from 'yargs';

export const agentCommand: CommandModule = {
	command: 'agent <command>',
	describe: 'Train, evaluate and inspect the meta-RL bandit agent',
	builder: (y) => y.demandCommand(1, 'Name an agent command: train, eval, grad-stats.'),
	handler: () => {},
};
