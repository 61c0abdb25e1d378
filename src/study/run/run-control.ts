/**
 * The stop state one run's lanes share (runner.ts): whether they ask for no more lifetimes
 * (`stopping`: first Ctrl-C, or the study is done), whether running lifetimes are abandoned
 * (`aborted`: second Ctrl-C, or an error), the first error that ended the run, and the wake-up an
 * idle lane waits on until a local lifetime ends, a report is judged or a stop is requested.
 */
import type { Params } from '../../core/space.js';
import type { TrialPurpose } from '../journal/journal.js';
import type { Outcome } from './evaluate.js';

/** `finished`: the lifetime's end record is applied (the study's state shows it); it is made durable right after. */
export type RunEvent =
	| { readonly type: 'started'; readonly trial: number; readonly arm: string; readonly purpose: TrialPurpose; readonly params: Params; readonly seed: number }
	| { readonly type: 'finished'; readonly trial: number; readonly arm: string; readonly purpose: TrialPurpose; readonly outcome: Outcome }
	| { readonly type: 'stopping' }
	| { readonly type: 'aborting' };

/** What a hard stop must end besides in-thread objectives: the worker pool, when there is one. */
export interface Terminable {
	/** terminate running lifetimes */
	abort(): void;
	/** terminate every worker and start no new one */
	close(): Promise<void>;
}

export class RunControl {
	/** lanes ask for nothing more */
	stopping: boolean;
	/** running lifetimes are abandoned (not recorded: they re-run) */
	aborted: boolean;
	/** the first error of a lane or of the storage, which the run rethrows */
	broken: { readonly error: unknown } | undefined;
	/** in-thread objectives' signals (worker threads are terminated instead) */
	readonly hardStop = new AbortController();
	/** aborted once `stopping` (a follower then tells its leader, which records what runs and sends nothing more: follower.ts) */
	readonly stopped = new AbortController();
	private wake: () => void = () => undefined;
	private changed = new Promise<void>((r) => (this.wake = r));

	constructor(
		private readonly workers: Terminable | undefined,
		readonly emit: (event: RunEvent) => void,
		private readonly pollMs: number,
		stopped: boolean,
		aborted: boolean,
	) {
		this.stopping = stopped;
		this.aborted = aborted;
		if (stopped || aborted) this.stopped.abort();
		if (aborted) this.hardStop.abort();
	}

	/** Wake every lane waiting in `nap`. */
	notify(): void {
		const wake = this.wake;
		this.changed = new Promise<void>((r) => (this.wake = r));
		wake();
	}

	/** Wait until `notify` or `pollMs` (the other processes' lifetimes are seen only by re-reading the journal). */
	async nap(): Promise<void> {
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([this.changed, new Promise<void>((r) => (timer = setTimeout(r, this.pollMs)))]);
		clearTimeout(timer);
	}

	/** Graceful stop: ask no more, let running lifetimes finish. */
	readonly stop = (): void => {
		this.stopping = true;
		this.stopped.abort();
		this.emit({ type: 'stopping' });
		this.notify();
	};

	/** Hard stop: terminate running lifetimes (they re-run on resume). */
	readonly abort = (): void => {
		this.stopping = true;
		this.stopped.abort();
		this.aborted = true;
		this.emit({ type: 'aborting' });
		this.workers?.abort();
		this.hardStop.abort();
		this.notify();
	};

	/**
	 * The first error (of a lane, or the storage lost) ends the run as a hard stop would, and closes
	 * the pool at once so that no lane deciding meanwhile starts a worker; later errors are dropped.
	 */
	readonly fail = (error: unknown): void => {
		if (this.broken !== undefined) return;
		this.broken = { error };
		this.stopping = true;
		this.stopped.abort();
		this.aborted = true;
		this.workers?.abort();
		this.hardStop.abort();
		void this.workers?.close();
		this.notify();
	};
}
