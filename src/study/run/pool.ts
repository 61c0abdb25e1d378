/**
 * A pool of `node:worker_threads` workers evaluating lifetimes. Each worker builds the objective
 * once and runs one task at a time; a task that passes its timeout gets its worker terminated (so
 * even a synchronous, stuck objective stops) and a fresh worker replaces it on the next task.
 *
 * Entry resolution: from compiled code (dist/) the worker is `worker.js` next to this file; when
 * running the TypeScript sources (tests, `tsx`), Node's worker threads do not inherit tsx's loader
 * hooks, so the worker is started from a two-line eval bootstrap that registers tsx and then
 * imports `worker.ts`.
 *
 * Programs of command objectives: a worker reports the process groups it starts (process-groups.ts),
 * tracked here in the main thread, whose exit kills any still alive. A worker running a command
 * objective is never just terminated (its programs, in their own groups, would run on unseen): it
 * is first asked to stop them (SIGTERM, SIGKILL after the objective's grace), and terminated once it
 * says none is left, or after the grace and a margin, the pool then killing what is left itself.
 * `close` waits for that, so a run ends only once its programs have.
 */
import { Worker } from 'node:worker_threads';
import type { ObjectiveRef } from '../../objectives/registry.js';
import { errorMessage, InputError } from '../../core/errors.js';
import { resolveModulePath } from '../../objectives/module.js';
import { type GroupEvent, signalGroup, trackGroup, untrackGroup } from '../../objectives/process-groups.js';
import type { EvaluationTask, Outcome, ReportListener } from './evaluate.js';

function startWorker(init: { ref: ObjectiveRef; metric: string; check?: boolean }): Worker {
	const here = import.meta.url;
	if (here.endsWith('.ts')) {
		const target = new URL('./worker.ts', here).href;
		const tsx = import.meta.resolve('tsx/esm/api');
		const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
		return new Worker(code, { eval: true, workerData: init });
	}
	return new Worker(new URL('./worker.js', here), { workerData: init });
}

interface Slot {
	worker: Worker | undefined;
	/** resolves when the worker has built its objective (or died trying) */
	ready: Promise<void> | undefined;
	busy: boolean;
}

function whenReady(worker: Worker): Promise<void> {
	return new Promise<void>((resolve) => {
		const done = () => {
			worker.off('message', onMessage);
			worker.off('error', done);
			worker.off('exit', done);
			resolve();
		};
		const onMessage = (m: { ready?: boolean }) => {
			if (m.ready) done();
		};
		worker.on('message', onMessage);
		worker.on('error', done);
		worker.on('exit', done);
	});
}

export class WorkerPool {
	private readonly slots: Slot[] = [];
	private nextId = 0;
	private readonly aborters = new Set<() => void>();
	private closed = false;
	/** each live worker's program groups: leader pid -> grace (ms) */
	private readonly groups = new Map<Worker, Map<number, number>>();
	/** workers being stopped (their programs first) */
	private readonly retiring = new Set<Promise<void>>();

	constructor(
		private readonly init: { ref: ObjectiveRef; metric: string },
		readonly size: number,
	) {
		for (let i = 0; i < size; i++) this.slots.push({ worker: undefined, ready: undefined, busy: false });
	}

