/** The `pgpass` package (libpq's password file, ~/.pgpass or PGPASSFILE), which ships no types. */
declare module 'pgpass' {
	interface ConnectionInfo {
		host: string;
		port: string | number;
		database: string;
		user: string;
	}
	export default function pgpass(connection: ConnectionInfo, found: (password: string | undefined) => void): void;
}
