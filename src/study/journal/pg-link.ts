/**
 * One process's connection to the PostgreSQL server holding its study (pg-storage.ts): one client at
 * a time, replaced when it is lost. A lost connection (the server restarted, the network dropped,
 * the session was ended) is reconnected with backoff (0.1 s doubling to 2 s, jittered) and is told
 * once per outage through `warn`, not once per attempt. Each new connection first runs `onConnect`
 * (the heartbeat, so the process's lease is extended before anything else).
 *
 * The lease bounds an outage: once the server has not answered for longer than the lease (measured
 * on this machine's monotonic clock since the last answer) and an attempt to reconnect fails, the
 * other workers may have taken this process's trials over, so it gives up: `lost` is aborted with a
 * StorageError (exit 10) and every later call throws it. After a stall (the process was stopped)
 * one attempt is always made first, so a process that wakes to a reachable server goes on; its late
 * results are refused by their leases (session.ts).
 */
import type pg from 'pg';
import { errorMessage, MetatuneError, StorageError } from '../../core/errors.js';
import type { WarningSink } from './journal.js';
import { connect } from './pg-connect.js';

/** SQLSTATE classes and codes that mean the session is gone, not that a statement failed. */
function isConnectionError(error: unknown): boolean {
	if (error instanceof MetatuneError) return false; // this code's own refusal (a corrupted record read, a newer version): not the connection
	const code = (error as { code?: unknown }).code;
	if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code.startsWith('08') || code.startsWith('57P') || code === '53300' || code === '25P03';
	return true; // no SQLSTATE: the socket (reset, refused, timeout) or the client (terminated, not queryable)
}

export class PgLink {
	private client: pg.Client | undefined;
	private lastAnswer = performance.now();
	private outage = false;
	private gone: StorageError | undefined;
	private readonly lostController = new AbortController();
	/** aborted (reason: the StorageError) when the server stayed unreachable for longer than the lease */
	readonly lost: AbortSignal = this.lostController.signal;

	constructor(
		private readonly url: string,
		private readonly label: string,
		private readonly where: string,
		private readonly leaseSeconds: number,
		private readonly warn: WarningSink,
		first: pg.Client,
		private readonly onConnect: (client: pg.Client) => Promise<void>,
	) {
		this.client = first;
	}

	/** The connection as it is (undefined while lost), without reconnecting. */
	get current(): pg.Client | undefined {
		return this.gone === undefined ? this.client : undefined;
	}

	/** The server answered: the outage (if any) is over. */
	answered(): void {
		this.lastAnswer = performance.now();
		this.outage = false;
	}

	/**
	 * After a query failed: a lost connection is dropped (told once per outage) and `true` returned,
	 * to try again on a new one; any other error is the caller's (false).
	 */
	dropIfLost(client: pg.Client, error: unknown): boolean {
		if (!isConnectionError(error)) return false;
		if (this.client === client) this.client = undefined;
		void client.end().catch(() => undefined);
		if (!this.outage && this.gone === undefined) {
			this.outage = true;
			this.warn(`${this.where}: lost the connection (${errorMessage(error)}); reconnecting with backoff, for up to ${this.leaseSeconds} s (this worker's lease)`);
		}
		return true;
	}

	/** The current client, reconnecting first if it was lost; throws the StorageError once the lease is exceeded. */
	async connected(): Promise<pg.Client> {
		if (this.gone !== undefined) throw this.gone;
		if (this.client !== undefined) return this.client;
		for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
			let failure: unknown;
			try {
				const client = await connect(this.url, this.leaseSeconds);
				try {
					await this.onConnect(client);
				} catch (error) {
					void client.end().catch(() => undefined);
					throw error;
				}
				this.client = client;
				this.answered();
				return client;
			} catch (error) {
				failure = error;
			}
			const silentMs = performance.now() - this.lastAnswer;
			if (silentMs > this.leaseSeconds * 1000) throw this.giveUp(silentMs, failure);
			await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random() / 2)));
		}
	}

	private giveUp(silentMs: number, failure: unknown): StorageError {
		const why = errorMessage(failure)
			.replace(`${this.label}: `, '')
			.replace(/; nothing was written$/, '');
		this.gone = new StorageError(
			`${this.where}: no answer from the server for ${(silentMs / 1000).toFixed(1)} s, longer than this worker's lease (${this.leaseSeconds} s; last: ${why}): its lifetimes are stopped and other workers take them over; run the same command again once the server is reachable`,
			this.label,
		);
		this.lostController.abort(this.gone);
		return this.gone;
	}

	/** End the connection (if any). */
	async end(): Promise<void> {
		const client = this.client;
		this.client = undefined;
		await client?.end();
	}
}