	/** Evaluate one task in a free worker (callers never run more than `size` at once). */
	async run(task: EvaluationTask, timeoutMs?: number, listener?: ReportListener): Promise<Outcome> {
		// After close (or an abort) no new worker may start: it would keep the process alive.
		if (this.closed) return { ok: false, reason: 'aborted', message: 'the worker pool is closed', wall_ms: 0 };
		const slot = this.slots.find((s) => !s.busy);
		if (slot === undefined) throw new Error('WorkerPool.run: more tasks than workers');
		slot.busy = true;
		if (slot.worker === undefined) {
			slot.worker = this.startTracked();
			slot.ready = whenReady(slot.worker);
		}
		const worker = slot.worker;
		await slot.ready;
		if (slot.worker !== worker) {
			slot.busy = false;
			return { ok: false, reason: 'aborted', message: 'aborted while the worker started', wall_ms: 0 };
		}
		const id = this.nextId++;
		const started = performance.now();
		const wall = () => Math.round(performance.now() - started);
		return new Promise<Outcome>((resolve) => {
			let timer: NodeJS.Timeout | undefined;
			const finish = (outcome: Outcome, kill: boolean) => {
				if (timer) clearTimeout(timer);
				worker.off('message', onMessage);
				worker.off('error', onError);
				worker.off('exit', onExit);
				this.aborters.delete(abort);
				if (kill) {
					this.retire(worker);
					slot.worker = undefined;
					slot.ready = undefined;
				}
				slot.busy = false;
				resolve(outcome);
			};
			const onMessage = (m: { id: number; outcome?: Outcome; report?: { n: number; step: number; value: number; checkpoint: boolean; values?: readonly number[] } }) => {
				if (m.id !== id) return;
				if (m.report !== undefined) {
					const { n, step, value, checkpoint, values } = m.report;
					// no listener: the lifetime goes on; a listener that fails stops it (the run is ending)
					void (listener?.(step, value, checkpoint, values) ?? Promise.resolve(false)).then(
						(stop) => worker.postMessage({ reply: n, stop }),
						() => worker.postMessage({ reply: n, stop: true }),
					);
					return;
				}
				if (m.outcome !== undefined) finish(m.outcome, false);
			};
			const onError = (error: unknown) => finish({ ok: false, reason: 'worker-died', message: errorMessage(error), wall_ms: wall() }, true);
			const onExit = (code: number) => finish({ ok: false, reason: 'worker-died', message: `worker exited with code ${code}`, wall_ms: wall() }, true);
			const abort = () => finish({ ok: false, reason: 'aborted', message: 'aborted (second interrupt)', wall_ms: wall() }, true);
			worker.on('message', onMessage);
			worker.on('error', onError);
			worker.on('exit', onExit);
			this.aborters.add(abort);
			if (timeoutMs !== undefined) {
				timer = setTimeout(() => finish({ ok: false, reason: 'timeout', message: `no result after ${timeoutMs / 1000} s (trial_timeout); worker terminated`, wall_ms: wall() }, true), timeoutMs);
			}
			worker.postMessage({ id, task });
		});
	}

	/** Stop every running task now (they resolve as `aborted`). */
	abort(): void {
		for (const abort of [...this.aborters]) abort();
		for (const s of this.slots) {
			if (s.worker === undefined) continue;
			this.retire(s.worker); // still starting: its run() sees the worker gone and reports aborted
			s.worker = undefined;
			s.ready = undefined;
		}
	}

	/** Terminate every worker (their programs first); later `run` calls start none and report `aborted`. */
	async close(): Promise<void> {
		this.closed = true;
		for (const s of this.slots) {
			if (s.worker !== undefined) this.retire(s.worker);
			s.worker = undefined;
			s.ready = undefined;
		}
		await Promise.all([...this.retiring]);
	}

	/** A new worker whose program groups are tracked (in `groups` and process-groups.ts) while it lives. */
	private startTracked(): Worker {
		const worker = startWorker(this.init);
		const groups = new Map<number, number>();
		this.groups.set(worker, groups);
		worker.on('message', (m: { group?: GroupEvent }) => {
			if (m.group === undefined) return;
			if (m.group.type === 'started') {
				groups.set(m.group.pid, m.group.graceMs);
				trackGroup(m.group.pid, m.group.graceMs);
			} else {
				groups.delete(m.group.pid);
				untrackGroup(m.group.pid);
			}
		});
		worker.once('exit', () => {
			// a worker that died leaves its programs without anyone to stop them
			for (const pid of groups.keys()) {
				signalGroup(pid, 'SIGKILL');
				untrackGroup(pid);
			}
			this.groups.delete(worker);
		});
		return worker;
	}

