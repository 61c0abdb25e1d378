/** `--storage URL` (default: the METATUNE_STORAGE environment variable) for the study commands and `report`. */

export const storageOption = {
	type: 'string',
	describe: 'Where studies are stored: a PostgreSQL URL postgresql://user@host:port/database (default: $METATUNE_STORAGE, else the journal files under --results)',
} as const;

/** The storage a command uses: `--storage`, else METATUNE_STORAGE, else undefined (the journal files). */
export function storageOf(args: { readonly storage?: string | undefined }): string | undefined {
	const value = args.storage ?? process.env.METATUNE_STORAGE;
	return value === undefined || value.trim() === '' ? undefined : value.trim();
}
