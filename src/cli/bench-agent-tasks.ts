/**
 * `metatune bench agent-tasks`: the agent at each task's recipe (recipes.ts) against Thompson
 * sampling on the same evaluation draws, per task and seed. Flags only; bench-agent-tasks-handler.ts
 * runs it.
 */
import type { CommandModule } from 'yargs';
import { backendChoices, type BackendChoice } from '../objectives/bandit/learner/backend-choices.js';
import type { Args } from './bench-agent-tasks-handler.js';

export const benchAgentTasksCommand: CommandModule<object, Args> = {
	command: 'agent-tasks',
	describe: "The agent at every task's recipe against Thompson sampling on the same draws: regret, ratio, seeds 1-3",
	builder: (y) =>
		y
			.option('tasks', { type: 'string', default: 'all', describe: 'tasks, comma-separated (all: the six)' })
			.option('seeds', { type: 'string', default: '1,2,3', describe: 'lifetime seeds, comma-separated (as `agent train --seed`)' })
			.option('episodes', { type: 'number', describe: "training episodes (default: each task's recipe)" })
			.option('eval-episodes', { type: 'number', default: 2000, describe: 'evaluation episodes per policy' })
			.option('backend', { choices: backendChoices, default: 'auto' as BackendChoice, describe: 'TensorFlow.js backend' })
			.option('json', { type: 'boolean', default: false, describe: 'print the rows as JSON' })
			.example('$0 bench agent-tasks', 'six tasks x seeds 1-3 (one lifetime at a time)')
			.example('$0 bench agent-tasks --tasks dependent-hard --seeds 1', 'one lifetime'),
	handler: async (args) => (await import('./bench-agent-tasks-handler.js')).benchAgentTasks(args),
};
