/**
 * Argument helpers of `metatune agent train`: path flags and the entropy flags.
 */
import { InputError } from '../core/errors.js';
import type { AgentConfig } from '../objectives/bandit/learner/agent-config.js';

export interface EntropyFlags {
	readonly entropy?: number | undefined;
	readonly 'entropy-end'?: number | undefined;
	readonly 'entropy-anneal'?: number | undefined;
}

/** A path flag's value: undefined when not given; an empty value (e.g. an unset $DIR) is an error. */
export function pathFlag(flag: string, value: unknown): string | undefined {
	if (value === undefined) return undefined;
	if (typeof value !== 'string') throw new InputError(`--${flag}: give one folder (got ${JSON.stringify(value)})`, undefined, flag);
	if (value.trim() === '') throw new InputError(`--${flag}: needs a folder (got an empty value; is a shell variable unset?)`, undefined, flag);
	return value;
}

/**
 * --entropy alone is a constant coefficient (as `entropy: 0.05` in a study file); with --entropy-end
 * or --entropy-anneal each flag changes only its own part of the schedule (the default's, or the
 * --from checkpoint's).
 */
export function entropyOverride(args: EntropyFlags, base: AgentConfig['entropy']): AgentConfig['entropy'] | undefined {
	const { entropy: start, 'entropy-end': end, 'entropy-anneal': anneal } = args;
	if (start !== undefined && end === undefined && anneal === undefined) return { start, end: start, anneal_episodes: 0 };
	if (start === undefined && end === undefined && anneal === undefined) return undefined;
	return { start: start ?? base.start, end: end ?? base.end, anneal_episodes: anneal ?? base.anneal_episodes };
}

export function pruneUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
