/**
 * The checks of a pbt arm on a module or command objective (its members are lifetimes that
 * checkpoint: run/population-arm.ts): it tunes every searched param, so the space needs no fixing;
 * what belongs to searchers (a budget of lifetimes, a pruner) is refused, and `start` must name
 * searched params with values they can take.
 */
import type { Param, ParamValue, Space } from '../../core/space.js';
import type { PbtConfig } from '../../tuners/config.js';

/** The first problem of a population arm (field relative to the arm, message), or undefined. */
export function populationArmProblem(
	config: PbtConfig,
	given: { readonly budget: number | undefined; readonly pruner: unknown },
	space: Space,
): { readonly field: string; readonly message: string } | undefined {
	if (given.budget !== undefined)
		return { field: 'budget', message: 'a pbt arm runs `population` members, each until its program ends; it has no budget of lifetimes (set population, and the length in your program)' };
	if (given.pruner !== undefined) return { field: 'pruner', message: 'a pbt arm is not pruned: its bottom members exploit the top at every interval; give pruners to grid, random or gp arms' };
	for (const [name, value] of Object.entries(config.start)) {
		const param = space[name];
		if (param === undefined || param.type === 'fixed') return { field: `start.${name}`, message: `${name} is not a searched param of the space; start values are for the params the population tunes` };
		const wrong = startProblem(param, value);
		if (wrong !== undefined) return { field: `start.${name}`, message: wrong };
	}
	return undefined;
}

function startProblem(param: Param, value: ParamValue): string | undefined {
	switch (param.type) {
		case 'float':
		case 'int':
			return typeof value === 'number' && value >= param.low && value <= param.high && (param.type === 'float' || Number.isInteger(value))
				? undefined
				: `must be a${param.type === 'int' ? 'n integer' : ' number'} from ${param.low} to ${param.high} (got ${JSON.stringify(value)})`;
		case 'categorical':
			return param.choices.includes(value) ? undefined : `must be one of ${JSON.stringify(param.choices)} (got ${JSON.stringify(value)})`;
		case 'fixed':
			return undefined;
	}
}
