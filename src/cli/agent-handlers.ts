/**
 * What `metatune agent train | eval | grad-stats` do once their flags are parsed (agent.ts declares
 * the commands and imports this module from their handlers, so only these commands load
 * TensorFlow.js). Formatting lives here, errors go up to cli/main.ts.
 *
 * `train` checks everything before it trains (flags, the --from checkpoint, the config, the output
 * folders, which it creates), so a bad input costs one line and exit 2, not a run; with --from, every
 * setting not given on the command line (task included) is the checkpoint's.
 */
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { Agent } from '../objectives/bandit/learner/agent.js';
import { entropyOutlasts, parseAgentConfig } from '../objectives/bandit/learner/agent-config.js';
import type { BackendChoice } from '../objectives/bandit/learner/backend-choices.js';
import { initBackend } from '../objectives/bandit/learner/backend.js';
import { agentFromCheckpoint, CHECKPOINT_FILE, continuedConfig, readCheckpoint, saveCheckpoint } from '../objectives/bandit/learner/checkpoint.js';
import { gradientStats } from '../objectives/bandit/learner/grad-stats.js';
import { recipeFor } from '../objectives/bandit/recipes.js';
import { runLifetime, type LifetimeResult } from '../objectives/bandit/lifetimes/lifetime.js';
import type { paramNames } from '../objectives/bandit/learner/network.js';
import type { optimizerKinds } from '../objectives/bandit/learner/optimizer.js';
import { armCount, BanditBatch, defaultHorizon, type TaskKind, type taskKinds, taskOptimum } from '../objectives/bandit/bandits/tasks.js';
import { ensureOutputDir, ensureOutputDirs } from '../core/output-dir.js';
import { Rng } from '../core/rng.js';
import { entropyOverride, pathFlag, pruneUndefined } from './agent-args.js';
import { evaluationTable, formatEvaluationTable } from './agent-eval.js';
import { fixed, grouped, num, textTable } from '../core/format.js';
import { progressReporter } from './progress-line.js';

export interface TrainArgs {
	task?: (typeof taskKinds)[number];
	episodes?: number;
	'eval-episodes': number;
	gamma?: number;
	seed: number;
	batch?: number;
	lr?: number;
	optimizer?: (typeof optimizerKinds)[number];
	hidden?: number;
	entropy?: number;
	'entropy-end'?: number;
	'entropy-anneal'?: number;
	'value-coef'?: number;
	'grad-clip'?: number;
	horizon?: number;
	fixed?: boolean;
	freeze?: (typeof paramNames)[number][];
	greedy?: boolean;
	checkpoint?: string;
	from?: string;
	out?: string;
	plot: boolean;
	backend: BackendChoice;
}

/** Episodes of `agent train --from` without --episodes. */
const DEFAULT_CONTINUE_EPISODES = 20000;

export interface EvalArgs {
	checkpoint: string;
	episodes: number;
	seed: number;
	greedy: boolean;
	backend: BackendChoice;
	task?: TaskKind | undefined;
}

export interface GradArgs {
	checkpoint: string;
	seed: number;
	backend: BackendChoice;
}

