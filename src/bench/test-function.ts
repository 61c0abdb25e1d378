/** A test function of the searcher benchmark: a space, the function (minimised) and its known global minimum. */
import type { Params, Space } from '../core/space.js';

export interface TestFunction {
	readonly name: string;
	readonly space: Space;
	readonly evaluate: (params: Params) => number;
	readonly minimum: number;
}
