/**
 * Following studies in a PostgreSQL database: one connection that LISTENs on the channel every
 * record write NOTIFYs at commit (postgres.ts `recordsChannel`, payload: the study id). A
 * notification reads only the rows after the last one read (`seq >= next`) and applies them to the
 * study (live-study.ts). Every `pollMs` the same read runs anyway, as a fallback for writes made by
 * an older metatune (no NOTIFY) and to refresh the owners' liveness (heartbeats send none).
 *
 *   id        the study's row in metatune_studies, looked up by name: a new id for the same name is
 *             a study started over (`run --fresh` renamed the old one to `<name>/archive/<time>`):
 *             read again from seq 0; no row is a study gone (a standing warning until it is back)
 *   next      the seq of the next row to read (seqs are dense: 0, 1, 2, ...)
 *   outage    the connection was lost (the server stopped, the network dropped): one line on the
 *             terminal and a standing warning on every page; the page keeps what was read, and the
 *             connection is retried every `retryMs` and read again from `next` once it is back
 *
 * The server only reads (SELECT, LISTEN): it never writes to a study.
 */
import type pg from 'pg';
import { errorMessage, InputError, MetatuneError } from '../core/errors.js';
import { connect } from '../study/journal/pg-connect.js';
import { readLiveness, readRecords, recordsChannel, type SkipCorrupted } from '../study/journal/postgres.js';
import { urlLabel } from '../study/journal/url-label.js';
import type { LiveStudy } from './live-study.js';

interface Followed {
	readonly study: LiveStudy;
	readonly name: string;
	id: string | undefined;
	/** the id it had before its row went missing: `--fresh` archives it before it creates the new row, so a read between the two sees no row */
	goneId: string | undefined;
	next: number;
}

export class PgTail {
	private client: pg.Client | undefined;
	private readonly followed = new Map<string, Followed>();
	private chain: Promise<unknown> = Promise.resolve();
	private timer: NodeJS.Timeout | undefined;
	private retry: NodeJS.Timeout | undefined;
	private down = false;
	private closed = false;
	readonly label: string;

	constructor(
		private readonly url: string,
		/** called after records were applied to a study or it was reset */
		private readonly changed: (study: LiveStudy) => void,
		/** a study appeared in the database (serving every study: the list follows it) */
		private readonly appeared: ((name: string) => void) | undefined,
		private readonly pollMs = 5_000,
		private readonly retryMs = 2_000,
	) {
		this.label = urlLabel(url);
	}

	/** Connect and LISTEN; a database that cannot be reached now is an error (one line: postgres.ts `connect`). */
	async start(): Promise<void> {
		await this.open();
		this.timer = setInterval(() => void this.refreshAll(), this.pollMs);
		this.timer.unref();
	}

	/** Every study in the database (not the archived ones), by name. */
	names(): Promise<string[]> {
		return this.serial(async (c) => {
			const ok = await c.query(`SELECT to_regclass('metatune_studies') IS NOT NULL AS ok`);
			if (ok.rows[0]?.ok !== true) return [];
			return (await c.query<{ name: string }>(`SELECT name FROM metatune_studies WHERE name NOT LIKE '%/archive/%' ORDER BY name`)).rows.map((r) => r.name);
		});
	}

	/** Follow study `name`: read it whole now. `mustExist`: a study named on the command line that is not there is an InputError. */
	async follow(name: string, study: LiveStudy, mustExist: boolean): Promise<void> {
		const f: Followed = { study, name, id: undefined, goneId: undefined, next: 0 };
		this.followed.set(name, f);
		await this.refresh(f);
		if (mustExist && f.id === undefined) {
			this.followed.delete(name);
			throw new InputError(`${name}: no study of that name in ${this.label}; run it with --storage first`, name);
		}
	}

	async close(): Promise<void> {
		this.closed = true;
		if (this.timer !== undefined) clearInterval(this.timer);
		if (this.retry !== undefined) clearTimeout(this.retry);
		const c = this.client;
		this.client = undefined;
		await c?.end().catch(() => undefined);
	}

