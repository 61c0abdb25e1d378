/**
 * `--storage URL` (default: the METATUNE_STORAGE environment variable) for the study commands and
 * `report`. A password in the flag's URL is visible to every user of the machine in `ps` for as long
 * as the command runs: one warning line says so and names the places that keep it out of the command
 * line (METATUNE_STORAGE, PGPASSWORD, ~/.pgpass; postgres.ts reads the last two as libpq does).
 */
import { urlHasPassword } from '../study/journal/url-label.js';
import { warningLine } from './colour.js';

export const storageOption = {
	type: 'string',
	describe: 'Where studies are stored: a PostgreSQL URL postgresql://user@host:port/database (default: $METATUNE_STORAGE, else the journal files under --results)',
} as const;

/** One warning line when a flag's URL holds a password (`ps` shows it); `instead`: where else the URL may go. */
export function warnIfPasswordShown(flag: string, url: string, instead = 'give the URL in METATUNE_STORAGE instead, or the password in PGPASSWORD or ~/.pgpass'): void {
	if (urlHasPassword(url)) process.stderr.write(warningLine(`warning: ${flag}: the password in this URL is visible to other users in \`ps\` while the command runs; ${instead}`));
}

/** The storage a command uses: `--storage`, else METATUNE_STORAGE, else undefined (the journal files). */
export function storageOf(args: { readonly storage?: string | undefined }): string | undefined {
	if (args.storage !== undefined) warnIfPasswordShown('--storage', args.storage);
	const value = args.storage ?? process.env.METATUNE_STORAGE;
	return value === undefined || value.trim() === '' ? undefined : value.trim();
}
