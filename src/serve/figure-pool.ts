/**
 * The main thread's side of the figure worker (figure-worker.ts): one worker for every study served,
 * fed each study's records as they are applied (`watch`: the journal text they were read from when
 * there is one, which the worker parses itself, and only once the study's figures are first asked:
 * at 100k lifetimes a structured clone of the records cost the main thread 0.55 s to write and the
 * worker 2 s to read, against 0.9 s for the worker's JSON.parse of the text; the records otherwise,
 * as from PostgreSQL), asked for a study's figures, and for its overview once it has a copy of
 * the study (`WorkerCache`: once per version, and not more
 * often than every max(min, 3 x the last computation's time); an older value is answered
 * meanwhile, with `next_ms`). Started from compiled code as `figure-worker.js`; from the
 * TypeScript sources through a bootstrap that registers tsx first (as study/run/pool.ts starts its
 * workers).
 */
import { Worker } from 'node:worker_threads';
import type { JournalRecord } from '../study/journal/journal.js';
import { ownerRunning } from '../study/view.js';
import type { LiveStudy } from './live-study.js';

export type WorkerRequest =
	| { readonly kind: 'reset'; readonly key: string }
	| { readonly kind: 'records'; readonly key: string; readonly records: readonly JournalRecord[] }
	| { readonly kind: 'lines'; readonly key: string; readonly path: string; readonly text: string; readonly firstLine: number }
	| {
			readonly kind: 'figures' | 'overview';
			readonly key: string;
			readonly id: number;
			readonly version: number;
			readonly where: string;
			readonly dir: string;
			/** runs of the unfinished lifetimes' owners found alive */
			readonly alive: readonly string[];
			readonly corrupted: boolean;
	  };

type WorkerReply = { readonly id: number; readonly value?: unknown; readonly error?: string };

function startWorker(): Worker {
	const here = import.meta.url;
	if (here.endsWith('.ts')) {
		const target = new URL('./figure-worker.ts', here).href;
		const tsx = import.meta.resolve('tsx/esm/api');
		return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`, { eval: true });
	}
	return new Worker(new URL('./figure-worker.js', here));
}

/**
 * The worker is started when figures are first asked (loading its modules costs about 1 s of CPU,
 * which a server that only lists studies, or one still reading its journals, need not spend);
 * until then the batches it will be sent are kept here, a study's dropped at its reset.
 */
export class FigureWorker {
	private worker: Worker | undefined;
	private readonly queued: WorkerRequest[] = [];
	private readonly copies = new Set<string>();
	private next = 0;
	private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (e: Error) => void }>();

	private started(): Worker {
		if (this.worker !== undefined) return this.worker;
		const worker = startWorker();
		this.worker = worker;
		worker.unref();
		worker.on('message', (m: WorkerReply) => {
			const w = this.waiting.get(m.id);
			this.waiting.delete(m.id);
			if (m.error !== undefined) w?.reject(new Error(m.error));
			else w?.resolve(m.value);
		});
		worker.on('error', (e) => {
			for (const w of this.waiting.values()) w.reject(e);
			this.waiting.clear();
		});
		for (const m of this.queued) worker.postMessage(m);
		this.queued.length = 0;
		return worker;
	}

	private post(m: WorkerRequest): void {
		if (this.worker !== undefined) {
			this.worker.postMessage(m);
			return;
		}
		if (m.kind === 'reset') {
			const others = this.queued.filter((q) => q.key !== m.key);
			this.queued.length = 0;
			this.queued.push(...others);
		}
		this.queued.push(m);
	}

	/** Forward every change of `live` from now on (call before its first record is read). */
	watch(live: LiveStudy): void {
		this.post({ kind: 'reset', key: live.key });
		live.onChange((change) => {
			if (change.kind === 'reset') this.post({ kind: 'reset', key: live.key });
			else if (change.lines !== undefined) this.post({ kind: 'lines', key: live.key, path: live.where, text: change.lines.text, firstLine: change.lines.firstLine });
			else this.post({ kind: 'records', key: live.key, records: change.records });
		});
	}

	/** Whether the worker keeps a copy of the study: its figures were asked. */
	follows(key: string): boolean {
		return this.copies.has(key);
	}

	/** Compute `kind` for the study's current version in the worker (undefined before its study record); asking for its figures makes the worker keep a copy of it. */
	ask<T>(kind: 'figures' | 'overview', live: LiveStudy): Promise<T | undefined> {
		if (kind === 'figures') this.copies.add(live.key);
		const stored = live.stored();
		const alive = stored === undefined ? [] : stored.state.unended().flatMap((t) => (ownerRunning(stored, t.owner) ? [t.owner.run] : []));
		const id = this.next++;
		return new Promise((resolve, reject) => {
			this.waiting.set(id, { resolve: (v) => resolve(v as T | undefined), reject });
			this.started().postMessage({
				kind,
				key: live.key,
				id,
				version: live.version,
				where: live.where,
				dir: live.dir,
				alive,
				corrupted: stored?.corrupted === true,
			} satisfies WorkerRequest);
		});
	}

	close(): Promise<number> {
		return this.worker?.terminate() ?? Promise.resolve(0);
	}
}

/** One study's latest figures or overview (computed by the worker), at the rate the header states. */
export class WorkerCache<T extends { readonly version: number; readonly ms: number; readonly next_ms: number }> {
	private value: T | undefined;
	private doneAt = 0;
	private pending: Promise<T | undefined> | undefined;

	constructor(
		private readonly worker: FigureWorker,
		private readonly kind: 'figures' | 'overview',
		/** the least time between two computations (ms) */
		private readonly minMs: number,
	) {}

	/** Whether a value was computed (it may be of an older version). */
	get computed(): boolean {
		return this.value !== undefined;
	}

	/** undefined before the study record, and while the study is being read (its views would be of a part of it). */
	async get(live: LiveStudy): Promise<T | undefined> {
		if (live.stored() === undefined || live.loading !== undefined) return undefined;
		const interval = () => Math.max(this.minMs, 3 * (this.value?.ms ?? 0));
		const answer = (v: T): T => ({ ...v, next_ms: v.version === live.version ? 0 : Math.ceil(Math.max(150, interval() - (performance.now() - this.doneAt))) });
		if (this.value !== undefined && (this.value.version === live.version || this.pending !== undefined)) return answer(this.value);
		if (this.value === undefined || performance.now() - this.doneAt >= interval()) {
			this.pending = this.worker
				.ask<T>(this.kind, live)
				.then((value) => {
					if (value !== undefined) {
						this.value = value;
						this.doneAt = performance.now();
					}
					return value;
				})
				.finally(() => (this.pending = undefined));
		}
		// an older value is answered at once (the page asks again after next_ms); only the first is waited for
		if (this.value !== undefined) return answer(this.value);
		const value = await this.pending;
		return value === undefined ? undefined : answer(value);
	}
}