	private async open(): Promise<void> {
		const c = await connect(this.url);
		c.on('notification', (m) => this.notified(m.payload));
		c.on('error', (e) => this.lost(c, e));
		c.on('end', () => this.lost(c, new Error('the connection was closed')));
		await c.query(`LISTEN ${recordsChannel}`);
		this.client = c;
	}

	/** One query sequence at a time on the one connection. */
	private serial<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
		const run = this.chain.then(() => {
			const c = this.client;
			if (c === undefined) throw new Error('not connected');
			return fn(c);
		});
		this.chain = run.catch(() => undefined);
		return run;
	}

	private notified(payload: string | undefined): void {
		const hit = [...this.followed.values()].filter((f) => f.id !== undefined && f.id === payload);
		// an id not followed: a study created, or re-created after `--fresh`
		for (const f of hit.length > 0 ? hit : this.followed.values()) void this.refresh(f).catch(() => undefined);
		if (hit.length === 0 && this.appeared !== undefined) void this.discover();
	}

	private async discover(): Promise<void> {
		const appeared = this.appeared;
		if (appeared === undefined) return;
		for (const name of await this.names().catch(() => [] as string[])) if (!this.followed.has(name)) appeared(name);
	}

	private async refreshAll(): Promise<void> {
		if (this.down || this.closed) return;
		for (const f of this.followed.values()) await this.refresh(f).catch(() => undefined);
		await this.discover();
	}

	/** Read study `f` from `next` on (from 0 when its id changed); owners' liveness with it. */
	private refresh(f: Followed): Promise<void> {
		return this.serial(async (c) => {
			const { study } = f;
			const where = `${this.label} (study ${f.name})`;
			const tables = await c.query(`SELECT to_regclass('metatune_studies') IS NOT NULL AS ok`);
			const row = tables.rows[0]?.ok === true ? await c.query<{ id: string }>('SELECT id FROM metatune_studies WHERE name = $1', [f.name]) : undefined;
			const id = row?.rows[0]?.id;
			if (id === undefined) {
				if (f.id !== undefined) {
					f.goneId = f.id;
					f.id = undefined;
					f.next = 0;
					study.reset();
					study.setProblem('gone', `${where}: the study is gone (removed from the database); waiting for it to come back`);
					this.changed(study);
				}
				return;
			}
			if (id !== f.id) {
				if (f.id !== undefined || (f.goneId !== undefined && f.goneId !== id)) {
					study.reset();
					study.warn(`${where}: the study was started over (run --fresh archived the old one); showing the new one from its start`);
				}
				f.id = id;
				f.goneId = undefined;
				f.next = 0;
				study.setProblem('gone', undefined);
			}
			const before = study.version;
			const skip: SkipCorrupted = { warn: (m) => study.warn(m), corrupted: [] };
			try {
				const records = await readRecords(c, where, id, f.next, skip);
				f.next += records.length + skip.corrupted.length;
				study.apply(records);
			} catch (error) {
				if (!(error instanceof MetatuneError)) throw error;
				study.setProblem('unreadable', error.message); // a study record of another format version
			}
			study.alive = await readLiveness(c, id);
			if (study.version !== before) this.changed(study);
		});
	}

	/** The connection is gone: say so once, keep what was read, and try again every `retryMs`. */
	private lost(c: pg.Client, error: unknown): void {
		if (this.closed || (this.client !== c && this.client !== undefined)) return;
		this.client = undefined;
		void c.end().catch(() => undefined);
		if (!this.down) {
			this.down = true;
			const message = `${this.label}: the database is unreachable (${errorMessage(error)}); showing what was read before, retrying every ${this.retryMs / 1000} s`;
			for (const f of this.followed.values()) {
				f.study.setProblem('unreachable', message);
				this.changed(f.study);
			}
		}
		this.retry = setTimeout(() => void this.reconnect(), this.retryMs);
		this.retry.unref();
	}

	private async reconnect(): Promise<void> {
		if (this.closed) return;
		try {
			await this.open();
		} catch {
			this.retry = setTimeout(() => void this.reconnect(), this.retryMs);
			this.retry.unref();
			return;
		}
		this.down = false;
		for (const f of this.followed.values()) {
			f.study.setProblem('unreachable', undefined);
			this.changed(f.study);
		}
		await this.refreshAll();
	}
}
