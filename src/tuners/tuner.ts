/**
 * The online-tuner contract. A tuner arm runs `budget` lifetimes of one starting configuration; the
 * objective adapts the tuned params inside each lifetime (it receives the tuner's settings as
 * `context.tuning`) and logs where they went. The study, the comparison table and the report read
 * those logs only through `outcome`, so they never know a tuner's field names.
 *
 * Notation
 *   tuned        the params the tuner adapts inside a lifetime (searchable params of the space)
 *   start        the configuration every lifetime of the arm begins from
 *   final        each tuned param's value at the end of a lifetime
 *   trajectory   [step, value] pairs of each tuned param over a lifetime
 */
import { InputError } from '../core/errors.js';
import type { FloatParam, Params, Space } from '../core/space.js';
import type { TunerConfig, TunerKind } from './config.js';

export interface TunedOutcome {
	readonly final: Readonly<Record<string, number>>;
	readonly trajectory: Readonly<Record<string, readonly (readonly [number, number])[]>>;
	/** the settings hold between trajectory points and jump at them (a population's selections), rather than move continuously */
	readonly stepwise?: boolean;
}

export interface OnlineTuner {
	readonly kind: TunerKind;
	readonly config: TunerConfig;
	/** The objective kind whose lifetimes can run this tuner. */
	readonly objective: string;
	/**
	 * The float params this tuner adapts in `space`, each with an example space entry for messages. A
	 * study using the tuner must search exactly these (as floats) and fix every other param, since the
	 * space is shared by all arms; the study spec checks that, and `check` anything else the tuner needs.
	 */
	tuned(space: Space): readonly { readonly name: string; readonly example: string }[];
	/** A problem of `space` for this tuner beyond the rule above (field and message), or undefined. */
	check(space: Space): { readonly field: string; readonly message: string } | undefined;
	/** The configuration each lifetime starts from: the space's fixed values plus the tuner's starts (a space that does not fit throws InputError). */
	start(space: Space): Params;
	/** A line for the trial record on how the start was chosen. */
	readonly note: string;
	/**
	 * Whether the arm's chosen settings (the final settings of its best lifetime) are re-evaluated as a
	 * fixed configuration on fresh seeds, like a searcher's choice. False when the settings only make
	 * sense as the schedule a lifetime followed (the meta-gradient discount moves in every lifetime).
	 */
	readonly reevaluate: boolean;
	/** What a complete lifetime logged about its tuned params, or undefined when it logged nothing. */
	outcome(fields: Readonly<Record<string, unknown>>): TunedOutcome | undefined;
}

/**
 * A tuner's start configuration: the space's fixed values, and for each float param the value
 * `floatStart` gives (clamped into the param's bounds). A float param it gives none for, and any int or
 * categorical param, is an InputError with `refused(name)` as its message.
 */
export function startConfiguration(space: Space, floatStart: (name: string, param: FloatParam) => number | undefined, refused: (name: string) => string): Params {
	const params: Params = {};
	for (const [name, param] of Object.entries(space)) {
		const value = param.type === 'fixed' ? param.value : param.type === 'float' ? floatStart(name, param) : undefined;
		if (value === undefined) throw new InputError(refused(name), undefined, `space.${name}`);
		params[name] = param.type === 'float' ? Math.min(param.high, Math.max(param.low, value as number)) : value;
	}
	return params;
}
