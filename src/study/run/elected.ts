/**
 * A run whose workers on this host share one deciding process (runStudy `electLeader`): listen on a
 * socket of this run's own, then elect (storage.ts `elect`, one leader per study and host). Made the
 * leader: run the study's lanes, followers' lanes added as they connect (leader.ts). Else follow the
 * leader (follower.ts) until it says done; a leader that is gone before the study is done makes this
 * process elect again (so one of the followers becomes the next leader). A leader this process cannot
 * reach, or the same leader found again (stalled but alive by its lease, or stopping gracefully and
 * not yet resigned), makes it run as an ordinary worker: correct with or without a leader, since the storage's lock orders
 * every decision.
 */
import type { Evaluate, FailureNote, Lanes, Tally } from './lane.js';
import { follow } from './follower.js';
import { LeaderServer } from './leader.js';

export async function runElected(lanes: Lanes, concurrency: number, evaluateFor: (abort: AbortSignal) => Evaluate, runOwn: () => Promise<void>): Promise<void> {
	const { study, control } = lanes;
	let lastLeader: string | undefined;
	for (;;) {
		if (control.stopping) return;
		const server = await LeaderServer.listen(lanes, study.leaseSeconds);
		const entry = await study.elect(server.socket).catch(async (error: unknown) => {
			await server.close();
			throw error;
		});
		if (entry.run === study.me.run) {
			try {
				await runOwn();
			} finally {
				await server.close();
				await study.resign().catch(() => undefined); // an entry left behind is ignored once this process is gone
			}
			return;
		}
		await server.close();
		if (control.stopping) return; // stopped while electing
		if (entry.run === lastLeader) break;
		lastLeader = entry.run;
		const followed = await follow({ socket: entry.socket, lanes: concurrency, me: study.me, leaseSeconds: study.leaseSeconds, control, evaluateFor });
		if (followed.kind === 'unreachable') break;
		if (followed.kind === 'done') {
			count(lanes.tally, followed.done);
			if (followed.done.studyDone) {
				lanes.tally.done = true;
				return;
			}
		}
	}
	await runOwn();
}

/** Add what a leader counted for this follower's lifetimes to this run's tally. */
function count(tally: Tally, done: { readonly completed: number; readonly failed: number; readonly refused: number; readonly firstFailure?: FailureNote }): void {
	tally.completed += done.completed;
	tally.failed += done.failed;
	tally.refused += done.refused;
	const first = done.firstFailure;
	if (first !== undefined && (tally.firstFailure === undefined || first.trial < tally.firstFailure.trial)) tally.firstFailure = first;
}
