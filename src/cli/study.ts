/** Study commands: run, status, compare, export. */
import type { CommandModule } from 'yargs';

export const studyCommands: CommandModule[] = [];
