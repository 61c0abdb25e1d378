/**
 * CPU time of this process's threads other than the main one that existed before a measurement
 * (Linux: /proc/self/task/<tid>/schedstat, on-CPU nanoseconds per thread). With worker threads
 * started after the first snapshot and gone by the second (a study's pool), what remains is V8's and
 * Node's own helper threads: garbage-collection helpers, concurrent compilation (TurboFan, wasm
 * tier-up) for every isolate of the process, libuv's pool. At 1 lane their work runs on a core the
 * lane leaves free; at c lanes on c cores it competes with the lanes, so it is what the parallel
 * benchmark prints beside the walls. Undefined where /proc is not there (macOS, Windows).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** On-CPU ms of each live thread of this process, by thread id; undefined without /proc. */
export function threadCpuMs(): Map<string, number> | undefined {
	let tids: string[];
	try {
		tids = readdirSync('/proc/self/task');
	} catch {
		return undefined;
	}
	const cpu = new Map<string, number>();
	for (const tid of tids) {
		try {
			cpu.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
		} catch {
			// the thread ended between the listing and the read
		}
	}
	return cpu;
}

/** CPU ms since `before` of the threads in `before` other than the main thread (whose tid is the pid). */
export function helperThreadsMs(before: Map<string, number> | undefined, after: Map<string, number> | undefined): number | undefined {
	if (before === undefined || after === undefined) return undefined;
	const main = String(process.pid);
	let ms = 0;
	for (const [tid, at] of before) if (tid !== main) ms += (after.get(tid) ?? at) - at;
	return ms;
}
