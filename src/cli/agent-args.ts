/**
 * Argument helpers of `metatune agent train`: path flags, the entropy flags and the output folders
 * (created together before training, or not at all).
 */
import { existsSync, rmdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { AgentConfig } from '../objectives/bandit/agent-config.js';
import { ensureOutputDir } from '../output-dir.js';

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

/** ensureOutputDir for each given folder; when one fails, the folders made for the others are removed again. */
export function ensureOutputDirs(dirs: readonly (readonly [string | undefined, string])[]): void {
	const made: string[] = [];
	try {
		for (const [dir, flag] of dirs) {
			if (dir === undefined) continue;
			for (let at = resolve(dir); !existsSync(at) && dirname(at) !== at; at = dirname(at)) made.push(at);
			ensureOutputDir(dir, flag);
		}
	} catch (error) {
		for (const dir of made.sort((x, y) => y.length - x.length)) {
			try {
				rmdirSync(dir);
			} catch {
				// not made by us, or not empty: leave it
			}
		}
		throw error;
	}
}

export function pruneUndefined<T extends Record<string, unknown>>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
