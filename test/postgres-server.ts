/**
 * A throwaway PostgreSQL server for tests: `initdb` into a temporary folder, started on a free
 * loopback port (and a unix socket in that folder), stopped and removed by `stop()` or when the
 * test process exits. `fsync=off`: these tests check coordination, not durability against power
 * loss. `initdb` refuses root, so as root the server runs as the `postgres` user (`runuser`).
 *
 * Without the binaries `postgresMissing()` says how to install them, and the tests skip; with
 * METATUNE_REQUIRE_POSTGRES=1 (CI: .ci/run) a missing server fails instead.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestFn } from 'ava';
import pg from 'pg';
import type { JournalRecord } from '../src/study/journal/journal.js';

export interface PgServer {
	readonly url: string;
	/** stop the server as a crash would (`pg_ctl stop -m immediate`), keeping its data */
	halt(): void;
	/** start it again after `halt`, on the same port */
	resume(): void;
	stop(): void;
}

function binDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
	for (const v of versions) if (existsSync(join(root, v, 'bin', 'pg_ctl'))) return join(root, v, 'bin');
	for (const dir of (process.env.PATH ?? '').split(':')) if (dir !== '' && existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb'))) return dir;
	return undefined;
}

/** Why PostgreSQL tests cannot run here (undefined when they can); throws when METATUNE_REQUIRE_POSTGRES=1. */
export function postgresMissing(): string | undefined {
	if (binDir() !== undefined) return undefined;
	const message = 'PostgreSQL tests skipped: initdb and pg_ctl not found; install them with `apt-get install -y postgresql` (Debian/Ubuntu)';
	if (process.env.METATUNE_REQUIRE_POSTGRES === '1') throw new Error(`${message} (METATUNE_REQUIRE_POSTGRES=1)`);
	return message;
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

const running = new Set<PgServer>();
process.on('exit', () => {
	for (const server of running) server.stop();
});

/** Start a server of its own; the URL connects as `metatune` (trust authentication) to database `postgres`. */
export async function startPostgres(): Promise<PgServer> {
	const bin = binDir();
	if (bin === undefined) throw new Error('PostgreSQL binaries not found');
	const dir = mkdtempSync(join(tmpdir(), 'metatune-pg-'));
	const root = process.getuid?.() === 0;
	// as root, the folder belongs to the server's user: `postgres`
	if (root) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
	const as = (cmd: string, args: string[]) =>
		root ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' }) : execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
	const data = join(dir, 'data');
	as('initdb', ['-D', data, '-U', 'metatune', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
	const port = await freePort();
	const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c full_page_writes=off`;
	const start = () => as('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start']);
	start();
	let stopped = false;
	let halted = false;
	const server: PgServer = {
		url: `postgresql://metatune@127.0.0.1:${port}/postgres`,
		halt() {
			as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
			halted = true;
		},
		resume() {
			start();
			halted = false;
		},
		stop() {
			if (stopped) return;
			stopped = true;
			running.delete(server);
			try {
				if (!halted) as('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		},
	};
	running.add(server);
	return server;
}

/** Every record of study `study` in the database at `url`, in seq order (read directly, as a check independent of the CLI). */
export async function storedRecords(url: string, study: string): Promise<JournalRecord[]> {
	const client = new pg.Client(url);
	await client.connect();
	try {
		const rows = await client.query<{ record: JournalRecord }>('SELECT r.record FROM metatune_records r JOIN metatune_studies s ON s.id = r.study WHERE s.name = $1 ORDER BY r.seq', [study]);
		return rows.rows.map((r) => r.record);
	} finally {
		await client.end();
	}
}

/**
 * One server for a test file: started before its tests and stopped after them. `pgTest` runs a
 * test serially (they share the server), or skips it when the binaries are missing, with one
 * skipped test saying why.
 */
export function postgresForFile(test: TestFn) {
	const missing = postgresMissing();
	let server: PgServer | undefined;
	test.before(async () => {
		if (missing === undefined) server = await startPostgres();
	});
	test.after.always(() => server?.stop());
	if (missing !== undefined) test.skip(missing, () => undefined);
	return {
		pgTest: missing === undefined ? test.serial : test.skip,
		server: () => server as PgServer,
		url: () => (server as PgServer).url,
	};
}
