/**
 * The main thread's side of the figure worker (figure-worker.ts): one worker for every study
 * served, fed each study's records as they are applied (`watch`), asked for a study's figures at
 * most at the rate figures.ts states (`FigureCache`). Started from compiled code as
 * `figure-worker.js`; from the TypeScript sources through a bootstrap that registers tsx first
 * (as study/run/pool.ts starts its workers).
 */
import { Worker } from 'node:worker_threads';
import type { JournalRecord } from '../study/journal/journal.js';
import type { FigureSet } from './figures.js';
import type { LiveStudy } from './live-study.js';

export type FigureRequest =
	| { readonly kind: 'reset'; readonly key: string }
	| { readonly kind: 'records'; readonly key: string; readonly records: readonly JournalRecord[] }
	| { readonly kind: 'build'; readonly key: string; readonly id: number; readonly version: number; readonly where: string; readonly dir: string };

type FigureReply = { readonly id: number; readonly set?: FigureSet; readonly error?: string };

function startWorker(): Worker {
	const here = import.meta.url;
	if (here.endsWith('.ts')) {
		const target = new URL('./figure-worker.ts', here).href;
		const tsx = import.meta.resolve('tsx/esm/api');
		return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`, { eval: true });
	}
	return new Worker(new URL('./figure-worker.js', here));
}

export class FigureWorker {
	private readonly worker = startWorker();
	private next = 0;
	private readonly waiting = new Map<number, { resolve: (set: FigureSet | undefined) => void; reject: (e: Error) => void }>();

	constructor() {
		this.worker.unref();
		this.worker.on('message', (m: FigureReply) => {
			const w = this.waiting.get(m.id);
			this.waiting.delete(m.id);
			if (m.error !== undefined) w?.reject(new Error(m.error));
			else w?.resolve(m.set);
		});
		this.worker.on('error', (e) => {
			for (const w of this.waiting.values()) w.reject(e);
			this.waiting.clear();
		});
	}

	/** Forward every change of `live` from now on (call before its first record is read). */
	watch(live: LiveStudy): void {
		this.worker.postMessage({ kind: 'reset', key: live.key } satisfies FigureRequest);
		live.onChange((change) => {
			if (change.kind === 'reset') this.worker.postMessage({ kind: 'reset', key: live.key } satisfies FigureRequest);
			else this.worker.postMessage({ kind: 'records', key: live.key, records: change.records } satisfies FigureRequest);
		});
	}

	build(live: LiveStudy): Promise<FigureSet | undefined> {
		const id = this.next++;
		return new Promise((resolve, reject) => {
			this.waiting.set(id, { resolve, reject });
			this.worker.postMessage({ kind: 'build', key: live.key, id, version: live.version, where: live.where, dir: live.dir } satisfies FigureRequest);
		});
	}

	close(): Promise<number> {
		return this.worker.terminate();
	}
}

/** One study's latest figure set, rebuilt at most every max(1 s, 3 x the last build's time). */
export class FigureCache {
	private set: FigureSet | undefined;
	private builtAt = 0;
	private building: Promise<FigureSet | undefined> | undefined;

	constructor(private readonly worker: FigureWorker) {}

	async get(live: LiveStudy): Promise<FigureSet | undefined> {
		if (live.stored() === undefined) return undefined;
		const interval = () => Math.max(1000, 3 * (this.set?.ms ?? 0));
		const stale = (set: FigureSet) => ({ ...set, next_ms: set.version === live.version ? 0 : Math.ceil(Math.max(200, interval() - (performance.now() - this.builtAt))) });
		if (this.set !== undefined && (this.set.version === live.version || this.building !== undefined || performance.now() - this.builtAt < interval())) return stale(this.set);
		if (this.building === undefined) {
			this.building = this.worker.build(live).finally(() => (this.building = undefined));
		}
		const set = await this.building;
		if (set !== undefined) {
			this.set = set;
			this.builtAt = performance.now();
		}
		return set === undefined ? undefined : stale(set);
	}
}