export async function train(args: TrainArgs): Promise<void> {
	const [checkpoint, from, out] = (['checkpoint', 'from', 'out'] as const).map((flag) => pathFlag(flag, args[flag]));
	if (args.episodes !== undefined && (!Number.isInteger(args.episodes) || args.episodes < 1))
		throw new InputError(`--episodes: must be a positive integer (got ${args.episodes})`, undefined, 'episodes');
	if (!Number.isInteger(args['eval-episodes']) || args['eval-episodes'] < 1)
		throw new InputError(`--eval-episodes: must be a positive integer (got ${args['eval-episodes']})`, undefined, 'eval-episodes');
	if (args.plot && !out) throw new InputError('--plot: needs --out (the folder learning-curve.svg is written into)', undefined, 'plot');
	if (checkpoint && !from && existsSync(join(checkpoint, CHECKPOINT_FILE))) {
		throw new InputError(`--checkpoint ${checkpoint}: already holds a checkpoint; pass --from ${checkpoint} to continue training it, or choose another folder`, undefined, 'checkpoint');
	}
	const saved = from === undefined ? undefined : await readCheckpoint(from);
	// a new agent starts from its task's recipe; a continued one from its checkpoint's settings
	const recipe = saved ? undefined : recipeFor(args.task ?? parseAgentConfig({}).task);
	const base = saved?.config ?? parseAgentConfig(recipe?.agent ?? {});
	const overrides = pruneUndefined({
		task: args.task,
		gamma: args.gamma,
		batch: args.batch,
		lr: args.lr,
		optimizer: args.optimizer,
		hidden: args.hidden,
		value_coef: args['value-coef'],
		grad_clip: args['grad-clip'],
		horizon: args.horizon,
		fixed: args.fixed,
		frozen: args.freeze,
		entropy: entropyOverride(args, base.entropy),
	});
	const config = saved ? continuedConfig(saved.config, overrides) : parseAgentConfig({ ...recipe?.agent, ...overrides });
	const requested = args.episodes ?? recipe?.trainEpisodes ?? DEFAULT_CONTINUE_EPISODES;
	const episodes = Math.ceil(requested / config.batch) * config.batch;
	ensureOutputDirs([
		[checkpoint, '--checkpoint'],
		[out, '--out'],
	]);
	const backend = await initBackend(args.backend);
	const root = new Rng(args.seed);
	const agent = saved ? agentFromCheckpoint(saved, { overrides }) : new Agent(config, root);
	const before = agent.episodesTrained;
	const rounded = episodes === requested ? '' : ` (${requested} rounded up to whole batches of ${config.batch})`;
	const { start, end, anneal_episodes: anneal } = config.entropy;
	const entropy = anneal > 0 && start !== end ? `entropy ${num(start, 3)} -> ${num(end, 3)} over ${anneal}` : `entropy ${num(start, 3)}`;
	const source = recipe ? `, the ${config.task} recipe${Object.keys(overrides).some((k) => k !== 'task') ? ' with the flags given' : ''}` : '';
	process.stderr.write(
		`metatune agent train: ${config.task}, ${episodes} episodes${rounded}, gamma ${num(config.gamma, 4)}, batch ${config.batch}, ${config.optimizer} lr ${num(config.lr, 4)}, hidden ${config.hidden}, ${entropy}, seed ${args.seed}, backend ${backend}${source}${before > 0 ? `, continuing from ${from} (${before} episodes trained)` : ''}\n`,
	);
	if (entropyOutlasts(config, before + episodes)) {
		const { anneal_episodes: anneal, start, end } = config.entropy;
		process.stderr.write(
			`metatune: warning: --entropy anneals from ${start} to ${end} over ${anneal} episodes but training stops at ${before + episodes}, so the agent keeps exploring; use --episodes >= ${anneal - before} or --entropy-anneal\n`,
		);
	}
	const progress = progressReporter('episodes', episodes);
	let result: LifetimeResult;
	try {
		result = await runLifetime({
			config,
			seed: args.seed,
			trainEpisodes: episodes,
			evalEpisodes: args['eval-episodes'],
			backend: args.backend,
			greedyEval: args.greedy ?? false,
			agent,
			onProgress: (p) => progress.update(p.episodes, `return ${fixed(p.runningReturn, 2)} | ${num(p.stepsPerSecond / 1000, 3)}k steps/s`),
		});
		if (checkpoint) await saveCheckpoint(checkpoint, agent);
	} finally {
		progress.stop();
		agent.dispose();
	}
	const summary = summaryOf(result, config, args.seed, agent.episodesTrained);
	if (out) await writeRunFolder(out, result, summary);
	if (args.plot && out)
		await (await import('../report/plots/run-curve.js')).writeRunCurveSvg(join(out, 'learning-curve.svg'), result.learningCurve, {
			task: config.task,
			horizon: config.horizon,
			label: `agent (γ=${config.gamma}, seed ${args.seed})`,
		});
	const optimum = taskOptimum(config.task, config.horizon);
	// The lifetime evaluated on these streams (lifetime.ts): baselines get the same bandit draws.
	const streams = before > 0 ? root.split(`resume-${before}`) : root;
	const table = evaluationTable({ config, episodes: args['eval-episodes'], streams, agentStats: result, greedy: args.greedy ?? false });
	process.stdout.write(
		`\n${formatEvaluationTable(table, config.task, agent.horizon)}\n\n` +
			`lifetime: ${grouped(result.trainEpisodes)} episodes, cumulative reward ${grouped(result.cumulativeReward, 1)}, mean return ${fixed(result.lifetimeReturn, 3)} per episode (task optimum ${fixed(optimum, 2)}), ` +
			`${grouped(result.envSteps)} env steps in ${fixed(result.wallSeconds, 1)} s (${num(result.trainStepsPerSecond / 1000, 3)}k training steps/s, ${result.backend})\n` +
			(out ? `wrote ${join(out, 'learning_curve.csv')}${args.plot ? `, ${join(out, 'learning-curve.svg')}` : ''} and ${join(out, 'summary.json')}\n` : ''),
	);
}

