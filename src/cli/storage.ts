/** `metatune storage copy <study> --from <results folder|url> --to <results folder|url>` (src/study/copy.ts). */
import type { Argv, CommandModule } from 'yargs';
import { warnIfPasswordShown } from './storage-flag.js';

interface CopyArgs {
	study: string;
	from: string;
	to: string;
}

const copy: CommandModule<object, CopyArgs> = {
	command: 'copy <study>',
	describe: 'Copy a study between a results folder (journal file) and a PostgreSQL database, record by record',
	builder: (y) =>
		y
			.positional('study', { type: 'string', demandOption: true, describe: 'Study name' })
			.option('from', { type: 'string', demandOption: true, describe: 'Results folder or postgresql://user@host:port/database' })
			.option('to', { type: 'string', demandOption: true, describe: 'Results folder or postgresql://user@host:port/database (must not hold the study yet)' }) as never,
	handler: async (args) => {
		for (const flag of ['from', 'to'] as const) warnIfPasswordShown(`--${flag}`, args[flag], 'leave it out and give it in PGPASSWORD or ~/.pgpass');
		const { copyStudy } = await import('../study/copy.js');
		process.stdout.write(`copied ${args.study} to ${await copyStudy(args.study, args.from, args.to)}\n`);
	},
};

export const storageCommand = {
	command: 'storage <command>',
	describe: 'Move studies between storages (journal files, PostgreSQL)',
	builder: (y: Argv) => y.command(copy as unknown as CommandModule).demandCommand(1),
	handler: () => undefined,
} as unknown as CommandModule;
