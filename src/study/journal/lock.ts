/**
 * A short exclusive lock between processes (and machines on a shared disk) on one study's journal:
 * the lock file exists while someone holds it and holds the holder's `{host, pid, run}`. It is held
 * only around "read the journal tail, decide, append, fsync", so waits are short; a waiter polls
 * every ~2 ms.
 *
 * Taking it: each FileLock writes its content once to its own ticket file, and acquiring is
 * link(ticket, lock), atomic and failing with EEXIST when held (also over NFS), so a lock hold costs
 * two metadata operations (link, unlink) instead of four (create, write, close, unlink). Where hard
 * links are not supported the lock file is created with O_EXCL and written instead. `dispose`
 * removes the ticket (a killed process leaves it behind, like its presence file).
 *
 * Stale locks (the holder died while holding it): on the same host, the holder's pid no longer
 * exists; on any host, the lock is older than `staleMs` by its ctime (set when it was linked or
 * created; it is never legitimately held that long), or older than 1 s when `notRunning` says its
 * holder is not running this study (a live but unrelated pid, e.g. a reused one). A wait longer than
 * 1 s is reported once through `warn`, naming the holder. A stale lock is broken by renaming it aside
 * (only one breaker can win the rename) and checking that what was renamed is the stale content
 * that was read; if a fresh lock was caught instead it is put back with link() (which never
 * overwrites).
 *
 * Within one process, callers are serialised by a promise chain, so lanes never spin on their own lock.
 */
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { diskFull, LockError } from '../../core/errors.js';
import { clock, type Profile } from './profile.js';

export interface Owner {
	readonly host: string;
	readonly pid: number;
	/** unique per process run */
	readonly run: string;
}

export interface LockOptions {
	/** give up after this long (LockError) */
	readonly timeoutMs?: number;
	/** a lock older than this is considered abandoned */
	readonly staleMs?: number;
	/** add acquire/release times to this profile's `lock` part */
	readonly profile?: Profile;
	/** this owner's ticket file (default `<lock>.<run>`); `false`: always create the lock file with O_EXCL */
	readonly ticket?: string | false;
	/**
	 * Whether a lock holder is known not to be running this study (e.g. it announced no presence
	 * file): such a lock is broken as abandoned after `unrelatedMs` instead of `staleMs`.
	 */
	readonly notRunning?: (holder: Partial<Owner>) => boolean;
	/** told once when a wait for the lock passes `unrelatedMs`: who holds it and what will happen */
	readonly warn?: (message: string) => void;
}

/** A hold this long is never legitimate (holds last milliseconds); waiters say so and judge the holder. */
const unrelatedMs = 1_000;

/** link(2) errors meaning "this file system has no hard links": fall back to O_EXCL creation. */
const noLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);

/**
 * Whether a pid is a live process on this host (EPERM means it exists but belongs to someone else).
 * A zombie (exited, not yet reaped by its parent: a process SIGKILLed a moment ago) is not: where
 * /proc says so (Linux), its state is read; elsewhere a zombie counts as alive until reaped.
 */
export function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
	}
	return !zombie(pid);
}

/** Whether /proc says `pid` has exited and waits to be reaped (state Z); false when /proc cannot tell. */
function zombie(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
		return stat.charAt(stat.lastIndexOf(')') + 2) === 'Z';
	} catch {
		return false;
	}
}

