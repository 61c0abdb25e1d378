/** `metatune bench searchers` (placeholder until implemented). */
import type { CommandModule } from 'yargs';

export const benchSearchersCommand: CommandModule = {
	command: 'searchers',
	describe: 'not implemented yet',
	handler: () => {
		throw new Error('bench searchers is not implemented yet');
	},
};
