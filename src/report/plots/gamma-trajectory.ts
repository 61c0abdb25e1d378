/**
 * Discount trajectories of meta-gradient lifetimes against training updates, over the grid's best
 * region.
 *
 * Notation
 *   trajectory    `gamma_trajectory: [update, gamma][]` logged by each metagradient lifetime
 *   grid means    per grid configuration, the mean value over its complete search lifetimes
 *   best region   [gamma_{k-1}, gamma_{k+1}] around the best grid point gamma_k (clipped at the ends
 *                 of the grid): where the grid locates the optimum of a unimodal reward curve. The
 *                 grid arm is taken from the same study when it has one, else from another study
 *                 of the report with a gamma grid.
 */
import { lossSign } from '../../../searchers/common.js';
import { configGroups, valueOf } from '../../study/journal/state.js';
import type { StoredStudy } from '../../study/journal/stored.js';
import { allLifetimes, methods, trajectoryField, type ReportInput } from './data.js';
import { baseConfig, figure, methodColor, plotHeight, plotWidth, skipped, type FigureOutcome, type VlSpec } from './render.js';

export interface TrajectoryPoint {
	readonly method: string;
	readonly lifetime: string;
	readonly update: number;
	readonly gamma: number;
}

export interface BestRegion {
	readonly low: number;
	readonly high: number;
	readonly best: number;
	readonly method: string;
	readonly label: string;
}

/** The best region of the first grid arm over gamma (see Notation); undefined without one. */
export function gridBestRegion(input: ReportInput, prefer?: StoredStudy): BestRegion | undefined {
	const studies = prefer === undefined ? input.studies : [prefer, ...input.studies.filter((s) => s !== prefer)];
	for (const stored of studies) {
		if (stored.spec.space.gamma?.type !== 'float') continue;
		const sign = lossSign(stored.spec.direction);
		for (const arm of stored.spec.arms) {
			if (arm.config.kind !== 'grid') continue;
			const means: { gamma: number; mean: number }[] = [];
			for (const g of configGroups(stored.state, arm.name, stored.spec.repeats)) {
				const vs = g.lifetimes.map(valueOf).filter((v): v is number => v !== undefined);
				const gamma = g.params.gamma;
				if (vs.length > 0 && typeof gamma === 'number') means.push({ gamma, mean: vs.reduce((a, b) => a + b, 0) / vs.length });
			}
			if (means.length === 0) continue;
			means.sort((a, b) => a.gamma - b.gamma);
			let k = 0;
			means.forEach((m, i) => {
				if (sign * m.mean < sign * (means[k] as { mean: number }).mean) k = i;
			});
			const best = (means[k] as { gamma: number }).gamma;
			const low = means[Math.max(0, k - 1)]?.gamma ?? best;
			const high = means[Math.min(means.length - 1, k + 1)]?.gamma ?? best;
			const method = input.studies.length > 1 ? `${stored.spec.name}/${arm.name}` : arm.name;
			const f = (x: number) => String(Number(x.toPrecision(3)));
			return { low, high, best, method, label: `${method} best region ${f(low)}–${f(high)}` };
		}
	}
	return undefined;
}

export function trajectoryPoints(input: ReportInput): TrajectoryPoint[] {
	const out: TrajectoryPoint[] = [];
	for (const l of allLifetimes(input)) {
		if (l.searcher !== 'metagradient') continue;
		const traj = trajectoryField(l.fields);
		if (traj === undefined) continue;
		const lifetime = `${l.method} trial ${l.trial}${l.purpose === 'reevaluate' ? ' (re-evaluation)' : ''}`;
		for (const p of traj) out.push({ method: l.method, lifetime, update: p.update, gamma: p.gamma });
	}
	return out;
}

export function gammaTrajectoryFigure(input: ReportInput): FigureOutcome {
	const id = 'gamma-trajectories';
	const title = 'Discount trajectories of meta-gradient lifetimes';
	const points = trajectoryPoints(input);
	if (points.length === 0) return skipped(id, title, 'no meta-gradient lifetime with a logged gamma_trajectory (searcher kind metagradient)');
	const metaStudy = input.studies.find((s) => s.spec.arms.some((a) => a.config.kind === 'metagradient'));
	const region = gridBestRegion(input, metaStudy);
	const lifetimes = new Set(points.map((p) => p.lifetime)).size;
	const x = { field: 'update', type: 'quantitative' as const, title: 'Training update' };
	const layers: object[] = [];
	if (region !== undefined) {
		layers.push({
			data: { values: [region] },
			mark: { type: 'rect', opacity: 0.35 },
			encoding: {
				y: { field: 'low', type: 'quantitative' },
				y2: { field: 'high' },
				fill: { field: 'label', type: 'nominal', title: 'Grid search', scale: { range: ['#bbb'] } },
			},
		});
	}
	layers.push({
		data: { values: points },
		mark: { type: 'line', strokeWidth: 1.5, opacity: 0.85 },
		encoding: {
			x,
			y: { field: 'gamma', type: 'quantitative', title: 'Discount γ', scale: { zero: false } },
			color: methodColor(methods(input), points.map((p) => p.method), 'stroke'),
			detail: { field: 'lifetime', type: 'nominal' },
			tooltip: [{ field: 'lifetime' }, { field: 'update' }, { field: 'gamma', format: '.4f' }],
		},
	});
	return figure({
		id,
		title,
		caption:
			`The discount γ of each of the ${lifetimes} meta-gradient lifetime(s) (one line each) against the training update.` +
			(region === undefined ? ' No grid arm over γ in this report, so no best region is shaded.' : ` Shaded: the grid's best region, γ from ${region.low.toPrecision(3)} to ${region.high.toPrecision(3)}: the grid points either side of the best grid point ${region.best.toPrecision(3)} of ${region.method}.`),
		spec: {
			$schema: 'https://vega.github.io/schema/vega-lite/v6.json',
			title: { text: title, subtitle: `${lifetimes} lifetime(s), one line each` },
			config: baseConfig,
			width: plotWidth,
			height: plotHeight,
			layer: layers,
		} as VlSpec,
	});
}
