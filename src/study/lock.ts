/**
 * A short exclusive lock between processes (and machines on a shared disk) on one study's journal:
 * a lock file created with O_EXCL holding `{host, pid, run, at}`. It is held only around
 * "read the journal tail, decide, append", so waits are short; a waiter polls every ~2 ms.
 *
 * Stale locks (the holder died while holding it): on the same host, the holder's pid no longer
 * exists; on any host, the lock is older than `staleMs` (it is never legitimately held that long).
 * A stale lock is broken by renaming it aside (only one breaker can win the rename) and checking that
 * what was renamed is the stale content that was read; if a fresh lock was caught instead it is put
 * back with link() (which never overwrites).
 *
 * Within one process, callers are serialised by a promise chain, so lanes never spin on their own lock.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { LockError } from '../errors.js';
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
}

/** Whether a pid exists on this host (EPERM means it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class FileLock {
	private chain: Promise<unknown> = Promise.resolve();
	private readonly content: string;
	private readonly timeoutMs: number;
	private readonly staleMs: number;
	private readonly profile: Profile | undefined;

	constructor(
		readonly path: string,
		readonly owner: Owner,
		options: LockOptions = {},
	) {
		this.content = JSON.stringify(owner);
		this.timeoutMs = options.timeoutMs ?? 60_000;
		this.staleMs = options.staleMs ?? 15_000;
		this.profile = options.profile;
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

	private tryCreate(): boolean {
		try {
			const fd = openSync(this.path, 'wx');
			try {
				writeSync(fd, `${this.content}\n`);
			} finally {
				closeSync(fd);
			}
			return true;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
			throw error;
		}
	}

	private async acquire(): Promise<void> {
		const started = Date.now();
		for (let attempt = 0; ; attempt++) {
			if (this.tryCreate()) return;
			if (attempt % 25 === 24) this.breakIfStale();
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

	/** Break the lock if its holder is dead (same host) or it is older than staleMs. */
	private breakIfStale(): void {
		let text: string;
		let mtimeMs: number;
		try {
			text = readFileSync(this.path, 'utf8');
			mtimeMs = statSync(this.path).mtimeMs;
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
		const old = Date.now() - mtimeMs > this.staleMs;
		if (!deadHere && !old) return;
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
