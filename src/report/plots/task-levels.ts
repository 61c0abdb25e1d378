/**
 * Reference levels of a bandit task for the learning-curve figures: the expected return per episode
 * of the optimal policy (tasks.ts `taskOptimum`: on two-armed tasks the oracle that knows p1 and p2,
 * on eleven-armed the Bayes-optimal policy) and of the uniform random policy.
 *
 * Uniform random, H pulls per episode, expected return = H x (mean of the arm means):
 *   Bernoulli families   E[(p1 + p2) / 2] = 1/2 (independent: E p = 1/2; dependent: p1 + p2 = 1)
 *   eleven-armed         (9 x 1.1 + 5 + 0.1 x E[index 1..10] = 0.55) / 11 per pull; 7.02 for H = 5
 * (the DESIGN reference figures: eleven-armed optimal 20.55, random 7.02; two-armed random regret
 * 16.7 / 25.0 = optimum - H / 2).
 */
import { InputError } from '../../core/errors.js';
import { parseAgentConfig } from '../../objectives/bandit/learner/agent-config.js';
import { banditParamNames } from '../../objectives/bandit/settings.js';
import { defaultHorizon, ELEVEN_ARMED_OTHER_REWARD, ELEVEN_ARMED_TARGET_REWARD, taskOptimum, type TaskKind } from '../../objectives/bandit/bandits/tasks.js';
import type { StudySpec } from '../../study/view.js';

export interface Level {
	readonly label: string;
	readonly value: number;
}

export function randomPolicyReturn(task: TaskKind, horizon = defaultHorizon(task)): number {
	switch (task) {
		case 'eleven-armed':
			return (horizon * (9 * ELEVEN_ARMED_OTHER_REWARD + ELEVEN_ARMED_TARGET_REWARD + 0.55)) / 11;
		case 'independent':
		case 'dependent-uniform':
		case 'dependent-easy':
		case 'dependent-medium':
		case 'dependent-hard':
			return horizon / 2;
	}
}

export function taskLevels(task: TaskKind, horizon = defaultHorizon(task)): Level[] {
	const fmt = (x: number) => x.toFixed(2);
	const optimal = taskOptimum(task, horizon);
	const random = randomPolicyReturn(task, horizon);
	return [
		// two-armed: the oracle that knows the arm probabilities; eleven-armed: the Bayes-optimal policy
		{ label: task === 'eleven-armed' ? `Bayes-optimal policy (${fmt(optimal)})` : `oracle that knows p1, p2 (${fmt(optimal)})`, value: optimal },
		{ label: `uniform random policy (${fmt(random)})`, value: random },
	];
}

/** The task and horizon of a bandit study (undefined for module objectives or a searched task/horizon). */
export function studyTask(spec: StudySpec): { task: TaskKind; horizon: number } | undefined {
	if (spec.objective.kind !== 'bandit') return undefined;
	if ('task' in spec.space && spec.space.task?.type !== 'fixed') return undefined;
	if ('horizon' in spec.space && spec.space.horizon?.type !== 'fixed') return undefined;
	const settings: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(spec.objective.settings)) if (banditParamNames.includes(k)) settings[k] = v;
	for (const [k, p] of Object.entries(spec.space)) if (p.type === 'fixed' && (k === 'task' || k === 'horizon')) settings[k] = p.value;
	try {
		const config = parseAgentConfig(settings);
		return { task: config.task, horizon: config.horizon ?? defaultHorizon(config.task) };
	} catch (error) {
		if (error instanceof InputError) return undefined;
		throw error;
	}
}
