/**
 * The learning-curve figure of a single training run (`metatune agent train --plot`): the same spec
 * as the study report's learning curves (learning-curves.ts), one line, with the task's optimal and
 * uniform-random levels.
 *
 * Notation
 *   curve      mean episode return of every update of the run (U values)
 *   points     at most 200 chunk means (core/stats.ts `downsample`), each at its chunk's centre update
 */
import { writeFile } from 'node:fs/promises';
import { downsample } from '../../core/stats.js';
import { defaultHorizon, type TaskKind } from '../../objectives/bandit/bandits/tasks.js';
import { aggregateCurves, learningCurveSpec } from './learning-curves.js';
import { renderSvg } from './render.js';
import { taskLevels } from './task-levels.js';

export interface RunCurveOptions {
	readonly task: TaskKind;
	readonly horizon?: number | undefined;
	readonly label: string;
	readonly points?: number;
}

/** Render a run's learning curve to SVG text. */
export async function runCurveSvg(curve: ArrayLike<number>, options: RunCurveOptions): Promise<string> {
	const horizon = options.horizon ?? defaultHorizon(options.task);
	const points = aggregateCurves(options.label, [downsample(curve, options.points ?? 200)], curve.length);
	const title = 'Learning curve';
	return renderSvg(
		learningCurveSpec(points, taskLevels(options.task, horizon), {
			title,
			subtitle: `${options.task}, ${horizon} pulls per episode, ${curve.length} updates`,
			methods: [options.label],
			xTitle: 'Training update',
			yTitle: 'Mean return per episode',
		}),
	);
}

/** Write the run's learning curve as an SVG file. */
export async function writeRunCurveSvg(file: string, curve: ArrayLike<number>, options: RunCurveOptions): Promise<void> {
	await writeFile(file, await runCurveSvg(curve, options));
}
