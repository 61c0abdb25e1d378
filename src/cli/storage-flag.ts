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

/** The storage a command uses: `--storage`, else METATUNE_STORAGE, else undefined (the journal files). */
export function storageOf(args: { readonly storage?: string | undefined }): string | undefined {
	if (args.storage !== undefined && urlHasPassword(args.storage))
		process.stderr.write(
			warningLine(
				'warning: --storage: the password in this URL is visible to other users in `ps` while the command runs; give the URL in METATUNE_STORAGE instead, or the password in PGPASSWORD or ~/.pgpass',
			),
		);
	const value = args.storage ?? process.env.METATUNE_STORAGE;
	return value === undefined || value.trim() === '' ? undefined : value.trim();
}
