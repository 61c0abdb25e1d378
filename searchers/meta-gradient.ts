/**
 * The `metagradient` searcher adapter. Meta-gradient tuning adapts the discount online inside each
 * lifetime (the maths lives with the agent), so the searcher only hands out one configuration: the
 * space's fixed values plus `gamma = gamma0` for a float param named `gamma`. Every proposal is the
 * same configuration (lifetimes differ by their seeds); it never says exhausted (the runner stops at
 * budget), and `recommend` returns undefined (the table reports the lifetimes' final discounts).
 *
 * Notation
 *   gamma0   the initial discount from the config
 */
import { InputError } from '../src/core/errors.js';
import type { Params, Space } from '../src/core/space.js';
import type { MetagradientConfig } from './config.js';
import type { AskRequest, AskResult, Recommendation, Searcher } from './searcher.js';

/** The one configuration a metagradient arm runs. Throws InputError if another param is searchable. */
export function metagradientParams(space: Space, gamma0: number): Params {
	const params: Params = {};
	for (const [name, param] of Object.entries(space)) {
		switch (param.type) {
			case 'fixed':
				params[name] = param.value;
				break;
			case 'float':
				if (name === 'gamma') {
					params[name] = Math.min(param.high, Math.max(param.low, gamma0));
					break;
				}
				throw searchableError(name);
			case 'int':
			case 'categorical':
				throw searchableError(name);
		}
	}
	return params;
}

function searchableError(name: string): InputError {
	return new InputError(
		`space.${name}: the metagradient searcher tunes only a float param named "gamma"; make "${name}" fixed for this arm`,
		undefined,
		`space.${name}`,
	);
}

export class MetagradientSearcher implements Searcher {
	readonly kind = 'metagradient' as const;
	constructor(readonly config: MetagradientConfig) {}

	ask(request: AskRequest): AskResult {
		const params = metagradientParams(request.space, this.config.gamma0);
		return {
			kind: 'proposals',
			proposals: Array.from({ length: request.n }, () => ({ params: { ...params }, note: `meta-gradient from gamma0=${this.config.gamma0}` })),
		};
	}

	recommend(_request: Omit<AskRequest, 'n'>): Recommendation | undefined {
		return undefined;
	}
}
