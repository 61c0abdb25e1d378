/**
 * What `metatune bench agent-tasks` does once its flags are parsed (bench-agent-tasks.ts): for each
 * task and seed, one lifetime at the task's recipe (as `agent train --task T --seed S`), then the
 * evaluation table on the lifetime's evaluation draws; prints the agent's regret next to Thompson
 * sampling's (uniform prior, and the task's prior where it has one), the Bayes-optimal policy's
 * exact expected regret (two-armed), UCB1's and random's, and the ratio agent / Thompson (uniform prior). Eleven-armed is judged by its return (goal >= 20.4).
 */
import { InputError } from '../core/errors.js';
import { fixed, textTable } from '../core/format.js';
import { Rng } from '../core/rng.js';
import { parseAgentConfig } from '../objectives/bandit/learner/agent-config.js';
import type { BackendChoice } from '../objectives/bandit/learner/backend-choices.js';
import { runLifetime } from '../objectives/bandit/lifetimes/lifetime.js';
import { bayesOptimalRegret } from '../objectives/bandit/bandits/bayes-optimal.js';
import { recipeFor } from '../objectives/bandit/recipes.js';
import { defaultHorizon, type TaskKind, taskKinds } from '../objectives/bandit/bandits/tasks.js';
import { type EvaluationRow, evaluationTable } from './agent-eval.js';
import { listFlag } from './repeated-flags.js';

export interface Args {
	tasks: string | string[];
	seeds: string | string[];
	episodes: number | undefined;
	'eval-episodes': number;
	backend: BackendChoice;
	json: boolean;
}

/** The return eleven-armed must reach (the optimum is 20.55). */
const ELEVEN_ARMED_GOAL = 20.4;

interface Row {
	readonly task: TaskKind;
	readonly seed: number;
	readonly episodes: number;
	readonly agentReturn: number;
	readonly agentRegret: number;
	readonly thompson: number;
	readonly thompsonPrior: number | undefined;
	readonly bayesOptimal: number | undefined;
	readonly ucb1: number;
	readonly random: number;
	readonly ratio: number;
	readonly met: boolean;
	readonly seconds: number;
}

function parseTasks(text: string): TaskKind[] {
	if (text.trim() === 'all') return [...taskKinds];
	return text.split(',').map((s) => {
		const task = s.trim();
		if (!(taskKinds as readonly string[]).includes(task)) throw new InputError(`--tasks: unknown task '${task}'; use all or some of ${taskKinds.join(', ')}`, undefined, 'tasks');
		return task as TaskKind;
	});
}

function parseSeeds(text: string): number[] {
	const seeds = text.split(',').map((s) => Number(s.trim()));
	if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new InputError(`--seeds: expected comma-separated non-negative integers like 1,2,3 (got '${text}')`, undefined, 'seeds');
	return seeds;
}

const regretOf = (rows: readonly EvaluationRow[], kind: EvaluationRow['kind']) => rows.find((r) => r.kind === kind)?.regret.mean;

export async function benchAgentTasks(args: Args): Promise<void> {
	const tasks = parseTasks(listFlag(args.tasks));
	const seeds = parseSeeds(listFlag(args.seeds));
	const evalEpisodes = args['eval-episodes'];
	if (!(Number.isInteger(evalEpisodes) && evalEpisodes >= 1)) throw new InputError(`--eval-episodes: must be a positive integer (got ${evalEpisodes})`, undefined, 'eval-episodes');
	if (args.episodes !== undefined && !(Number.isInteger(args.episodes) && args.episodes >= 1))
		throw new InputError(`--episodes: must be a positive integer (got ${args.episodes})`, undefined, 'episodes');
	const rows: Row[] = [];
	for (const task of tasks) {
		const recipe = recipeFor(task);
		const config = parseAgentConfig({ ...recipe.agent, task });
		for (const seed of seeds) {
			const episodes = args.episodes ?? recipe.trainEpisodes;
			process.stderr.write(`metatune bench agent-tasks: ${task}, seed ${seed}, ${episodes} episodes ...\n`);
			const result = await runLifetime({ config, seed, trainEpisodes: episodes, evalEpisodes, backend: args.backend });
			const table = evaluationTable({ config, episodes: evalEpisodes, streams: new Rng(seed), agentStats: result });
			const thompson = regretOf(table, 'thompson') as number;
			const agentRegret = result.evalRegret.mean;
			const eleven = task === 'eleven-armed';
			rows.push({
				task,
				seed,
				episodes: result.trainEpisodes,
				agentReturn: result.evalReturn.mean,
				agentRegret,
				thompson,
				thompsonPrior: regretOf(table, 'thompson-prior'),
				bayesOptimal: bayesOptimalRegret(task, config.horizon ?? defaultHorizon(task)),
				ucb1: regretOf(table, 'ucb1') as number,
				random: regretOf(table, 'random') as number,
				ratio: agentRegret / thompson,
				met: eleven ? result.evalReturn.mean >= ELEVEN_ARMED_GOAL : agentRegret <= thompson,
				seconds: result.wallSeconds,
			});
		}
	}
	if (args.json) {
		process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
		return;
	}
	const opt = (x: number | undefined) => (x === undefined ? '' : fixed(x, 2));
	process.stdout.write(
		`${textTable(
			['task', 'seed', 'episodes', 'agent regret', 'thompson (uniform)', 'ratio', 'thompson (task prior)', 'bayes-optimal (exact)', 'ucb1', 'random', 'agent return', 'goal met', 'seconds'],
			rows.map((r) => [
				r.task,
				String(r.seed),
				String(r.episodes),
				fixed(r.agentRegret, 2),
				fixed(r.thompson, 2),
				fixed(r.ratio, 2),
				opt(r.thompsonPrior),
				opt(r.bayesOptimal),
				fixed(r.ucb1, 2),
				fixed(r.random, 2),
				fixed(r.agentReturn, 2),
				r.met ? 'yes' : 'no',
				fixed(r.seconds, 0),
			]),
			['left'],
		)}\n\ngoal: regret <= Thompson sampling's (uniform prior) on two-armed tasks, return >= ${ELEVEN_ARMED_GOAL} on eleven-armed; met on ${rows.filter((r) => r.met).length} of ${rows.length}\n`,
	);
}