function summaryOf(result: LifetimeResult, config: unknown, seed: number, episodesTrainedTotal: number) {
	return {
		config,
		seed,
		backend: result.backend,
		train_episodes: result.trainEpisodes,
		episodes_trained_total: episodesTrainedTotal,
		eval_episodes: result.evalEpisodes,
		cumulative_reward: result.cumulativeReward,
		lifetime_return: result.lifetimeReturn,
		final_return: result.evalReturn.mean,
		final_return_std: result.evalReturn.std,
		final_regret: result.evalRegret.mean,
		final_regret_std: result.evalRegret.std,
		env_steps: result.envSteps,
		wall_seconds: result.wallSeconds,
		train_steps_per_second: result.trainStepsPerSecond,
	};
}

async function writeRunFolder(dir: string, result: LifetimeResult, summary: object): Promise<void> {
	ensureOutputDir(dir, '--out');
	const lines = ['update,episodes,mean_return'];
	const perUpdate = result.trainEpisodes / Math.max(1, result.learningCurve.length);
	result.learningCurve.forEach((r, u) => {
		lines.push(`${u + 1},${Math.round((u + 1) * perUpdate)},${r}`);
	});
	await writeFile(join(dir, 'learning_curve.csv'), `${lines.join('\n')}\n`);
	await writeFile(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

export async function evaluate(args: EvalArgs): Promise<void> {
	if (!Number.isInteger(args.episodes) || args.episodes < 1) throw new InputError(`--episodes: must be a positive integer (got ${args.episodes})`, undefined, 'episodes');
	const saved = await readCheckpoint(pathFlag('checkpoint', args.checkpoint) ?? '');
	const backend = await initBackend(args.backend);
	const agent = agentFromCheckpoint(saved);
	try {
		const trained = agent.config.task;
		const task = args.task ?? trained;
		if (armCount(task) !== armCount(trained) || defaultHorizon(task) !== agent.horizon)
			throw new InputError(
				`--task: ${task} has ${armCount(task)} arms and ${defaultHorizon(task)} pulls, the agent was trained on ${trained} (${armCount(trained)} arms, ${agent.horizon} pulls); evaluate on a task of the same shape`,
				undefined,
				'task',
			);
		const on = task === trained ? trained : `${task} (trained on ${trained})`;
		process.stderr.write(`metatune agent eval: ${on}, ${agent.episodesTrained} episodes trained, ${args.episodes} evaluation episodes, seed ${args.seed}, backend ${backend}\n`);
		const rows = evaluationTable({ config: { ...agent.config, task }, episodes: args.episodes, streams: new Rng(args.seed), agent, greedy: args.greedy });
		process.stdout.write(`${formatEvaluationTable(rows, task, agent.horizon)}\n`);
	} finally {
		agent.dispose();
	}
}

export async function gradStats(args: GradArgs): Promise<void> {
	const saved = await readCheckpoint(pathFlag('checkpoint', args.checkpoint) ?? '');
	await initBackend(args.backend);
	const agent = agentFromCheckpoint(saved);
	try {
		const rng = new Rng(args.seed);
		const env = new BanditBatch({ kind: agent.config.task, batch: agent.config.batch, horizon: agent.horizon, fixed: agent.config.fixed }, rng.split('bandits'));
		const report = gradientStats(agent, env, rng.split('actions'));
		const rows: string[][] = [];
		for (const p of report.params) {
			for (const part of ['policy', 'value', 'entropy', 'total'] as const) {
				const s = p.parts[part];
				rows.push([part === 'policy' ? p.name : '', part === 'policy' ? `[${p.shape.join(',')}]` : '', part, num(s.mean), num(s.median), num(s.std), num(s.min), num(s.max), num(s.sum)]);
			}
		}
		process.stdout.write(`${textTable(['parameter', 'shape', 'loss', 'mean', 'median', 'std', 'min', 'max', 'sum'], rows, ['left', 'left', 'left'])}\n\n`);
		const ok = report.maxAbsPartsMinusTotal <= 1e-4 * Math.max(1, report.maxAbsTotal);
		process.stdout.write(
			`losses on ${report.episodes} episodes: policy ${num(report.loss.policy)}, value ${num(report.loss.value)}, entropy ${num(report.loss.entropy)}, total ${num(report.loss.total)}\n` +
				`${ok ? 'OK' : 'MISMATCH'}: policy + value + entropy gradients add up to the total gradient (max |difference| ${num(report.maxAbsPartsMinusTotal, 3)}, largest |total| element ${num(report.maxAbsTotal, 3)})\n`,
		);
		if (!ok) process.exitCode = 1;
	} finally {
		agent.dispose();
	}
}
