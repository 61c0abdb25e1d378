/**
 * The command table of `metatune`: every top-level command module in the order `--help` lists them,
 * and the program's usage and epilogue. main.ts builds the parser from it; docs/cli-reference.ts
 * renders the CLI reference page from the same definitions, so the page cannot drift from `--help`.
 */
import type { CommandModule } from 'yargs';
import { agentCommand } from './agent.js';
import { benchCommand } from './bench.js';
import { initCommand } from './init.js';
import { reportCommand } from './report.js';
import { serveCommand } from './serve.js';
import { storageCommand } from './storage.js';
import { studyCommands } from './study.js';

export const commands: readonly CommandModule[] = [initCommand, ...studyCommands, reportCommand, serveCommand, storageCommand, agentCommand, benchCommand];

export const program = {
	usage: '$0 <command> [options]',
	description: 'Tune reinforcement-learning agents: grid, random and Bayesian search, and online tuning (meta-gradients, population-based training), under one resumable study runner.',
	epilogue:
		'Docs: README.md and docs/ (commands: docs/cli.md). Exit codes: 0 ok, 1 internal error, 2 bad input, 3 bad stored state, 4 study changed, 5 locked, 6 backend unavailable, 7 every lifetime of a run failed, 8 numerical failure, 9 disk full, 10 storage unreachable (--storage), 130 interrupted. Colour only on a terminal: NO_COLOR=1 turns it off, FORCE_COLOR=1 turns it on also when piped (FORCE_COLOR=0 off).',
} as const;
