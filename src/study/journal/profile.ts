/**
 * An optional, opt-in time split of the study's journal work, for `metatune bench runner`. When a
 * Study is opened with `profile`, the lock, journal and scheduler add the wall time of each part
 * here; without it they take no timings at all.
 *
 * Parts (milliseconds, summed over every call)
 *   ask      deciding the next lifetime under the lock (scheduler + searcher.ask)
 *   append   writing records to the journal (write(2))
 *   fsync    making complete/failed/study records durable (fdatasync(2)), waited for
 *   lock     acquiring and releasing the study lock file (including waiting for it)
 *   replay   reading new journal bytes and applying them to the in-memory state
 */
import { performance } from 'node:perf_hooks';

export const profileParts = ['ask', 'append', 'fsync', 'lock', 'replay'] as const;
export type ProfilePart = (typeof profileParts)[number];

export class Profile {
	readonly ms: Record<ProfilePart, number> = { ask: 0, append: 0, fsync: 0, lock: 0, replay: 0 };
	readonly calls: Record<ProfilePart, number> = { ask: 0, append: 0, fsync: 0, lock: 0, replay: 0 };

	/** Add the time since `started` (a `performance.now()` reading) to `part`. */
	add(part: ProfilePart, started: number): void {
		this.ms[part] += performance.now() - started;
		this.calls[part]++;
	}

	reset(): void {
		for (const p of profileParts) {
			this.ms[p] = 0;
			this.calls[p] = 0;
		}
	}
}

/** `performance.now()` when profiling, else 0 (no clock read). */
export const clock = (profile: Profile | undefined): number => (profile === undefined ? 0 : performance.now());
