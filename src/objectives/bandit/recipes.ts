/**
 * Per-task recipes of the bandit agent: the settings `agent train --task T` and `bench agent-tasks`
 * start from (flags override them). Each comes from the task's committed study,
 * studies/agent-<task>.yaml (results/agent-<task>/), re-checked on seeds 1-3 with
 * `metatune bench agent-tasks` (README, *The bandit agent*). Study files keep the agent's plain
 * defaults (agent-config.ts), so committed studies do not change.
 */
import type { AgentConfigInput } from './agent-config.js';
import type { TaskKind } from './tasks.js';

export interface Recipe {
	/** agent settings on top of the defaults */
	readonly agent: Omit<AgentConfigInput, 'task'>;
	/** training episodes of a lifetime */
	readonly trainEpisodes: number;
	/** the trial of results/agent-<task>/journal.jsonl whose params these are (three significant digits) */
	readonly trial: number;
}

const recipes: Readonly<Record<TaskKind, Recipe>> = {
	independent: { agent: {}, trainEpisodes: 20000, trial: -1 },
	'dependent-uniform': { agent: {}, trainEpisodes: 20000, trial: -1 },
	'dependent-easy': { agent: {}, trainEpisodes: 20000, trial: -1 },
	'dependent-medium': { agent: {}, trainEpisodes: 20000, trial: -1 },
	'dependent-hard': { agent: {}, trainEpisodes: 30000, trial: -1 },
	'eleven-armed': { agent: {}, trainEpisodes: 30000, trial: -1 },
};

export function recipeFor(task: TaskKind): Recipe {
	return recipes[task];
}
