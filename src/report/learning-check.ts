/**
 * Whether a bandit study's agent learned its task at all: an arm every one of whose complete
 * lifetimes (at least two) ends near the uniform random policy's return has searched or tuned
 * nothing but noise, typically because its lifetimes are too short for the task at these settings.
 * `metatune run` prints the note during the run, as soon as an arm has 4 such lifetimes (so the user
 * can stop it), or after its table (2 are enough then).
 *
 *   random, optimal   the task's expected return per episode of the uniform random and the optimal
 *                     policy (plots/task-levels.ts)
 *   near chance       value < random + 0.1 (optimal - random): less than a tenth of the way from
 *                     chance to the optimum (the metric must be a per-episode return: lifetime_return
 *                     or final_return, maximised)
 */
import type { StudyRecords } from '../study/view.js';
import { studyTask, taskLevels } from './plots/task-levels.js';

const perEpisodeMetrics = ['lifetime_return', 'final_return'];

/** `minLifetimes`: complete lifetimes an arm needs before it is judged (2 after a run; more while it runs). */
export function learningNotes({ spec, state }: StudyRecords, minLifetimes = 2): string[] {
	if (spec.direction !== 'maximize' || !perEpisodeMetrics.includes(spec.metric)) return [];
	const task = studyTask(spec);
	if (task === undefined) return [];
	const [optimal, random] = taskLevels(task.task, task.horizon).map((l) => l.value) as [number, number];
	const threshold = random + 0.1 * (optimal - random);
	const stuck: { arm: string; n: number; best: number }[] = [];
	for (const arm of spec.arms) {
		const values = state.trials.filter((t) => t?.asked.arm === arm.name && t.complete !== undefined).map((t) => t?.complete?.value as number);
		if (values.length >= minLifetimes && values.every((v) => v < threshold)) stuck.push({ arm: arm.name, n: values.length, best: Math.max(...values) });
	}
	if (stuck.length === 0) return [];
	const episodes = spec.objective.kind === 'bandit' ? spec.objective.settings.train_episodes : undefined;
	const f = (x: number) => x.toFixed(2);
	const arms = stuck.map((s) => `${s.arm} (${s.n}, best ${f(s.best)})`).join(', ');
	const all = stuck.length === spec.arms.length;
	return [
		`${spec.name}: every lifetime of ${stuck.length === 1 ? 'arm' : 'arms'} ${arms} ended near the uniform random policy's ${spec.metric} on ${task.task} (${f(random)} per episode; optimal ${f(optimal)}): ` +
			`the agent did not learn the task${all ? ', so the comparison compares noise' : ''}. Lifetimes${typeof episodes === 'number' ? ` of ${episodes} episodes` : ''} are probably too short at these settings: raise train_episodes, or check lr and entropy (docs/objectives.md, the bandit settings table).`,
	];
}