	/** Terminate `worker` once its programs have stopped; `close` waits for it. */
	private retire(worker: Worker): void {
		const retired: Promise<void> = this.stopPrograms(worker)
			.then(() => worker.terminate())
			.then(
				() => undefined,
				() => undefined,
			)
			.finally(() => this.retiring.delete(retired));
		this.retiring.add(retired);
	}

	/**
	 * Ask a command objective's worker to stop its programs and wait for its answer (none left), the
	 * objective's grace and a margin at most; then SIGKILL whatever group it still reported alive (a
	 * worker that died, or did not answer). Other objectives start no programs: nothing to wait for.
	 */
	private async stopPrograms(worker: Worker): Promise<void> {
		const { objective } = this.init.ref;
		const groups = this.groups.get(worker);
		if (objective.kind !== 'command' || groups === undefined) return; // not a command, or the worker has exited
		await new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(timer);
				worker.off('message', onMessage);
				worker.off('exit', done);
				resolve();
			};
			const onMessage = (m: { stopped?: boolean }) => {
				if (m.stopped === true) done();
			};
			const timer = setTimeout(done, (objective.grace ?? 5) * 1000 + stopMarginMs);
			worker.on('message', onMessage);
			worker.on('exit', done);
			worker.postMessage({ stop: true });
		});
		for (const pid of groups.keys()) {
			signalGroup(pid, 'SIGKILL');
			untrackGroup(pid);
		}
		groups.clear();
	}
}

/** How long past a command objective's grace the pool waits for a worker to say its programs stopped. */
const stopMarginMs = 2000;

/** How long importing a module objective may take when a study file is checked (`checkObjective`). */
const importTimeoutMs = 30_000;

/**
 * Import a study's objective in a throwaway worker thread, as a run's workers will, and resolve when
 * it loads; otherwise InputError in one line, naming the study file and `objective.module`: the
 * import failed (a missing file, a syntax error, no exported function, a top-level process.exit),
 * the worker ended before the import finished (a top-level await that never settles), or the import
 * took longer than `timeoutMs` (an await kept pending by a live timer or server). Whatever the module
 * does, this process carries on: the worker is terminated once it has answered.
 */
export function checkObjective(ref: ObjectiveRef, timeoutMs = importTimeoutMs): Promise<void> {
	const field = 'objective.module';
	const path = ref.objective.kind === 'module' ? resolveModulePath(ref.objective.module, ref.dir) : ref.objective.kind;
	const fail = (why: string) => new InputError(`${ref.file}: ${field}: ${why}`, ref.file, field);
	const worker = startWorker({ ref, metric: '', check: true });
	return new Promise<void>((resolve, reject) => {
		let settled = false;
		const settle = (error?: InputError) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			void worker.terminate();
			if (error === undefined) resolve();
			else reject(error);
		};
		const timer = setTimeout(
			() =>
				settle(
					fail(`importing ${path} did not finish within ${timeoutMs / 1000} s (a top-level await kept waiting, e.g. by a timer or server?); the module must finish loading and export the objective`),
				),
			timeoutMs,
		);
		worker.on('message', (m: { checked?: boolean; message?: string; field?: unknown }) => {
			if (m.checked === true) settle();
			else if (m.checked === false) {
				const message = m.message ?? 'did not load';
				settle(message.startsWith(`${ref.file}: `) ? new InputError(message, ref.file, typeof m.field === 'string' ? m.field : field) : fail(message));
			}
		});
		worker.on('error', (error) => settle(fail(`importing ${path} failed: ${errorMessage(error)}`)));
		worker.on('exit', (code) =>
			settle(fail(`importing ${path} ended without finishing (exit code ${code}): a top-level await that never settles?; the module must finish loading and export the objective`)),
		);
	});
}
