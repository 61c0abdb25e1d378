/** `metatune bench runner`: the study runner's overhead per trial (trivial objective, random search, durable journal). Flags only; bench-runner-handler.ts runs it. */
import type { CommandModule } from 'yargs';
import type { Args } from './bench-runner-handler.js';
import { storageOption } from './storage-flag.js';

export const benchRunnerCommand: CommandModule<object, Args> = {
	command: 'runner',
	describe: 'Runner overhead: ms per trial of a study with a trivial objective and random search, split by part, vs Optuna',
	builder: (y) =>
		y
			.option('trials', { type: 'number', default: 1000, describe: 'trials (the study budget)' })
			.option('concurrency', { type: 'number', default: 1, describe: 'lanes (lifetimes at once)' })
			.option('warmup', { type: 'number', default: 50, describe: 'trials of a warm-up study run first and not timed' })
			.option('dir', { type: 'string', describe: 'results folder to use, created if missing (default: a temp folder, deleted afterwards)' })
			.option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' })
			.option('workers', {
				type: 'string',
				describe: 'instead: N worker processes on one study for each N of a list (e.g. 1,2,4,8), on --storage: ms per trial of the study as a whole',
			})
			.option('storage', { ...storageOption, describe: `with --workers: ${storageOption.describe}` })
			.option('pipeline', {
				type: 'boolean',
				default: true,
				describe:
					'with --workers: each worker runs with runStudy pipeline (a lone worker on PostgreSQL starts a trial while its decision is written; docs/library.md); --no-pipeline measures the default runner',
			})
			.option('leader', {
				type: 'boolean',
				default: false,
				describe:
					'with --workers and a PostgreSQL --storage: the workers elect a leader that decides and records for all, the others evaluate what it sends them (runStudy electLeader; --pipeline does not apply)',
			})
			.option('scaling', {
				type: 'boolean',
				default: false,
				describe: 'instead: run studies of trials/10 and trials lifetimes and print ms per trial of each and of their first and last tenth (flat = no super-linear cost)',
			}),
	handler: async (args) => (await import('./bench-runner-handler.js')).benchRunner(args),
};
