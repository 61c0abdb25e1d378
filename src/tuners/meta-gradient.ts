/**
 * Meta-gradient tuning of the discount (Xu, van Hasselt & Silver 2018) as an online tuner: every
 * lifetime starts at `gamma0` and the bandit agent adapts gamma inside it (the maths lives with the
 * agent, src/objectives/bandit/lifetimes/meta-gradient.ts). The lifetime logs `final_gamma` and
 * `gamma_trajectory` ([update, gamma] pairs), which `outcome` reads.
 *
 * Notation
 *   gamma0   the initial discount from the config, clamped into the space's bounds of gamma
 */
import { InputError } from '../core/errors.js';
import type { Params, Space } from '../core/space.js';
import type { MetagradientConfig } from './config.js';
import { type OnlineTuner, startConfiguration, type TunedOutcome } from './tuner.js';

const tunedParam = 'gamma';

export class MetagradientTuner implements OnlineTuner {
	readonly kind = 'metagradient' as const;
	readonly objective = 'bandit';
	readonly reevaluate = false;
	constructor(readonly config: MetagradientConfig) {}

	get note(): string {
		return `meta-gradient from gamma0=${this.config.gamma0}`;
	}

	tuned(): readonly { readonly name: string; readonly example: string }[] {
		return [{ name: tunedParam, example: 'gamma: {type: float, low: 0.05, high: 0.995}' }];
	}

	check(): undefined {
		return undefined;
	}

	start(space: Space): Params {
		const params = startConfiguration(
			space,
			(name) => (name === tunedParam ? this.config.gamma0 : undefined),
			(name) => `space.${name}: the metagradient tuner adapts only a float param named "${tunedParam}"; make "${name}" fixed for this arm`,
		);
		if (!(tunedParam in params))
			throw new InputError(
				`space.${tunedParam}: the metagradient tuner needs a float param named ${tunedParam} (the discount it tunes), e.g. gamma: {type: float, low: 0.05, high: 0.995}`,
				undefined,
				`space.${tunedParam}`,
			);
		return params;
	}

	outcome(fields: Readonly<Record<string, unknown>>): TunedOutcome | undefined {
		const final = fields.final_gamma;
		if (typeof final !== 'number') return undefined;
		const trajectory: (readonly [number, number])[] = [];
		const raw = fields.gamma_trajectory;
		if (Array.isArray(raw)) {
			for (const p of raw) if (Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number') trajectory.push([p[0], p[1]]);
		}
		return { final: { [tunedParam]: final }, trajectory: { [tunedParam]: trajectory } };
	}
}
