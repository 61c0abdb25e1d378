/**
 * `metatune bench metagradient`: what the one-step meta-gradient says about the discount against
 * what a fixed discount earns over longer horizons (meta-horizon.ts). Flags only;
 * bench-metagradient-handler.ts runs it.
 */
import type { CommandModule } from 'yargs';
import { backendChoices, type BackendChoice } from '../objectives/bandit/learner/backend-choices.js';
import { type TaskKind, taskKinds } from '../objectives/bandit/bandits/tasks.js';
import type { Args } from './bench-metagradient-handler.js';

export const benchMetagradientCommand: CommandModule<object, Args> = {
	command: 'metagradient',
	describe: "Meta-gradient vs truth: the one-step meta-gradient's sign per discount next to the return each fixed discount earns over longer horizons",
	builder: (y) =>
		y
			.option('task', { choices: taskKinds, default: 'eleven-armed' as TaskKind, describe: 'bandit task' })
			.option('gammas', { type: 'string', default: '0.99,0.9,0.7', describe: 'discounts, comma-separated; differences are paired against the first' })
			.option('horizons', { type: 'string', default: '50,200,600', describe: 'updates from the start of a lifetime over which returns and meta-gradients are averaged, ascending' })
			.option('seeds', { type: 'number', default: 6, describe: 'lifetimes per discount (seed s shares initial parameters and environment draws across discounts)' })
			.option('entropy', { type: 'number', describe: 'constant entropy coefficient (default: the agent default schedule)' })
			.option('lr', { type: 'number', describe: 'learning rate (default: the agent default)' })
			.option('backend', { choices: backendChoices, default: 'auto' as BackendChoice, describe: 'TensorFlow.js backend' })
			.option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' })
			.example('$0 bench metagradient --task independent --entropy 0.05 --lr 0.01 --horizons 50,250', ''),
	handler: async (args) => (await import('./bench-metagradient-handler.js')).benchMetagradient(args),
};
