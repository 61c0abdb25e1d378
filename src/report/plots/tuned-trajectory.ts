/**
 * Trajectories of the params online tuners adapt inside their lifetimes (the meta-gradient tuner's
 * discount) against training steps, over the grid's best region for that param.
 *
 * Notation
 *   param         the first param a tuner arm of the report tunes (its figure id: `<param>-trajectories`)
 *   trajectory    [step, value] pairs of that param in each tuner lifetime (the tuner's outcome)
 *   grid means    per grid configuration, the mean value over its complete search lifetimes
 *   best region   [x_{k-1}, x_{k+1}] around the best grid point x_k of the param (clipped at the ends
 *                 of the grid): where the grid locates the optimum of a unimodal reward curve. The
 *                 grid arm is taken from the same study when it has one, else from another study
 *                 of the report with a grid over the param.
 */
import { lossSign } from '../../../searchers/common.js';
import { configGroups, type StoredStudy, tunedParams, trialValue } from '../../study/view.js';
import { allLifetimes, methods, paramTitle, type ReportInput } from './data.js';
import { baseConfig, figure, methodColor, plotHeight, plotWidth, skipped, type FigureOutcome, type VlSpec } from './spec.js';

export interface TrajectoryPoint {
	readonly method: string;
	readonly lifetime: string;
	readonly step: number;
	readonly value: number;
	/** settings that hold between points and jump at them (population selections): drawn as steps */
	readonly stepwise: boolean;
}

export interface BestRegion {
	readonly low: number;
	readonly high: number;
	readonly best: number;
	readonly method: string;
	readonly label: string;
}

/** The best region of the first grid arm over `param` (see Notation); undefined without one. */
export function gridBestRegion(input: ReportInput, param: string, prefer?: StoredStudy): BestRegion | undefined {
	const studies = prefer === undefined ? input.studies : [prefer, ...input.studies.filter((s) => s !== prefer)];
	for (const stored of studies) {
		if (stored.spec.space[param]?.type !== 'float') continue;
		const sign = lossSign(stored.spec.direction);
		for (const arm of stored.spec.arms) {
			if (arm.config.kind !== 'grid') continue;
			const means: { x: number; mean: number }[] = [];
			for (const g of configGroups(stored.state, arm.name, stored.spec.repeats)) {
				const vs = g.lifetimes.map(trialValue).filter((v): v is number => v !== undefined);
				const x = g.params[param];
				if (vs.length > 0 && typeof x === 'number') means.push({ x, mean: vs.reduce((a, b) => a + b, 0) / vs.length });
			}
			if (means.length < 3) continue; // a region needs a best point with neighbours
			means.sort((a, b) => a.x - b.x);
			let k = 0;
			means.forEach((m, i) => {
				if (sign * m.mean < sign * (means[k] as { mean: number }).mean) k = i;
			});
			const best = (means[k] as { x: number }).x;
			const low = means[Math.max(0, k - 1)]?.x ?? best;
			const high = means[Math.min(means.length - 1, k + 1)]?.x ?? best;
			const method = input.studies.length > 1 ? `${stored.spec.name}/${arm.name}` : arm.name;
			const f = (x: number) => String(Number(x.toPrecision(3)));
			return { low, high, best, method, label: `${method} best region ${f(low)}–${f(high)}` };
		}
	}
	return undefined;
}

/** The first param a tuner arm of the report tunes, and the study it is in; undefined without tuner arms. */
function tunedParam(input: ReportInput): { readonly param: string; readonly stored: StoredStudy } | undefined {
	for (const stored of input.studies) {
		for (const arm of stored.spec.arms) {
			const param = tunedParams(stored.spec, arm)[0];
			if (param !== undefined) return { param, stored };
		}
	}
	return undefined;
}

export function trajectoryPoints(input: ReportInput, param: string): TrajectoryPoint[] {
	const out: TrajectoryPoint[] = [];
	for (const l of allLifetimes(input)) {
		const traj = l.tuned?.trajectory[param];
		if (traj === undefined || traj.length === 0) continue;
		const lifetime = `${l.method} trial ${l.trial}${l.purpose === 'reevaluate' ? ' (re-evaluation)' : ''}`;
		const stepwise = l.tuned?.stepwise === true;
		for (const [step, value] of traj) if (Number.isFinite(step) && Number.isFinite(value)) out.push({ method: l.method, lifetime, step, value, stepwise });
	}
	return out;
}

export function tunedTrajectoryFigure(input: ReportInput): FigureOutcome {
	const tuned = tunedParam(input);
	if (tuned === undefined) return skipped('tuned-trajectories', 'Trajectories of online-tuned parameters', 'no arm changes its parameters during a lifetime (searchers of kind metagradient do)');
	const { param, stored } = tuned;
	const id = `${param}-trajectories`;
	const axis = paramTitle(stored, param);
	const title = `${axis} trajectories of online-tuned lifetimes`;
	const points = trajectoryPoints(input, param);
	if (points.length === 0) return skipped(id, title, `no tuner lifetime has logged a trajectory of ${param} yet`);
	const region = gridBestRegion(input, param, stored);
	const lifetimes = new Set(points.map((p) => p.lifetime)).size;
	const x = { field: 'step', type: 'quantitative' as const, title: 'Training update' };
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
	for (const stepwise of [false, true]) {
		const values = points.filter((p) => p.stepwise === stepwise);
		if (values.length === 0) continue;
		layers.push({
			data: { values },
			mark: { type: 'line', strokeWidth: 1.5, opacity: 0.85, ...(stepwise ? { interpolate: 'step-after', point: { size: 12 } } : {}) },
			encoding: {
				x,
				y: { field: 'value', type: 'quantitative', title: axis, scale: { zero: false } },
				color: methodColor(
					methods(input),
					points.map((p) => p.method),
					'stroke',
				),
				detail: { field: 'lifetime', type: 'nominal' },
				tooltip: [{ field: 'lifetime' }, { field: 'step' }, { field: 'value', format: '.4f' }],
			},
		});
	}
	return figure({
		id,
		title,
		caption:
			`${axis} of each of the ${lifetimes} online-tuned lifetime(s) (one line each) against the training update` +
			(points.some((p) => p.stepwise) ? "; population arms show the deployed member's settings, which jump where a selection deploys another member or a copy explores (dots: selections)." : '.') +
			(region === undefined
				? ` No grid over ${param} with three or more points in this report, so no best region is shaded.`
				: ` Shaded: the grid's best region, ${param} from ${region.low.toPrecision(3)} to ${region.high.toPrecision(3)}: the grid points either side of the best grid point ${region.best.toPrecision(3)} of ${region.method}.`),
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
