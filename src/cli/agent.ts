/**
 * `metatune agent ...`: train, evaluate and inspect the built-in bandit agent. Parses arguments and
 * calls the library (src/objectives/bandit/*); formatting lives here, errors go up to src/cli.ts.
 *
 * `train` checks everything before it trains (flags, the --from checkpoint, the config, the output
 * folders, which it creates), so a bad input costs one line and exit 2, not a run; with --from, every
 * setting not given on the command line (task included) is the checkpoint's.
 */
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { InputError } from '../core/errors.js';
import { Agent } from '../objectives/bandit/agent.js';
import { entropyOutlasts, parseAgentConfig } from '../objectives/bandit/agent-config.js';
import { backendChoices, type BackendChoice } from '../objectives/bandit/backend-choices.js';
import { initBackend } from '../objectives/bandit/backend.js';
import { agentFromCheckpoint, CHECKPOINT_FILE, continuedConfig, readCheckpoint, saveCheckpoint } from '../objectives/bandit/checkpoint.js';
import { gradientStats } from '../objectives/bandit/grad-stats.js';
import { runLifetime, type LifetimeResult } from '../objectives/bandit/lifetime.js';
import { paramNames } from '../objectives/bandit/network.js';
import { optimizerKinds } from '../objectives/bandit/optimizer.js';
import { BanditBatch, taskKinds, taskOptimum } from '../objectives/bandit/tasks.js';
import { ensureOutputDir, ensureOutputDirs } from '../core/output-dir.js';
import { Rng } from '../core/rng.js';
import { entropyOverride, pathFlag, pruneUndefined } from './agent-args.js';
import { evaluationTable, formatEvaluationTable } from './agent-eval.js';
import { fixed, num, textTable } from '../core/format.js';
import { progressReporter } from './progress-line.js';

const withBackend = <T>(y: Argv<T>) =>
	y.option('backend', { choices: backendChoices, default: 'auto' as BackendChoice, describe: 'TensorFlow.js backend (auto: node if installed, else wasm, else cpu)' });

