/**
 * Who is alive: every process running a study keeps `results/<study>/owners/<run>.json` and touches
 * it every `heartbeatMs`; it deletes the file when it exits. A trial whose owner is gone is an
 * orphan and is taken over by another process (same params and seed).
 *
 * An owner counts as gone when its file is missing, when it is on this host and its pid no longer
 * exists (a SIGKILLed run is detected at once), or when its heartbeat is older than `staleMs`
 * (another machine on a shared disk that died).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { diskFull } from '../../core/errors.js';
import { pidAlive, type Owner } from './lock.js';

const heartbeatMs = 2_000;
const staleMs = 30_000;

export function newOwner(): Owner {
	return { host: hostname(), pid: process.pid, run: randomUUID().slice(0, 8) };
}

export class Presence {
	private timer: NodeJS.Timeout | undefined;
	private readonly file: string;
	private readonly cache = new Map<string, { alive: boolean; at: number }>();

	constructor(
		readonly dir: string,
		readonly me: Owner,
	) {
		this.file = join(dir, `${me.run}.json`);
	}

	/** Announce this process and start the heartbeat. */
	start(): void {
		try {
			mkdirSync(this.dir, { recursive: true });
			writeFileSync(this.file, `${JSON.stringify({ ...this.me, started: new Date().toISOString() })}\n`);
		} catch (error) {
			removeQuietly(this.file); // no empty or half-written presence file
			throw diskFull(error, this.file, 'announcing this process', 'nothing was run; free some space, then run the same command again') ?? error;
		}
		this.timer = setInterval(() => {
			try {
				const t = new Date();
				utimesSync(this.file, t, t);
			} catch {
				// removed (swept by a process that judged this one gone): announce again, if the folder is there
				try {
					writeFileSync(this.file, `${JSON.stringify({ ...this.me, started: new Date().toISOString() })}\n`);
				} catch {
					// folder removed; nothing to do
				}
			}
		}, heartbeatMs);
		this.timer.unref();
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		removeQuietly(this.file);
	}

	/** Whether `owner` is alive (cached for one heartbeat period). */
	alive(owner: Owner): boolean {
		if (owner.run === this.me.run) return true;
		const hit = this.cache.get(owner.run);
		const t = Date.now();
		if (hit && t - hit.at < heartbeatMs) return hit.alive;
		const alive = ownerAlive(this.dir, owner);
		this.cache.set(owner.run, { alive, at: t });
		return alive;
	}
}

function removeQuietly(file: string): void {
	try {
		unlinkSync(file);
	} catch {
		// already gone
	}
}

export function ownerAlive(dir: string, owner: Owner): boolean {
	const file = join(dir, `${owner.run}.json`);
	let mtimeMs: number;
	try {
		mtimeMs = statSync(file).mtimeMs;
		readFileSync(file, 'utf8');
	} catch {
		return false;
	}
	if (owner.host === hostname() && !pidAlive(owner.pid)) return false;
	return Date.now() - mtimeMs < staleMs;
}

/** A presence file of another host is removed only after this long without a heartbeat. */
const sweepRemoteMs = 60 * 60_000;

/**
 * Remove the presence files (`<run>.json`) and lock tickets (`<run>.lock`) of owners that are gone
 * for certain: a process of this host whose pid no longer exists (SIGKILLed, crashed), or one of
 * another host silent for an hour; and tickets older than a minute with no presence file. A killed
 * process cannot remove its own. Returns the runs removed.
 */
export function sweepGoneOwners(dir: string, me: Owner): string[] {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return [];
	}
	const here = hostname();
	const removed: string[] = [];
	const present = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)));
	for (const run of present) {
		if (run === me.run) continue;
		const file = join(dir, `${run}.json`);
		let o: Partial<Owner>;
		let mtimeMs: number;
		try {
			o = JSON.parse(readFileSync(file, 'utf8')) as Partial<Owner>;
			mtimeMs = statSync(file).mtimeMs;
		} catch {
			continue; // removed meanwhile, or being written
		}
		const gone = o.host === here ? typeof o.pid === 'number' && !pidAlive(o.pid) : Date.now() - mtimeMs > sweepRemoteMs;
		if (!gone) continue;
		removeQuietly(file);
		removeQuietly(join(dir, `${run}.lock`));
		removed.push(run);
	}
	for (const name of names) {
		if (!name.endsWith('.lock')) continue;
		const run = name.slice(0, -'.lock'.length);
		if (run === me.run || present.has(run)) continue;
		try {
			if (Date.now() - statSync(join(dir, name)).mtimeMs < 60_000) continue; // its owner may be closing
		} catch {
			continue;
		}
		removeQuietly(join(dir, name));
		removed.push(run);
	}
	return removed;
}

/** A presence file's content: the owner and when it started. */
export interface Presenter extends Owner {
	readonly started?: string;
}

/** The live owners announced in `dir` other than `me` (any other run, also one of this process). */
export function liveOwners(dir: string, me: Owner): Presenter[] {
	let names: string[];
	try {
		names = readdirSync(dir);
	} catch {
		return [];
	}
	const out: Presenter[] = [];
	for (const name of names) {
		if (!name.endsWith('.json')) continue;
		let o: Partial<Presenter>;
		try {
			o = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Partial<Presenter>;
		} catch {
			continue; // removed meanwhile, or half written
		}
		if (typeof o.host !== 'string' || typeof o.pid !== 'number' || typeof o.run !== 'string' || o.run === me.run) continue;
		const owner: Presenter = { host: o.host, pid: o.pid, run: o.run, ...(typeof o.started === 'string' ? { started: o.started } : {}) };
		if (ownerAlive(dir, owner)) out.push(owner);
	}
	return out;
}
