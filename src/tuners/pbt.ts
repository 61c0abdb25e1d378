/**
 * Population-based training as an online tuner: every lifetime of the arm trains a population of
 * agents side by side and adapts their settings by exploit/explore (the maths lives with the agent,
 * src/objectives/bandit/lifetimes/population.ts). It tunes every searched param of the space; each must be a
 * float among the agent settings a lifetime can change. The lifetime logs `final_params` (the deployed
 * member's settings at the end) and `param_trajectory` (the deployed settings over updates), which
 * `outcome` reads.
 *
 * Notation
 *   start   member 0's value of each tuned param: `start[name]`, else the midpoint of its range,
 *           clamped into the range
 */
import { dimensions, type Params, type Space } from '../core/space.js';
import type { PbtConfig } from './config.js';
import { type OnlineTuner, startConfiguration, type TunedOutcome } from './tuner.js';

/** Agent settings a population may change inside a lifetime (numbers that keep the network's shape). */
const changeable = ['gamma', 'lr', 'entropy', 'value_coef', 'grad_clip'] as const;

export class PbtTuner implements OnlineTuner {
	readonly kind = 'pbt' as const;
	readonly objective = 'bandit';
	readonly reevaluate = true;
	constructor(readonly config: PbtConfig) {}

	get note(): string {
		const start = Object.entries(this.config.start).map(([k, v]) => `${k}=${v}`);
		return `population of ${this.config.population}${this.config.meta_gradient ? ' meta-gradient' : ''} members${start.length > 0 ? ` from ${start.join(', ')}` : ''}`;
	}

	tuned(space: Space): readonly { readonly name: string; readonly example: string }[] {
		return dimensions(space).map((d) => ({ name: d.name, example: `${d.name}: {type: float, low: ..., high: ...}` }));
	}

	check(space: Space): { readonly field: string; readonly message: string } | undefined {
		for (const d of dimensions(space)) {
			if (!(changeable as readonly string[]).includes(d.name))
				return {
					field: `space.${d.name}`,
					message: `the pbt tuner changes only ${changeable.join(', ')} inside a lifetime; fix ${d.name} ({type: fixed, value: ...}) or search it with a searcher arm in its own study`,
				};
		}
		if (this.config.meta_gradient && space.gamma?.type !== 'float')
			return { field: 'space.gamma', message: 'meta_gradient members adapt the discount: search gamma as a float, e.g. gamma: {type: float, low: 0.05, high: 0.995}' };
		for (const [name, value] of Object.entries(this.config.start)) {
			if (space[name] === undefined || space[name].type === 'fixed')
				return { field: `start.${name}`, message: `${name} is not a searched param of the space; start values are for the params the population tunes` };
			if (typeof value !== 'number') return { field: `start.${name}`, message: `the bandit's pbt tunes floats; give a number (got ${JSON.stringify(value)})` };
		}
		if (this.config.population > 8) return { field: 'population', message: `the bandit's pbt trains its members side by side in one lifetime: at most 8 (got ${this.config.population})` };
		return undefined;
	}

	start(space: Space): Params {
		return startConfiguration(
			space,
			(name, param) => {
				const given = this.config.start[name];
				return typeof given === 'number' ? given : param.log ? Math.sqrt(param.low * param.high) : (param.low + param.high) / 2;
			},
			(name) => `space.${name}: the pbt tuner tunes float params only; make "${name}" a float or fix it`,
		);
	}

	outcome(fields: Readonly<Record<string, unknown>>): TunedOutcome | undefined {
		const final = fields.final_params;
		if (final === null || typeof final !== 'object' || Array.isArray(final)) return undefined;
		const finals: Record<string, number> = {};
		for (const [k, v] of Object.entries(final)) if (typeof v === 'number') finals[k] = v;
		const trajectory: Record<string, (readonly [number, number])[]> = {};
		const raw = fields.param_trajectory;
		if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
			for (const [k, points] of Object.entries(raw)) {
				if (!Array.isArray(points)) continue;
				trajectory[k] = points.filter((p): p is [number, number] => Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number').map((p) => [p[0], p[1]] as const);
			}
		}
		// plain members keep their settings between selections; meta-gradient members move the discount
		return { final: finals, trajectory, stepwise: !this.config.meta_gradient };
	}
}
