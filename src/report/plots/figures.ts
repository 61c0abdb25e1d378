/**
 * The report's figures, in page order: best so far, reward against discount, discount trajectories,
 * learning curves (one figure per task), intermediate reports (one per study whose lifetimes reported), the
 * population arms' member curves, schedule and lineage (three per pbt arm on a module or command
 * objective), the Pareto fronts of studies with several metrics, then per study (several searched parameters only) one slice per parameter and
 * the importance chart. A figure that cannot be drawn yet comes back as `skipped` with the reason.
 */
import type { ComparisonRow } from '../compare.js';
import { bestSoFarFigure } from './best-so-far.js';
import type { ReportInput } from './data.js';
import { tunedTrajectoryFigure } from './tuned-trajectory.js';
import { importanceFigure } from './importance.js';
import { intermediateCurvesFigures } from './intermediate-curves.js';
import { learningCurvesFigures } from './learning-curves.js';
import { populationFigures } from './population.js';
import { paretoFrontFigures } from './pareto-fronts.js';
import type { FigureOutcome } from './spec.js';
import { rewardVsDiscountFigure } from './reward-vs-discount.js';
import { sliceFigures } from './slices.js';

export function reportFigures(input: ReportInput, rows: readonly ComparisonRow[]): FigureOutcome[] {
	const out = [
		bestSoFarFigure(input),
		rewardVsDiscountFigure(input, rows),
		tunedTrajectoryFigure(input),
		...learningCurvesFigures(input, rows),
		...intermediateCurvesFigures(input),
		...populationFigures(input),
		...paretoFrontFigures(input),
	];
	for (const stored of input.studies) {
		out.push(...sliceFigures(input, stored));
		const importance = importanceFigure(input, stored);
		if (importance !== undefined) out.push(importance);
	}
	return out;
}
