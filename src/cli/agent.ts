/**
 * `metatune agent ...`: train, evaluate and inspect the built-in bandit agent. This module only
 * declares the commands and their flags (what --help shows); each handler imports its implementation
 * (agent-handlers.ts) when it runs, so parsing and --help never load TensorFlow.js.
 */
import type { Argv, CommandModule } from 'yargs';
import { backendChoices, type BackendChoice } from '../objectives/bandit/learner/backend-choices.js';
import { paramNames } from '../objectives/bandit/learner/network.js';
import { optimizerKinds } from '../objectives/bandit/learner/optimizer.js';
import { taskKinds } from '../objectives/bandit/bandits/tasks.js';
import type { EvalArgs, GradArgs, TrainArgs } from './agent-handlers.js';

const withBackend = <T>(y: Argv<T>) =>
	y.option('backend', { choices: backendChoices, default: 'auto' as BackendChoice, describe: 'TensorFlow.js backend (auto: node if installed, else wasm, else cpu)' });

const train: CommandModule<object, TrainArgs> = {
	command: 'train',
	describe: "Train the agent for a lifetime (N episodes; by default the task's recipe), then evaluate it with learning frozen",
	builder: (y) =>
		withBackend(
			y
				.option('task', {
					choices: taskKinds,
					describe: "Bandit task family (default dependent-uniform; with --from, the checkpoint's). A new agent starts from the task's recipe (README, recipes table); flags override it",
				})
				.option('episodes', { type: 'number', describe: "Training episodes (default: the task's recipe, 15000-30000; with --from, 20000; rounded up to whole batches, the header says so)" })
				.option('eval-episodes', { type: 'number', default: 2000, describe: 'Evaluation episodes after training (learning frozen)' })
				.option('gamma', { type: 'number', describe: "Discount factor (default: the task's recipe, else 0.9)" })
				.option('seed', { type: 'number', default: 1, describe: 'Seed of the lifetime (same seed and backend, same result)' })
				.option('batch', { type: 'number', describe: 'Episodes (environments) per update (default 16)' })
				.option('lr', { type: 'number', describe: "Learning rate (default: the task's recipe, else 0.02; with --from, the checkpoint's)" })
				.option('optimizer', { choices: optimizerKinds, describe: "Optimiser (default adam; with --from, the checkpoint's)" })
				.option('hidden', { type: 'number', describe: "LSTM units (default: the task's recipe, else 48)" })
				.option('entropy', {
					type: 'number',
					describe:
						"Entropy coefficient; alone, a constant (default: the task's recipe's schedule, else 1 -> 0.01 over 15000 episodes, or the --from checkpoint's); with --entropy-end or --entropy-anneal, the start of the schedule, each flag changing only its own part",
				})
				.option('entropy-end', { type: 'number', describe: 'Entropy coefficient at the end of annealing' })
				.option('entropy-anneal', { type: 'number', describe: 'Episodes over which the coefficient goes linearly from --entropy to --entropy-end (0: constant --entropy)' })
				.option('value-coef', { type: 'number', describe: 'Value-loss coefficient (default 0.05)' })
				.option('grad-clip', { type: 'number', describe: 'Global gradient-norm clip (default 1; 0: off)' })
				.option('horizon', { type: 'number', describe: "Pulls per episode (default: the task's, 100 two-armed, 5 eleven-armed)" })
				.option('fixed', { type: 'boolean', describe: 'Keep one fixed bandit for the whole lifetime (non-meta setting)' })
				.option('freeze', { type: 'array', choices: paramNames, describe: 'Parameter tensors to keep fixed during training' })
				.option('greedy', { type: 'boolean', default: false, describe: 'Evaluate with the most probable arm instead of sampling' })
				.option('checkpoint', { type: 'string', describe: 'Folder to save the trained agent (weights, config, optimiser state) into; refused if it holds a checkpoint, unless --from' })
				.option('from', { type: 'string', describe: "Continue training the agent saved in this checkpoint folder (or its agent.json); settings not given here are the checkpoint's" })
				.option('out', { type: 'string', describe: 'Folder for learning_curve.csv and summary.json' })
				.option('plot', { type: 'boolean', default: false, describe: "Also write learning-curve.svg (with the task's optimal and random levels) into --out" })
				.example('$0 agent train --task eleven-armed --episodes 20000 --gamma 0.9 --seed 1 --out runs/e11', 'Train on the eleven-armed task and write the curve and summary')
				.example('$0 agent train --from ckpt --checkpoint ckpt --episodes 5000', 'Continue training a saved agent'),
		) as Argv<TrainArgs>,
	handler: async (args) => (await import('./agent-handlers.js')).train(args),
};

const evaluate: CommandModule<object, EvalArgs> = {
	command: 'eval',
	describe: 'Evaluate a saved agent against random, UCB1, Thompson sampling (uniform and true prior), the Bayes-optimal policy and the oracle on the same bandit draws',
	builder: (y) =>
		withBackend(
			y
				.option('checkpoint', { type: 'string', demandOption: true, describe: 'Checkpoint folder written by `agent train --checkpoint` (or the agent.json in it)' })
				.option('episodes', { type: 'number', default: 2000, describe: 'Evaluation episodes per policy' })
				.option('seed', { type: 'number', default: 1, describe: 'Seed of the evaluation draws' })
				.option('greedy', { type: 'boolean', default: false, describe: 'Agent takes the most probable arm instead of sampling' })
				.option('task', {
					choices: taskKinds,
					describe:
						"Evaluate on this task instead of the checkpoint's (same number of arms and pulls): the transfer protocol of Wang et al., e.g. trained on dependent-uniform, evaluated on dependent-hard",
				}),
		) as Argv<EvalArgs>,
	handler: async (args) => (await import('./agent-handlers.js')).evaluate(args),
};

const gradStats: CommandModule<object, GradArgs> = {
	command: 'grad-stats',
	describe: 'Gradient statistics per parameter tensor for the policy, value and entropy losses and their total',
	builder: (y) =>
		withBackend(
			y
				.option('checkpoint', { type: 'string', demandOption: true, describe: 'Checkpoint folder written by `agent train --checkpoint` (or the agent.json in it)' })
				.option('seed', { type: 'number', default: 1, describe: 'Seed of the batch of episodes the gradient is taken on' }),
		) as Argv<GradArgs>,
	handler: async (args) => (await import('./agent-handlers.js')).gradStats(args),
};

export const agentCommand: CommandModule = {
	command: 'agent <command>',
	describe: 'Train, evaluate and inspect the meta-RL bandit agent',
	builder: (y) => y.command(train).command(evaluate).command(gradStats).demandCommand(1, 'Name an agent command: train, eval, grad-stats.'),
	handler: () => {},
};
