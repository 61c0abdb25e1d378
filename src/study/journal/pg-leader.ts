/**
 * Where the leader of a study's workers on one host listens (run/leader.ts), kept in PostgreSQL:
 *
 *   metatune_leaders (study, host, run, pid, socket), key (study, host)   one row per study and host:
 *                                                                         the leader's owner run and
 *                                                                         its Unix socket
 *
 * An entry counts only while its owner is alive by the owners' liveness (postgres.ts: its lease holds,
 * and its pid exists on this host): a killed leader's entry is ignored at once, a stalled one's once
 * its lease passes, and the next process to elect replaces it. The election is one transaction under
 * the study's row lock, so two processes cannot both become a host's leader. Readers never touch it.
 * The process that replaces the entry of a leader killed on this host removes the socket folder it
 * left behind.
 */
import { rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import type pg from 'pg';
import type { Owner } from './lock.js';
import { pidAlive } from './lock.js';
import type { LeaderEntry } from './storage.js';

/** How the folder of a leader's socket is named in the temp folder (run/leader.ts). */
export const socketFolderPrefix = 'metatune-leader-';

/** The table's definition (pg-connect.ts creates it with the others). */
export const leadersTable =
	'CREATE TABLE IF NOT EXISTS metatune_leaders (study bigint NOT NULL, host text NOT NULL, run text NOT NULL, pid integer NOT NULL, socket text NOT NULL, PRIMARY KEY (study, host))';

interface EntryRow {
	readonly run: string;
	readonly pid: number;
	readonly socket: string;
	readonly fresh: boolean | null;
}

/** Under study `id`'s row lock: this host's live leader, else `me` recorded as the leader at `socket`. */
export async function electLeader(client: pg.Client, id: string, me: Owner, socket: string): Promise<LeaderEntry> {
	const host = hostname();
	await client.query('BEGIN');
	try {
		await client.query('SELECT 1 FROM metatune_studies WHERE id = $1 FOR UPDATE', [id]);
		const rows = await client.query<EntryRow>(
			'SELECT l.run, l.pid, l.socket, o.expires > now() AS fresh FROM metatune_leaders l LEFT JOIN metatune_owners o ON o.study = l.study AND o.run = l.run WHERE l.study = $1 AND l.host = $2',
			[id, host],
		);
		const held = rows.rows[0];
		if (held !== undefined && held.run !== me.run && held.fresh === true && pidAlive(held.pid)) {
			await client.query('COMMIT');
			return { run: held.run, pid: held.pid, socket: held.socket };
		}
		if (held !== undefined && held.run !== me.run && !pidAlive(held.pid)) removeSocketFolder(held.socket);
		await client.query(
			'INSERT INTO metatune_leaders (study, host, run, pid, socket) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (study, host) DO UPDATE SET run = EXCLUDED.run, pid = EXCLUDED.pid, socket = EXCLUDED.socket',
			[id, host, me.run, me.pid, socket],
		);
		await client.query('COMMIT');
		return { run: me.run, pid: me.pid, socket };
	} catch (error) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw error;
	}
}

/**
 * The folder to remove for the socket a killed leader of this host left behind: run/leader.ts makes
 * one per run, directly in the temp folder; undefined for any other path an entry may hold.
 */
export function leftSocketFolder(socket: string): string | undefined {
	const folder = dirname(resolve(socket));
	return basename(folder).startsWith(socketFolderPrefix) && dirname(folder) === resolve(tmpdir()) ? folder : undefined;
}

function removeSocketFolder(socket: string): void {
	const folder = leftSocketFolder(socket);
	if (folder === undefined) return;
	try {
		rmSync(folder, { recursive: true, force: true });
	} catch {
		// another user's, or gone already
	}
}

/** Remove `me`'s leader entry of study `id` on this host (none when another process's is recorded). */
export async function resignLeader(client: pg.Client, id: string, me: Owner): Promise<void> {
	await client.query('DELETE FROM metatune_leaders WHERE study = $1 AND host = $2 AND run = $3', [id, hostname(), me.run]);
}
