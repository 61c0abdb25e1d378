/**
 * The machine's own ceiling for parallel work: how much faster c threads finish c copies of a
 * fixed loop than one thread finishes one, when the loop shares nothing in software (no memory
 * beyond a few registers' worth, no locks, no messages while it runs, no allocation).
 *
 * Notation
 *   loop        a fixed number of iterations of an integer and floating-point recurrence whose
 *               state stays in registers (`loopSource`); every thread runs the same work
 *   t_1         the wall ms of one thread running the loop alone (measured inside the thread)
 *   t_c         the slowest of c threads running the loop at the same moment
 *   ceiling     c t_1 / t_c of one alternated pair, summarised as the median [min, max] over pairs
 *
 * On c free cores that share nothing the ceiling is c. Below c, the cores slow one another down
 * whatever runs on them (a virtual machine's vCPUs sharing a physical core or its clock budget,
 * say): a workload that shares caches, memory or a lock as well can at best reach it. `bench
 * parallel` prints it beside its own speedups; on a host whose speed varies from second to second
 * a pair of one-second loops varies too, hence the median over several pairs.
 */
import { Worker } from 'node:worker_threads';
import { median } from 'simple-statistics';

/** The loop each thread runs: `iterations` steps of an LCG and a damped float recurrence; returns its wall ms. */
const loopSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
function loop(iterations) {
	let x = 1, y = 0.5;
	for (let i = 0; i < iterations; i++) {
		x = (Math.imul(x, 1664525) + 1013904223) | 0;
		y = y * 0.999999 + (x & 1023) * 1e-9;
	}
	return x + y;
}
loop(workerData.iterations / 100);
parentPort.on('message', () => {
	const t0 = performance.now();
	const sink = loop(workerData.iterations);
	parentPort.postMessage({ ms: performance.now() - t0, sink });
});
parentPort.postMessage({ ready: true });
`;

interface LoopThread {
	readonly worker: Worker;
	run(): Promise<number>;
}

/** The worker's next message, or its error (or exit) as a rejection; no listener is left behind. */
function nextMessage<T>(worker: Worker): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const done = () => {
			worker.off('message', onMessage);
			worker.off('error', onError);
			worker.off('exit', onExit);
		};
		const onMessage = (m: T) => {
			done();
			resolve(m);
		};
		const onError = (e: Error) => {
			done();
			reject(e);
		};
		const onExit = (code: number) => {
			done();
			reject(new Error(`the ceiling's loop thread exited (code ${code})`));
		};
		worker.on('message', onMessage);
		worker.on('error', onError);
		worker.on('exit', onExit);
	});
}

async function startThread(iterations: number): Promise<LoopThread> {
	const worker = new Worker(loopSource, { eval: true, workerData: { iterations } });
	try {
		await nextMessage(worker);
	} catch (e) {
		await worker.terminate();
		throw e;
	}
	return {
		worker,
		run: () => {
			const answer = nextMessage<{ ms: number }>(worker);
			worker.postMessage('go');
			return answer.then((m) => m.ms);
		},
	};
}

export interface CoreCeiling {
	readonly concurrency: number;
	/** t_1 and t_c of each alternated pair, in ms */
	readonly pairs: readonly { readonly alone: number; readonly together: number }[];
	/** c t_1 / t_c per alternated pair */
	readonly ratios: readonly number[];
	/** median wall ms of one thread alone */
	readonly aloneMs: number;
	/** median wall ms of the slowest of c threads at once */
	readonly togetherMs: number;
}

/** Runs `pairs` alternated pairs (one thread alone, then c at once) of a loop of `iterations` steps. */
export async function measureCoreCeiling(concurrency: number, pairs: number, iterations: number): Promise<CoreCeiling> {
	// every thread started or none: one that fails to start does not leave the others running
	const started = await Promise.allSettled(Array.from({ length: concurrency }, () => startThread(iterations)));
	const threads = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
	const failed = started.find((s) => s.status === 'rejected');
	if (failed !== undefined) {
		await Promise.all(threads.map((t) => t.worker.terminate()));
		throw failed.reason;
	}
	try {
		const alone: number[] = [];
		const together: number[] = [];
		for (let p = 0; p < pairs; p++) {
			alone.push(await (threads[0] as LoopThread).run());
			together.push(Math.max(...(await Promise.all(threads.map((t) => t.run())))));
		}
		const timed = alone.map((a, i) => ({ alone: a, together: together[i] as number }));
		return { concurrency, pairs: timed, ratios: timed.map((p) => (concurrency * p.alone) / p.together), aloneMs: median(alone), togetherMs: median(together) };
	} finally {
		await Promise.all(threads.map((t) => t.worker.terminate()));
	}
}

export function formatCoreCeiling(c: CoreCeiling): string {
	const r = c.ratios;
	return `machine ceiling: a register-only loop takes ${Math.round(c.aloneMs)} ms in 1 thread alone, ${Math.round(c.togetherMs)} ms in each of ${c.concurrency} at once: ${median(r).toFixed(2)}x [${Math.min(...r).toFixed(2)}, ${Math.max(...r).toFixed(2)}] (${r.length} alternated pairs)`;
}