interface TrainArgs {
	task?: (typeof taskKinds)[number];
	episodes: number;
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

const train: CommandModule<object, TrainArgs> = {
	command: 'train',
	describe: 'Train the agent for a lifetime (N episodes), then evaluate it with learning frozen',
	builder: (y) =>
		withBackend(
			y
				.option('task', { choices: taskKinds, describe: "Bandit task family (default dependent-uniform; with --from, the checkpoint's)" })
				.option('episodes', { type: 'number', default: 20000, describe: 'Training episodes (rounded up to whole batches; the header says so)' })
				.option('eval-episodes', { type: 'number', default: 2000, describe: 'Evaluation episodes after training (learning frozen)' })
				.option('gamma', { type: 'number', describe: 'Discount factor (default 0.9)' })
				.option('seed', { type: 'number', default: 1, describe: 'Seed of the lifetime (same seed and backend, same result)' })
				.option('batch', { type: 'number', describe: 'Episodes (environments) per update (default 16)' })
				.option('lr', { type: 'number', describe: 'Learning rate' })
				.option('optimizer', { choices: optimizerKinds, describe: 'Optimiser' })
				.option('hidden', { type: 'number', describe: 'LSTM units (default 48)' })
				.option('entropy', { type: 'number', describe: 'Entropy coefficient; alone, a constant (default schedule: 1 -> 0.01 over 15000 episodes, or the --from checkpoint\'s); with --entropy-end or --entropy-anneal, the start of the schedule, each flag changing only its own part' })
				.option('entropy-end', { type: 'number', describe: 'Entropy coefficient at the end of annealing' })
				.option('entropy-anneal', { type: 'number', describe: 'Episodes over which the coefficient goes linearly from --entropy to --entropy-end (0: constant --entropy)' })
				.option('value-coef', { type: 'number', describe: 'Value-loss coefficient (default 0.05)' })
				.option('grad-clip', { type: 'number', describe: 'Global gradient-norm clip (0: off)' })
				.option('horizon', { type: 'number', describe: "Pulls per episode (default: the task's, 100 two-armed, 5 eleven-armed)" })
				.option('fixed', { type: 'boolean', describe: 'Keep one fixed bandit for the whole lifetime (non-meta setting)' })
				.option('freeze', { type: 'array', choices: paramNames, describe: 'Parameter tensors to keep fixed during training' })
				.option('greedy', { type: 'boolean', default: false, describe: 'Evaluate with the most probable arm instead of sampling' })
				.option('checkpoint', { type: 'string', describe: 'Folder to save the trained agent (weights, config, optimiser state) into; refused if it holds a checkpoint, unless --from' })
				.option('from', { type: 'string', describe: 'Continue training the agent saved in this checkpoint folder (or its agent.json); settings not given here are the checkpoint\'s' })
				.option('out', { type: 'string', describe: 'Folder for learning_curve.csv and summary.json' })
				.option('plot', { type: 'boolean', default: false, describe: 'Also write learning-curve.svg (with the task\'s optimal and random levels) into --out' })
				.example('$0 agent train --task eleven-armed --episodes 20000 --gamma 0.9 --seed 1 --out runs/e11', 'Train on the eleven-armed task and write the curve and summary')
				.example('$0 agent train --from ckpt --checkpoint ckpt --episodes 5000', 'Continue training a saved agent'),
		) as Argv<TrainArgs>,
	handler: async (args) => {
		const [checkpoint, from, out] = (['checkpoint', 'from', 'out'] as const).map((flag) => pathFlag(flag, args[flag]));
		if (!Number.isInteger(args.episodes) || args.episodes < 1) throw new InputError(`--episodes: must be a positive integer (got ${args.episodes})`, undefined, 'episodes');
		if (!Number.isInteger(args['eval-episodes']) || args['eval-episodes'] < 1) throw new InputError(`--eval-episodes: must be a positive integer (got ${args['eval-episodes']})`, undefined, 'eval-episodes');
		if (args.plot && !out) throw new InputError('--plot: needs --out (the folder learning-curve.svg is written into)', undefined, 'plot');
		if (checkpoint && !from && existsSync(join(checkpoint, CHECKPOINT_FILE))) {
			throw new InputError(`--checkpoint ${checkpoint}: already holds a checkpoint; pass --from ${checkpoint} to continue training it, or choose another folder`, undefined, 'checkpoint');
		}
		const saved = from === undefined ? undefined : await readCheckpoint(from);
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
			entropy: entropyOverride(args, (saved?.config ?? parseAgentConfig({})).entropy),
		});
		const config = saved ? continuedConfig(saved.config, overrides) : parseAgentConfig(overrides);
		const episodes = Math.ceil(args.episodes / config.batch) * config.batch;
		ensureOutputDirs([
			[checkpoint, '--checkpoint'],
			[out, '--out'],
		]);
		const backend = await initBackend(args.backend);
		const root = new Rng(args.seed);
		const agent = saved ? agentFromCheckpoint(saved, { overrides }) : new Agent(config, root);
		const before = agent.episodesTrained;
		const rounded = episodes === args.episodes ? '' : ` (${args.episodes} rounded up to whole batches of ${config.batch})`;
		process.stderr.write(
			`metatune agent train: ${config.task}, ${episodes} episodes${rounded}, gamma ${config.gamma}, batch ${config.batch}, ${config.optimizer} lr ${config.lr}, seed ${args.seed}, backend ${backend}${before > 0 ? `, continuing from ${from} (${before} episodes trained)` : ''}\n`,
		);
		if (entropyOutlasts(config, before + episodes)) {
			const { anneal_episodes: anneal, start, end } = config.entropy;
			process.stderr.write(`metatune: warning: --entropy anneals from ${start} to ${end} over ${anneal} episodes but training stops at ${before + episodes}, so the agent keeps exploring; use --episodes >= ${anneal - before} or --entropy-anneal\n`);
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
		if (args.plot && out) await (await import('../report/plots/run-curve.js')).writeRunCurveSvg(join(out, 'learning-curve.svg'), result.learningCurve, { task: config.task, horizon: config.horizon, label: `agent (γ=${config.gamma}, seed ${args.seed})` });
		const optimum = taskOptimum(config.task, config.horizon);
		// The lifetime evaluated on these streams (lifetime.ts): baselines get the same bandit draws.
		const streams = before > 0 ? root.split(`resume-${before}`) : root;
		const table = evaluationTable({ config, episodes: args['eval-episodes'], streams, agentStats: result, greedy: args.greedy ?? false });
		process.stdout.write(
			`\n${formatEvaluationTable(table)}\n\n` +
				`lifetime: ${result.trainEpisodes} episodes, cumulative reward ${num(result.cumulativeReward, 6)}, mean return ${fixed(result.lifetimeReturn, 3)} per episode (task optimum ${fixed(optimum, 2)}), ` +
				`${result.envSteps} env steps in ${fixed(result.wallSeconds, 1)} s (${num(result.trainStepsPerSecond / 1000, 3)}k training steps/s, ${result.backend})\n` +
				(out ? `wrote ${join(out, 'learning_curve.csv')}${args.plot ? `, ${join(out, 'learning-curve.svg')}` : ''} and ${join(out, 'summary.json')}\n` : ''),
		);
	},
};

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
	result.learningCurve.forEach((r, u) => lines.push(`${u + 1},${Math.round((u + 1) * perUpdate)},${r}`));
	await writeFile(join(dir, 'learning_curve.csv'), `${lines.join('\n')}\n`);
	await writeFile(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

interface EvalArgs {
	checkpoint: string;
	episodes: number;
	seed: number;
	greedy: boolean;
	backend: BackendChoice;
}

const evaluate: CommandModule<object, EvalArgs> = {
	command: 'eval',
	describe: 'Evaluate a saved agent against random, UCB1, Thompson and the optimal policy on the same bandit draws',
	builder: (y) =>
		withBackend(
			y
				.option('checkpoint', { type: 'string', demandOption: true, describe: 'Checkpoint folder written by `agent train --checkpoint` (or the agent.json in it)' })
				.option('episodes', { type: 'number', default: 2000, describe: 'Evaluation episodes per policy' })
				.option('seed', { type: 'number', default: 1, describe: 'Seed of the evaluation draws' })
				.option('greedy', { type: 'boolean', default: false, describe: 'Agent takes the most probable arm instead of sampling' }),
		) as Argv<EvalArgs>,
	handler: async (args) => {
		if (!Number.isInteger(args.episodes) || args.episodes < 1) throw new InputError(`--episodes: must be a positive integer (got ${args.episodes})`, undefined, 'episodes');
		const saved = await readCheckpoint(pathFlag('checkpoint', args.checkpoint) ?? '');
		const backend = await initBackend(args.backend);
		const agent = agentFromCheckpoint(saved);
		try {
			process.stderr.write(`metatune agent eval: ${agent.config.task}, ${agent.episodesTrained} episodes trained, ${args.episodes} evaluation episodes, seed ${args.seed}, backend ${backend}\n`);
			process.stdout.write(`${formatEvaluationTable(evaluationTable({ config: agent.config, episodes: args.episodes, streams: new Rng(args.seed), agent, greedy: args.greedy }))}\n`);
		} finally {
			agent.dispose();
		}
	},
};

interface GradArgs {
	checkpoint: string;
	seed: number;
	backend: BackendChoice;
}

const gradStats: CommandModule<object, GradArgs> = {
	command: 'grad-stats',
	describe: 'Gradient statistics per parameter tensor for the policy, value and entropy losses and their total',
	builder: (y) =>
		withBackend(
			y
				.option('checkpoint', { type: 'string', demandOption: true, describe: 'Checkpoint folder written by `agent train --checkpoint` (or the agent.json in it)' })
				.option('seed', { type: 'number', default: 1, describe: 'Seed of the batch of episodes the gradient is taken on' }),
		) as Argv<GradArgs>,
	handler: async (args) => {
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
	},
};

export const agentCommand: CommandModule = {
	command: 'agent <command>',
	describe: 'Train, evaluate and inspect the meta-RL bandit agent',
	builder: (y) => y.command(train).command(evaluate).command(gradStats).demandCommand(1, 'Name an agent command: train, eval, grad-stats.'),
	handler: () => {},
};
