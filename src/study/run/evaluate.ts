/**
 * One lifetime's evaluation, wherever it runs (worker thread or this thread): call the objective,
 * time it, and turn what it returned into an `Outcome`: the value the study optimises (the returned
 * number, `value`, or the field named by the study's metric) plus every returned field, or a failure
 * with its reason (threw, not-finite, unstorable, timeout).
 *
 * Every returned field is logged in the JSON journal (and, from a worker thread, sent by structured
 * clone first), so a field JSON cannot hold (circular, a BigInt, a function, a symbol) makes the
 * lifetime fail as `unstorable`, naming the field: `field "self" cannot be stored as JSON (circular)`.
 * What JSON itself turns into something else is kept as JSON does it (undefined fields dropped,
 * dates as strings, NaN inside a field as null).
 */
import { errorMessage } from '../../core/errors.js';
import type { LoggedValue, ObjectiveContext, ObjectiveFunction, ObjectiveResult } from '../../objectives/objective.js';
import type { Params, Space } from '../../core/space.js';
import type { CheckpointDigest, FailureReason } from '../journal/journal.js';
import type { TunerConfig } from '../../tuners/config.js';
import { type CheckpointFolders, checkpointContext } from '../../objectives/checkpoint.js';

/** `pruned_at`: the objective was told to stop (pruned) after its report at this step. */
export type Outcome =
	| {
			readonly ok: true;
			readonly value: number;
			readonly fields: Readonly<Record<string, LoggedValue>>;
			readonly wall_ms: number;
			readonly pruned_at?: number;
			/** the checkpoint a population member's segment ended with (added by the lane: lane.ts) */
			readonly checkpoint?: CheckpointDigest;
	  }
	| { readonly ok: false; readonly reason: FailureReason; readonly message: string; readonly wall_ms: number };

export interface EvaluationTask {
	readonly trial: number;
	readonly params: Params;
	readonly seed: number;
	readonly tuning?: TunerConfig;
	/** the study's space, sent with `tuning` (the ranges a tuner explores) */
	readonly space?: Space;
	/** a population member's segment: the folder to write its checkpoint into and the one to restore from */
	readonly checkpoint?: CheckpointFolders;
}

/** The study value and logged fields of an objective's result, or why it is unusable. */
export function interpretResult(result: unknown, metric: string): { value: number; fields: Record<string, LoggedValue> } | { reason: FailureReason; message: string } {
	if (typeof result === 'number') {
		if (metric !== 'value') return { reason: 'not-finite', message: `returned a bare number, but the study's metric is "${metric}"; return {value, ${metric}, ...}` };
		return Number.isFinite(result) ? { value: result, fields: {} } : { reason: 'not-finite', message: `returned ${result}` };
	}
	if (result === null || typeof result !== 'object') return { reason: 'not-finite', message: `returned ${typeof result}; expected a number or {value, ...}` };
	const fields = { ...(result as Record<string, LoggedValue>) };
	const raw = fields[metric];
	if (typeof raw !== 'number') {
		const got = raw === undefined ? 'nothing' : JSON.stringify(raw);
		const how = `a module returns {value, ${metric}: ...}; a command prints {"value": ..., "fields": {"${metric}": ...}}`;
		return { reason: 'not-finite', message: `returned no number "${metric}", the study's metric (got ${got}): ${how}` };
	}
	if (!Number.isFinite(raw)) return { reason: 'not-finite', message: `returned ${metric} = ${raw}` };
	const bad = unstorablePart(result as Record<string, unknown>);
	if (bad !== undefined) return { reason: 'unstorable', message: `field "${bad.path}" cannot be stored as JSON (${bad.what})` };
	return { value: raw, fields };
}

/**
 * The first part of `fields` (an objective's result object) that JSON.stringify would refuse (circular, BigInt) or silently drop
 * although it was meant to be logged (a function, a symbol), as a path (`self`, `a.b[2]`) and what
 * it is; undefined when every part can be stored. Walks as JSON.stringify does: own enumerable
 * keys, `toJSON` applied first, a cycle being an object met again among its own ancestors.
 */
function unstorablePart(fields: Readonly<Record<string, unknown>>): { readonly path: string; readonly what: string } | undefined {
	const ancestors = new Set<object>();
	const walk = (value: unknown, key: string, path: string): { path: string; what: string } | undefined => {
		if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
			try {
				value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
			} catch (error) {
				return { path, what: `its toJSON threw: ${errorMessage(error)}` };
			}
		}
		switch (typeof value) {
			case 'bigint':
				return { path, what: 'a BigInt' };
			case 'function':
				return { path, what: 'a function' };
			case 'symbol':
				return { path, what: 'a symbol' };
			case 'object': {
				if (value === null) return undefined;
				if (ancestors.has(value)) return { path, what: 'circular' };
				ancestors.add(value);
				try {
					if (Array.isArray(value)) {
						for (let i = 0; i < value.length; i++) {
							const bad = walk(value[i], String(i), `${path}[${i}]`);
							if (bad) return bad;
						}
					} else {
						for (const [k, v] of Object.entries(value)) {
							if (v === undefined) continue;
							const bad = walk(v, k, `${path}.${k}`);
							if (bad) return bad;
						}
					}
				} finally {
					ancestors.delete(value);
				}
				return undefined;
			}
			default:
				return undefined;
		}
	};
	ancestors.add(fields);
	try {
		for (const [k, v] of Object.entries(fields)) {
			if (v === undefined) continue;
			const bad = walk(v, k, k);
			if (bad) return bad;
		}
	} catch (error) {
		if (error instanceof RangeError) return { path: Object.keys(fields).join(','), what: 'nested too deeply' };
		throw error;
	}
	return undefined;
}

