/**
 * The process groups of the programs command objectives run (command.ts), per thread. Each program
 * leads its own group (spawned detached), so the terminal's Ctrl-C, which goes to the runner's
 * group, never reaches it: the runner alone stops a program, by signalling its whole group (the
 * program and whatever it started). Being detached, a program no longer dies with the terminal or
 * the runner either, so whatever group is still alive when this process exits is killed then
 * (SIGKILL, from a process `exit` handler: the last resort after the run's own stops).
 *
 * A worker thread's groups are not its process's to outlive: the worker forwards its group events
 * (`forwardGroups`) to the pool, which tracks them here in the main thread (worker.ts, pool.ts).
 */

/** A program group started (with the seconds between its SIGTERM and SIGKILL) or ended. */
export type GroupEvent = { readonly type: 'started'; readonly pid: number; readonly graceMs: number } | { readonly type: 'ended'; readonly pid: number };

/** live group leaders' pids -> their grace period */
const live = new Map<number, number>();
let forward: ((event: GroupEvent) => void) | undefined;
const emptied: (() => void)[] = [];
let exitHook = false;

/** Send `signal` to every process of group `pid`; false when the group is gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

/** Kill every group still tracked (the process is exiting, or the run must leave nothing behind). */
function killLiveGroups(): void {
	for (const pid of live.keys()) signalGroup(pid, 'SIGKILL');
	live.clear();
}

/** Note a started group (command.ts in this thread, or pool.ts for a worker's). */
export function trackGroup(pid: number, graceMs: number): void {
	live.set(pid, graceMs);
	forward?.({ type: 'started', pid, graceMs });
	if (!exitHook) {
		exitHook = true;
		process.on('exit', killLiveGroups);
	}
}

/** Note that group `pid`'s program has ended (its leader exited and its output closed). */
export function untrackGroup(pid: number): void {
	if (!live.delete(pid)) return;
	forward?.({ type: 'ended', pid });
	if (live.size > 0) return;
	for (const resolve of emptied.splice(0)) resolve();
}

/** Resolves once no group of this thread is alive. */
export function noGroupsLeft(): Promise<void> {
	return live.size === 0 ? Promise.resolve() : new Promise((resolve) => emptied.push(resolve));
}

/** Send every later group event of this thread to `listener` too (a worker thread to its pool). */
export function forwardGroups(listener: (event: GroupEvent) => void): void {
	forward = listener;
}
