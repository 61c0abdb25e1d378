/** `metatune bench agent`: training env steps/s of the A2C-LSTM agent per batch size (bench.ts). Flags only; bench-agent-handler.ts runs it. */
import type { CommandModule } from 'yargs';
import { backendChoices, type BackendChoice } from '../objectives/bandit/learner/backend-choices.js';
import { type TaskKind, taskKinds } from '../objectives/bandit/bandits/tasks.js';
import type { Args } from './bench-agent-handler.js';

const referenceChoices = ['torch'] as const;
/** torchFormulations of bench/reference/torch.ts, written here so that `--help` loads nothing of the reference */
const formulationChoices = ['bptt', 'recompute', 'taped'] as const;

export const benchAgentCommand: CommandModule<object, Args> = {
	command: 'agent',
	describe: 'Training throughput of the bandit agent (env steps/s per batch size, kernels per step, memory)',
	builder: (y) =>
		y
			.option('backend', { choices: backendChoices, default: 'auto' as BackendChoice, describe: 'TensorFlow.js backend' })
			.option('batch', { type: 'string', default: '1,16,64', describe: 'batch sizes (environments per update), comma-separated; repeats are merged' })
			.option('task', { choices: taskKinds, default: 'dependent-uniform' as TaskKind, describe: 'bandit task (K = 2, T = 100 for the two-armed ones)' })
			.option('seconds', { type: 'number', default: 3, describe: 'measuring time per batch size' })
			.option('hidden', { type: 'number', default: 48, describe: 'LSTM units' })
			.option('reward-features', { type: 'number', describe: 'RBF features of the previous reward (0: scalar input only, the published network; default: the agent default, 16)' })
			.option('reference', {
				choices: referenceChoices,
				describe:
					'also measure the same agent in PyTorch 1 thread (src/bench/reference/a2c_lstm_torch.py), alternated per batch size, and print metatune / PyTorch; skipped with a message when no Python imports torch',
			})
			.option('formulation', {
				choices: formulationChoices,
				describe:
					"how the PyTorch reference writes an update, all with the same gradient: bptt (rollout without autograd, the LSTM's backward pass by hand in a torch.autograd.Function: the fastest; default), recompute (the loss recomputed with autograd and torch.nn.LSTM over the recorded inputs) or taped (autograd records the rollout's LSTMCell steps)",
			})
			.option('python', { type: 'string', describe: 'the Python that runs --reference torch (default: python3, then /usr/bin/python3)' })
			.option('json', { type: 'boolean', default: false, describe: 'print the rows as JSON' }),
	handler: async (args) => (await import('./bench-agent-handler.js')).benchAgent(args),
};