/**
 * Evaluate in this thread. A timeout aborts the context's signal and records the trial as failed;
 * the objective cannot be killed here, so a timed-out synchronous objective still runs to its end
 * (worker-thread evaluation terminates it instead).
 */
/**
 * What a report of a lifetime asks its listener: stop (true) or go on; `checkpoint`: the report
 * announces a checkpoint written at its step; `values`: one value per metric (a study with several
 * metrics whose objective reported a list; `value` is its first).
 */
export type ReportListener = (step: number, value: number, checkpoint: boolean, values?: readonly number[]) => Promise<boolean>;

export async function evaluateHere(fn: ObjectiveFunction, task: EvaluationTask, metric: string, timeoutMs?: number, abort?: AbortSignal, listener?: ReportListener): Promise<Outcome> {
	const signal = new LazySignal(abort);
	const started = performance.now();
	const wall = () => Math.round(performance.now() - started);
	let timer: NodeJS.Timeout | undefined;
	let prunedAt: number | undefined;
	const checkpoint = task.checkpoint === undefined ? undefined : checkpointContext(task.checkpoint);
	const report =
		listener === undefined
			? undefined
			: async (step: number, reported: number | readonly number[], announced?: boolean): Promise<boolean> => {
					const values = Array.isArray(reported) ? (reported as readonly number[]) : undefined;
					const value = values === undefined ? reported : values[0];
					if (typeof step !== 'number' || !Number.isFinite(step) || typeof value !== 'number' || !Number.isFinite(value))
						throw new TypeError(`context.report(step, value) needs two finite numbers (got ${String(step)}, ${String(reported)})`);
					if (values !== undefined && !values.every((v) => typeof v === 'number' && Number.isFinite(v)))
						throw new TypeError(`context.report(step, values) needs a list of finite numbers, one per metric (got ${JSON.stringify(values)})`);
					const saved = checkpoint?.takeSaved() ?? false;
					if (prunedAt !== undefined) return true;
					const halt = await listener(step, value, announced === true || saved, values === undefined ? undefined : [...values]);
					if (halt) prunedAt ??= step; // reports answered in order: the first stop is where it stopped
					return halt;
				};
	try {
		// the optional parts assigned, not spread in: this runs once per trial
		const context: { -readonly [K in keyof ObjectiveContext]: ObjectiveContext[K] } = {
			seed: task.seed,
			trial: task.trial,
			get signal() {
				return signal.get();
			},
		};
		if (task.tuning !== undefined) context.tuning = task.tuning;
		if (task.space !== undefined) context.space = task.space;
		if (report !== undefined) context.report = report;
		if (checkpoint !== undefined) context.checkpoint = checkpoint.context;
		const call = Promise.resolve().then(() => fn(task.params, context));
		const result: ObjectiveResult | 'timeout' = timeoutMs === undefined ? await call : await Promise.race([call, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
		if (result === 'timeout') {
			signal.abort();
			call.catch(() => undefined);
			return { ok: false, reason: 'timeout', message: `no result after ${timeoutMs! / 1000} s (trial_timeout)`, wall_ms: wall() };
		}
		const r = interpretResult(result, metric);
		if (!('value' in r)) return { ok: false, reason: r.reason, message: r.message, wall_ms: wall() };
		return prunedAt === undefined ? { ok: true, value: r.value, fields: r.fields, wall_ms: wall() } : { ok: true, value: r.value, fields: r.fields, wall_ms: wall(), pruned_at: prunedAt };
	} catch (error) {
		return { ok: false, reason: 'threw', message: errorMessage(error), wall_ms: wall() };
	} finally {
		if (timer) clearTimeout(timer);
		signal.detach();
	}
}

/**
 * The objective's abort signal, made when the objective first reads it (many never do, and making
 * an AbortSignal and listening on the run's hard stop for every trial was a measurable part of the
 * runner's own work): aborted by a timeout, or by a hard stop of the run (second Ctrl-C, another
 * lane's error), also one that came before it was made.
 */
class LazySignal {
	private controller: AbortController | undefined;
	private aborted = false;
	private detached = false;
	private readonly onStop = () => this.abort();

	constructor(private readonly hardStop: AbortSignal | undefined) {}

	get(): AbortSignal {
		if (this.controller === undefined) {
			this.controller = new AbortController();
			if (this.aborted || this.hardStop?.aborted) this.controller.abort();
			else if (!this.detached) this.hardStop?.addEventListener('abort', this.onStop, { once: true });
		}
		return this.controller.signal;
	}

	abort(): void {
		this.aborted = true;
		this.controller?.abort();
	}

	/** The trial is over: stop listening, and do not start when the signal is first read later. */
	detach(): void {
		this.detached = true;
		if (this.controller !== undefined) this.hardStop?.removeEventListener('abort', this.onStop);
	}
}
