/**
 * Whether a value is one a param can take: a float within its bounds, an int on its step grid, one
 * of a categorical's choices (by equality), a fixed param's value. The journal checks stored params
 * with it, and the study file checks the values a condition (`when`) names.
 */
import type { Param, ParamValue } from './space.js';

/** Why `value` is not a value `param` can take, or undefined (ints on their step grid, choices by equality). */
export function valueProblem(param: Param, value: ParamValue): string | undefined {
	switch (param.type) {
		case 'float':
			return typeof value === 'number' && value >= param.low && value <= param.high ? undefined : `outside the space (${param.low} to ${param.high})`;
		case 'int': {
			const step = param.step ?? 1;
			const onGrid = typeof value === 'number' && Number.isInteger(value) && Number.isInteger((value - param.low) / step);
			return onGrid && value >= param.low && value <= param.high ? undefined : `outside the space (${param.low} to ${param.high}${step === 1 ? '' : ` step ${step}`})`;
		}
		case 'categorical':
			return param.choices.includes(value) ? undefined : `not one of the choices ${JSON.stringify(param.choices)}`;
		case 'fixed':
			return value === param.value ? undefined : `not the fixed value ${JSON.stringify(param.value)}`;
	}
}