const lockNext = 'nothing was written to the journal; free some space, then run the same command again';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class FileLock {
	private chain: Promise<unknown> = Promise.resolve();
	private readonly content: string;
	private readonly timeoutMs: number;
	private readonly staleMs: number;
	private readonly profile: Profile | undefined;
	private ticket: string | undefined;
	private ticketWritten = false;
	private readonly notRunning: ((holder: Partial<Owner>) => boolean) | undefined;
	private readonly warn: ((message: string) => void) | undefined;

	constructor(
		readonly path: string,
		readonly owner: Owner,
		options: LockOptions = {},
	) {
		this.content = JSON.stringify(owner);
		this.timeoutMs = options.timeoutMs ?? 60_000;
		this.staleMs = options.staleMs ?? 15_000;
		this.profile = options.profile;
		this.notRunning = options.notRunning;
		this.warn = options.warn;
		this.ticket = options.ticket === false ? undefined : (options.ticket ?? `${path}.${owner.run}`);
	}

	/** Remove this owner's ticket file (the lock itself is released by `withLock`). */
	dispose(): void {
		if (this.ticket === undefined || !this.ticketWritten) return;
		this.ticketWritten = false;
		try {
			unlinkSync(this.ticket);
		} catch {
			// already gone
		}
	}

	/** Run `fn` while holding the lock (serialised with other callers in this process). */
	async withLock<T>(fn: () => T | Promise<T>): Promise<T> {
		const run = this.chain.then(async () => {
			const t0 = clock(this.profile);
			await this.acquire();
			this.profile?.add('lock', t0);
			try {
				return await fn();
			} finally {
				const t1 = clock(this.profile);
				this.release();
				this.profile?.add('lock', t1);
			}
		});
		this.chain = run.catch(() => undefined);
		return run;
	}

	/** One attempt: true when the lock is ours. */
	private tryCreate(): boolean {
		if (this.ticket !== undefined) {
			const linked = this.tryLink(this.ticket);
			if (linked !== undefined) return linked;
		}
		try {
			const fd = openSync(this.path, 'wx');
			try {
				writeSync(fd, `${this.content}\n`);
			} catch (error) {
				closeSync(fd);
				this.release(); // an empty lock file would look held until it went stale
				throw diskFull(error, this.path, 'taking the study lock', lockNext) ?? error;
			}
			closeSync(fd);
			return true;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
			throw error;
		}
	}

	/** link(ticket, lock): true (ours), false (held), undefined (no hard links here: use O_EXCL from now on). */
	private tryLink(ticket: string): boolean | undefined {
		for (let retry = 0; ; retry++) {
			try {
				if (!this.ticketWritten) {
					try {
						mkdirSync(dirname(ticket), { recursive: true });
						writeFileSync(ticket, `${this.content}\n`);
					} catch (error) {
						this.ticketWritten = true;
						this.dispose(); // no empty or half-written ticket
						throw diskFull(error, ticket, 'taking the study lock', lockNext) ?? error;
					}
					this.ticketWritten = true;
				}
				linkSync(ticket, this.path);
				return true;
			} catch (error) {
				const code = (error as NodeJS.ErrnoException).code ?? '';
				if (code === 'EEXIST') return false;
				if (code === 'ENOENT' && retry === 0) {
					this.ticketWritten = false; // the ticket was removed: write it again
					continue;
				}
				if (noLinks.has(code)) {
					this.dispose();
					this.ticket = undefined;
					return undefined;
				}
				throw error;
			}
		}
	}

	private async acquire(): Promise<void> {
		const started = Date.now();
		let told = false;
		for (let attempt = 0; ; attempt++) {
			if (this.tryCreate()) return;
			if (attempt % 25 === 24) {
				const waited = Date.now() - started;
				if (!told && waited > unrelatedMs) {
					told = true;
					this.tellWaiting();
				}
				this.breakIfStale(waited > unrelatedMs);
			}
			if (Date.now() - started > this.timeoutMs) {
				throw new LockError(`${this.path}: locked by ${this.describeHolder()} for more than ${Math.round(this.timeoutMs / 1000)} s; if that process is gone, delete the lock file`, this.path);
			}
			await sleep(attempt < 10 ? 1 : 2 + (attempt % 3));
		}
	}

	private release(): void {
		try {
			unlinkSync(this.path);
		} catch {
			// already broken by another process as stale; nothing to do
		}
	}

	private describeHolder(): string {
		try {
			return readFileSync(this.path, 'utf8').trim();
		} catch {
			return 'another process';
		}
	}

	/** Say, once per wait, who holds the lock and what happens next. */
	private tellWaiting(): void {
		if (this.warn === undefined) return;
		let holder: Partial<Owner> = {};
		try {
			holder = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<Owner>;
		} catch {
			// gone or half written: judged by age
		}
		const who = typeof holder.pid === 'number' ? `pid ${holder.pid} on host ${holder.host ?? '?'}` : 'an unreadable lock file';
		if (this.notRunning?.(holder) === true) this.warn(`${this.path}: the study lock names ${who}, which is not running this study (no presence file); breaking it as abandoned`);
		else this.warn(`${this.path}: waiting for the study lock, held by ${who}; a lock older than ${Math.round(this.staleMs / 1000)} s is broken as abandoned`);
	}

	/**
	 * Break the lock if its holder is dead (same host), it is older than staleMs, or (`judgeHolder`,
	 * after a wait of `unrelatedMs`) `notRunning` says its holder does not run this study.
	 */
	private breakIfStale(judgeHolder = false): void {
		let text: string;
		let ctimeMs: number;
		try {
			text = readFileSync(this.path, 'utf8');
			ctimeMs = statSync(this.path).ctimeMs;
		} catch {
			return;
		}
		let holder: Partial<Owner> = {};
		try {
			holder = JSON.parse(text) as Partial<Owner>;
		} catch {
			// half-written lock file: judge by age only
		}
		const deadHere = holder.host === hostname() && typeof holder.pid === 'number' && !pidAlive(holder.pid);
		const old = Date.now() - ctimeMs > this.staleMs;
		const unrelated = judgeHolder && Date.now() - ctimeMs > unrelatedMs && this.notRunning?.(holder) === true;
		if (!deadHere && !old && !unrelated) return;
		const aside = `${this.path}.stale-${this.owner.run}`;
		try {
			renameSync(this.path, aside);
		} catch {
			return;
		}
		let caught = '';
		try {
			caught = readFileSync(aside, 'utf8');
		} catch {
			// gone
		}
		if (caught !== text) {
			try {
				linkSync(aside, this.path);
			} catch {
				// someone else holds it now; the displaced holder will notice nothing (rare double fault)
			}
		}
		try {
			unlinkSync(aside);
		} catch {
			// ignore
		}
	}
}
