/**
 * yargs formats the running command's help text as it calls the command's handler, to show it
 * should the handler fail later. metatune never shows help on a failure (one line, then "Run
 * `metatune <command> --help` for usage": main.ts), so with the cache that text would be built on
 * every start and never read: the string widths of every line of it, 5-12% of the CPU time of
 * `metatune list` or `status`.
 * `skipHelpCache` turns that cache off, so the help text is built only when it is printed (--help,
 * `metatune` alone).
 *
 * The cache sits behind yargs' internal methods (yargs 18: `getInternalMethods().getUsageInstance()`);
 * should they change, nothing breaks (the help is cached as before) and
 * test/cli/yargs-help-cache.test.ts fails.
 */
import type { Argv } from 'yargs';

interface UsageInstance {
	cacheHelpMessage?: () => void;
}

/** Make `parser` build its help text only when it prints it (see above). */
export function skipHelpCache(parser: Argv): void {
	const internal = parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => UsageInstance } };
	const usage = internal.getInternalMethods?.().getUsageInstance?.();
	if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}
