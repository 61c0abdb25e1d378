/**
 * The objective contract: what the study runner evaluates for each trial. The built-in bandit
 * objective and user modules (`objective: {module: ./path.js}`) both satisfy it.
 *
 * An objective gets the trial's params and a context (its seed, its trial number, an abort signal),
 * and returns either a number or an object of fields to log holding the study's metric (`value`
 * unless the study's `metric` names another field). Throwing, returning
 * a non-finite value or passing the trial timeout makes a failed trial; the study goes on.
 */
import type { Params, Space } from '../core/space.js';
import type { TunerConfig } from '../tuners/config.js';

export type LoggedValue = number | string | boolean | null | readonly number[] | readonly LoggedValue[] | { readonly [key: string]: LoggedValue };

export interface ObjectiveContext {
	/** Seed for this trial's randomness (lifetime seed). Same seed, same result. */
	readonly seed: number;
	readonly trial: number;
	readonly signal: AbortSignal;
	/** Optional progress callback (fraction 0..1 and a short message). */
	readonly progress?: (fraction: number, message?: string) => void;
	/**
	 * The online tuner this lifetime runs, when its arm is a tuner arm: the objective adapts the tuned
	 * params inside the lifetime (the bandit objective runs meta-gradient tuning of the discount for
	 * `{kind: 'metagradient', ...}`) and logs what the tuner's `outcome` reads. Absent for searcher arms.
	 */
	readonly tuning?: TunerConfig;
	/**
	 * Report an intermediate value of the metric at `step` (a resource count: episodes, env steps,
	 * epochs; a finite number). Resolves to true when the lifetime should stop (the study's pruner
	 * stopped it): the objective then returns its last value, and the lifetime ends as pruned. The
	 * study runner records every report (the lifetime's curve); absent when nothing listens (ask/tell).
	 *
	 *   if (await context.report?.(episode, meanReturn)) return { value: meanReturn };
	 *
	 * In a study with several metrics `value` may be a list, one value per metric in the order of
	 * `metrics` (the first is the value recorded): the pruner then judges the report by Pareto
	 * dominance (study/run/pruner.ts); a single number is judged on the first metric alone.
	 */
	readonly report?: (step: number, value: number | readonly number[], checkpoint?: boolean) => Promise<boolean>;
	/** The study's search space, given to a tuner arm's lifetimes: the ranges its tuner may explore. */
	readonly space?: Space;
	/**
	 * Present when the lifetime is a segment of a population member (a pbt arm): `restore()` gives the
	 * state this segment continues from (undefined at a fresh start), `save(state)` writes the state
	 * to continue from later (bytes or anything JSON holds); the next report then announces it. At the
	 * first report at or past the end of its interval a segment must have saved. See checkpoint.ts.
	 */
	readonly checkpoint?: CheckpointContext;
}

/** A segment's checkpoint folders and the module objectives' way to use them (checkpoint.ts). */
export interface CheckpointContext {
	/** the folder this lifetime writes its checkpoint into (emptied before it starts) */
	readonly dir: string;
	/** the folder of the checkpoint it continues from; undefined at a fresh start */
	readonly restoreDir?: string;
	/** the step this segment ends at: save, then report at the first step at or past it (the report answers stop) */
	readonly end: number;
	/** Write `state` (a Uint8Array as bytes, anything else as JSON) as this lifetime's checkpoint; the next report announces it. */
	save(state: unknown): void;
	/** The state this lifetime continues from (bytes as a Uint8Array, else the JSON value), or undefined at a fresh start. */
	restore(): unknown;
}

/** A program run per lifetime (command.ts): `command` is [program, ...args] with {param} placeholders. */
export interface CommandSpec {
	readonly command: readonly string[];
	readonly cwd?: string;
	readonly env?: Readonly<Record<string, string>>;
	/** seconds */
	readonly timeout?: number;
	/** seconds between SIGTERM and SIGKILL (default 5) */
	readonly grace?: number;
	/** what a stdout line that is not a protocol line does (default strict: fails the lifetime) */
	readonly stdout?: CommandStdoutMode;
}

/** strict: a stdout line that is not a protocol line fails the lifetime; lenient: it is ignored and counted; prefixed: only lines beginning `metatune:` are protocol lines. */
export const commandStdoutModes = ['strict', 'lenient', 'prefixed'] as const;
type CommandStdoutMode = (typeof commandStdoutModes)[number];

/**
 * Which objective a study runs, as stored in its spec: the built-in bandit agent, a module, a
 * program (command), or
 * `function`: none named in the study, the library caller passes one (`runStudy(study, {objective})`,
 * or `ask`/`tell` by hand).
 */
export type ObjectiveSpec =
	| { readonly kind: 'bandit'; readonly settings: Readonly<Record<string, unknown>> }
	| { readonly kind: 'module'; readonly module: string; readonly export?: string }
	| ({ readonly kind: 'command' } & CommandSpec)
	| { readonly kind: 'function' };

/** A number (the metric `value`), or the fields to log, among them the study's metric (`value` unless the study names another). */
export type ObjectiveResult = number | { readonly [field: string]: LoggedValue };

/** `P`: the params' type (`ParamsOf` the study's space when the spec came from `parseStudySpec`). */
export type ObjectiveFunction<P = Params> = (params: P, context: ObjectiveContext) => ObjectiveResult | Promise<ObjectiveResult>;
