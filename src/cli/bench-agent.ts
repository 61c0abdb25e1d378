/** `metatune bench agent` (placeholder until implemented). */
import type { CommandModule } from 'yargs';

export const benchAgentCommand: CommandModule = {
	command: 'agent',
	describe: 'not implemented yet',
	handler: () => {
		throw new Error('bench agent is not implemented yet');
	},
};
