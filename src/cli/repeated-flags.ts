/**
 * Flags given more than once. yargs hands a repeated flag to the handler as an array, which the
 * handlers would otherwise treat as one value (`text.split is not a function`, `got 1,2`). The rule
 * for the bench and report commands:
 *
 *   comma-list flags (--batch, --functions, --searchers)   repeats are merged in order:
 *                                                          `--batch 1 --batch 16,64` = `--batch 1,16,64`
 *   every other flag (--seconds, --dir, --out, ...)       refused with one line naming the flag
 */
import { InputError } from '../errors.js';

/** The comma-separated text of a list flag, repeats joined in the order given. */
export function listFlag(value: string | readonly string[]): string {
	return typeof value === 'string' ? value : value.join(',');
}

/** Throw InputError for the first of `flags` given more than once. */
export function refuseRepeats(args: Readonly<Record<string, unknown>>, flags: readonly string[]): void {
	for (const flag of flags) {
		const value = args[flag];
		if (Array.isArray(value)) throw new InputError(`--${flag}: given ${value.length} times; give it once`, undefined, flag);
	}
}
