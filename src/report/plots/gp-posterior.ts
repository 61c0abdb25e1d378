/**
 * The GP searcher's model, refitted for the report: posterior mean and 95% band of the reward along
 * one parameter, and the posterior mean at arbitrary points (for importance).
 *
 * Notation
 *   obs          (x_i, loss_i), i < n: GP coordinates (searchers/gp/encoding.ts, unit cube for floats
 *                and ints, choice index for categoricals) and losses sign * value (sign = +1 minimise,
 *                -1 maximise)
 *   m, s         the GP's prior mean and the sd of the losses (model.ts standardises y = (loss - m) / s)
 *   f(x)         latent function of the fitted GP (noise excluded); on the value scale
 *                value(x) = sign * (s * mu(x) + m),  sd_value(x) = s * sqrt(var(x))
 *   band         value(x) +- 1.96 sd_value(x): the 95% credible band of the latent mean reward
 *   slice        x varies along dim j over its range; the other coordinates stay at `anchor`
 *                (the arm's chosen configuration)
 */
import { lossSign } from '../../../searchers/common.js';
import { encodeParams, gpDims, type GpDim } from '../../../searchers/gp/encoding.js';
import { Posterior } from '../../../searchers/gp/gp.js';
import { fitFirst, standardise } from '../../../searchers/gp/model.js';
import type { Direction } from '../../../searchers/searcher.js';
import { NumericalError } from '../../core/errors.js';
import { fromUnit, type Params, type ParamValue, type Space } from '../../core/space.js';

export interface FittedGp {
	readonly dims: readonly GpDim[];
	readonly n: number;
	/** the fitted noise variance of one observation around the latent mean, on the value scale */
	readonly noise: number;
	/** posterior mean and sd of the latent reward at GP coordinates x */
	predict(x: Float64Array): { mean: number; sd: number };
}

/**
 * Fit the GP to (params, value) pairs. Undefined with fewer than `minObs` points or when the fit fails.
 * `fits`: the fits a gp arm's searcher recorded (StudyState.fits): when `data` are its completed
 * trials in order, their kernel parameters are read instead of fitted (searchers/gp/model.ts).
 */
export function fitGp(space: Space, direction: Direction, data: readonly { params: Params; value: number }[], minObs = 3, fits?: ReadonlyMap<string, readonly number[]>): FittedGp | undefined {
	const dims = gpDims(space);
	const d = dims.length;
	const usable = data.filter((p) => Number.isFinite(p.value));
	if (d === 0 || usable.length < minObs) return undefined;
	const sign = lossSign(direction);
	const xs = new Float64Array(usable.length * d);
	const losses = new Float64Array(usable.length);
	usable.forEach((p, i) => {
		xs.set(encodeParams(dims, p.params), i * d);
		losses[i] = sign * p.value;
	});
	const n = usable.length;
	try {
		const { data: gpData, fit } = fitFirst({ xs, losses, n }, n, dims, fits === undefined ? undefined : { known: fits, added: [] });
		const posterior = new Posterior(gpData, fit.hyper);
		const { mean: m, sd: s } = standardise(losses, n);
		const pred = { mean: 0, variance: 0 };
		return {
			dims,
			n,
			noise: s * s * fit.hyper.noise,
			predict(x) {
				posterior.predict(x, pred);
				return { mean: sign * (s * pred.mean + m), sd: s * Math.sqrt(Math.max(0, pred.variance)) };
			},
		};
	} catch (error) {
		if (error instanceof NumericalError) return undefined;
		throw error;
	}
}

export interface SlicePoint {
	readonly x: ParamValue;
	readonly mean: number;
	readonly low: number;
	readonly high: number;
}

/** Posterior mean and 95% band along `dimName` (floats: `points` even steps in unit space; ints: every value up to `points`). */
export function posteriorSlice(gp: FittedGp, dimName: string, anchor: Params, points = 81): SlicePoint[] {
	const j = gp.dims.findIndex((d) => d.name === dimName);
	const dim = gp.dims[j];
	if (dim === undefined || dim.param.type === 'categorical') return [];
	const x = encodeParams(gp.dims, anchor);
	const us: number[] = [];
	if (dim.kind === 'int' && dim.size <= points) {
		const p = dim.param;
		for (let k = 0; k < dim.size; k++) us.push(encodeParams([dim], { [dimName]: p.low + k * ((p.type === 'int' ? p.step : undefined) ?? 1) })[0] as number);
	} else for (let i = 0; i < points; i++) us.push(i / (points - 1));
	return us.map((u) => {
		x[j] = u;
		const { mean, sd } = gp.predict(x);
		return { x: fromUnit(dim.param, u), mean, low: mean - 1.96 * sd, high: mean + 1.96 * sd };
	});
}
