/**
 * One lifetime's evaluation, wherever it runs (worker thread or this thread): call the objective,
 * time it, and turn what it returned into an `Outcome`: the value the study optimises (the returned
 * number, `value`, or the field named by the study's metric) plus every returned field, or a failure
 * with its reason (threw, not-finite, timeout).
 */
import type { SearcherConfig } from '../../searchers/config.js';
import type { LoggedValue, ObjectiveFunction, ObjectiveResult } from '../objectives/objective.js';
import type { Params } from '../space.js';
import type { FailureReason } from './journal.js';

export type Outcome =
	| { readonly ok: true; readonly value: number; readonly fields: Readonly<Record<string, LoggedValue>>; readonly wall_ms: number }
	| { readonly ok: false; readonly reason: FailureReason; readonly message: string; readonly wall_ms: number };

export interface EvaluationTask {
	readonly trial: number;
	readonly params: Params;
	readonly seed: number;
	readonly searcher?: SearcherConfig;
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
	if (typeof raw !== 'number') return { reason: 'not-finite', message: `returned no number "${metric}" (got ${raw === undefined ? 'nothing' : JSON.stringify(raw)})` };
	if (!Number.isFinite(raw)) return { reason: 'not-finite', message: `returned ${metric} = ${raw}` };
	return { value: raw, fields };
}

export function errorMessage(error: unknown): string {
	if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
	return String(error);
}

/**
 * Evaluate in this thread. A timeout aborts the context's signal and records the trial as failed;
 * the objective cannot be killed here, so a timed-out synchronous objective still runs to its end
 * (worker-thread evaluation terminates it instead).
 */
export async function evaluateHere(fn: ObjectiveFunction, task: EvaluationTask, metric: string, timeoutMs?: number): Promise<Outcome> {
	const controller = new AbortController();
	const started = performance.now();
	const wall = () => Math.round(performance.now() - started);
	let timer: NodeJS.Timeout | undefined;
	try {
		const call = Promise.resolve().then(() =>
			fn(task.params, { seed: task.seed, trial: task.trial, signal: controller.signal, ...(task.searcher === undefined ? {} : { searcher: task.searcher }) }),
		);
		const result: ObjectiveResult | 'timeout' =
			timeoutMs === undefined
				? await call
				: await Promise.race([call, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
		if (result === 'timeout') {
			controller.abort();
			call.catch(() => undefined);
			return { ok: false, reason: 'timeout', message: `no result after ${timeoutMs! / 1000} s (trial_timeout)`, wall_ms: wall() };
		}
		const r = interpretResult(result, metric);
		return 'value' in r ? { ok: true, value: r.value, fields: r.fields, wall_ms: wall() } : { ok: false, reason: r.reason, message: r.message, wall_ms: wall() };
	} catch (error) {
		return { ok: false, reason: 'threw', message: errorMessage(error), wall_ms: wall() };
	} finally {
		if (timer) clearTimeout(timer);
	}
}
