/**
 * Flags given more than once. yargs hands a repeated flag to the handler as an array, which the
 * handlers would otherwise treat as one value (`text.split is not a function`, `got 1,2`). The rule:
 *
 *   comma-list flags (--batch, --functions, --searchers, --gammas, --horizons, --tasks): repeats are merged
 *   in order, `--batch 1 --batch 16,64` = `--batch 1,16,64` (listFlag, in each command);
 *   every other flag: refused with one line naming it, for every command (middleware in cli.ts).
 */

/** The comma-separated text of a list flag, repeats joined in the order given. */
export function listFlag(value: string | readonly string[]): string {
	return typeof value === 'string' ? value : value.join(',');
}
