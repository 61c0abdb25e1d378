/**
 * `metatune init [--objective js|python] [--name NAME]`: a runnable study file and a toy objective
 * in the current folder, for a first run. Flags only; init-handler.ts writes the files.
 */
import type { CommandModule } from 'yargs';
import type { InitArgs } from './init-handler.js';
import { type ObjectiveKind, objectiveKinds } from './init-templates.js';

const init: CommandModule<object, InitArgs> = {
	command: 'init',
	describe: 'Write a runnable study file (<name>.yaml) and a toy objective to tune into the current folder',
	builder: (y) =>
		y
			.option('objective', {
				choices: objectiveKinds,
				default: 'js' as ObjectiveKind,
				describe: 'js: objective.mjs, a JavaScript module metatune imports; python: train.py, a program metatune runs per lifetime (standard library only)',
			})
			.option('name', { type: 'string', default: 'my-study', describe: 'Study name: the study file is <name>.yaml, its results go to results/<name>/' })
			.example('$0 init', 'Write my-study.yaml and objective.mjs; then `npx metatune run my-study.yaml` runs the study')
			.example('$0 init --objective python --name lr-search', 'Write lr-search.yaml and train.py')
			.epilogue('Refuses to overwrite: when any of the files exists, init names it, writes nothing and exits 2.') as never,
	handler: async (args) => (await import('./init-handler.js')).init(args),
};

export const initCommand = init as unknown as CommandModule;
