/**
 * The trials a Study (session.ts) holds: those it started (a lane or `ask`) and has not yet ended or
 * released, each with the take of its lease (journal/records.ts). They are claimed under the lock in the
 * same step that stages their `running` record, so no other lane of this process starts them again;
 * the scheduler restarts this run's own unclaimed `running` trials (aborted lifetimes). An end is
 * recorded only under the lease it ran with; a batch the storage could not write is run again on a
 * replayed state, and the claims start over from their snapshot too (writer.ts).
 */
import type { Lease } from './journal/journal.js';
import type { Owner } from './journal/lock.js';
import type { TrialState } from './journal/state.js';

export class TrialClaims {
	/** the claimed trials (what the scheduler counts as in flight in this process) */
	readonly trials = new Set<number>();
	/** the take of each claimed trial's lease: its end is recorded only while that lease is current */
	private readonly takes = new Map<number, number>();

	/** Claim `trial`, run as take `take` (its `running` records so far, the one just staged included). */
	claim(trial: number, take: number): void {
		this.trials.add(trial);
		this.takes.set(trial, take);
	}

	/** Drop the claim and lease of `trial`. */
	release(trial: number): void {
		this.trials.delete(trial);
		this.takes.delete(trial);
	}

	/** Under the lock: why `me` may not end trial `t`, or undefined when it may (`leaseRefusal`). */
	refusal(t: TrialState, me: Owner): string | undefined {
		return leaseRefusal(t, me, this.takes.get(t.asked.trial));
	}

	/** The lease under which run `run` holds trial `trial` (undefined when it holds none). */
	lease(trial: number, run: string): Lease | undefined {
		const take = this.takes.get(trial);
		return take === undefined ? undefined : { run, take };
	}

	/** Save the claims and their takes; the returned function puts them back. */
	snapshot(): () => void {
		return snapshotClaims(this.trials, this.takes);
	}
}

/**
 * Under the lock: why `me` may not end trial `t` that it runs as take `take` (the lease passed to
 * another run of the trial, or the trial ended meanwhile), or undefined when it may. Without a take
 * (a trial told without being asked here) it may, as before leases.
 */
function leaseRefusal(t: TrialState, me: Owner, take: number | undefined): string | undefined {
	if (take === undefined) return undefined;
	if (t.owner.run !== me.run || t.takes !== take) return `its lease passed to pid ${t.owner.pid} on host ${t.owner.host} (run ${t.owner.run}), which runs it again`;
	if (t.phase === 'complete' || t.phase === 'failed') return 'it has ended already';
	return undefined;
}

/** Save the claimed trials and their takes; the returned function puts them back. */
function snapshotClaims(claimed: Set<number>, takes: Map<number, number>): () => void {
	const savedClaims = [...claimed];
	const savedTakes = [...takes];
	return () => {
		claimed.clear();
		for (const n of savedClaims) claimed.add(n);
		takes.clear();
		for (const [n, take] of savedTakes) takes.set(n, take);
	};
}
