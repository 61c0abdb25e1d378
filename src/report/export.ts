/**
 * `metatune export`: one row per lifetime (every attempt, failed and running ones included) with
 * every logged field: trial, arm, searcher, purpose, slot, attempt, status, seed, params (as
 * `param.<name>` columns in CSV), value, every field the objective returned, wall_ms, commit,
 * host/pid of the process that ran it, times, the failure reason, and the intermediate reports (`curve`:
 * step, value and the pruner's decision; `status` is `pruned` for a lifetime the pruner stopped), and
 * a population member's `segment` (its decisions and checkpoint).
 *
 * Runner columns vs the objective's fields. The runner's columns (`runnerColumns`, plus one
 * `param.<name>` per param) always hold the journal's values. JSON keeps the objective's fields
 * nested under `fields`, exactly as logged, so nothing collides there. CSV flattens them into
 * columns of their own, named by this rule (`fieldColumn`), applied to every format that flattens:
 *   - a field named like a runner column, or starting with `param.` or `field.`, becomes
 *     `field.<name>` (`status` -> `field.status`, `param.gamma` -> `field.param.gamma`,
 *     `wall_ms` -> `field.wall_ms`, the objective's own timing; `field.x` -> `field.field.x`);
 *   - every other field keeps its name;
 *   - a field `value` is left out when the study's metric is `value` (it is then the value column
 *     itself), else it is exported as `field.value`.
 * The mapping is one-to-one, so no field overwrites another column or another field.
 *
 * A param whose condition was false (a conditional space) is absent from the lifetime's params: JSON
 * leaves its key out, CSV leaves its `param.<name>` cell empty (every param has its column, in the
 * space's order).
 */
import type { LoggedValue } from '../objectives/objective.js';
import type { ParamValue } from '../core/space.js';
import { toCsv } from './csv.js';
import type { ExportFormat } from './formats.js';
import type { CheckpointDigest, Segment, StoredStudy, TrialState } from '../study/view.js';

/** The top-level columns of a lifetime row besides `params` and `fields`, in column order. */
export const runnerColumns = [
	'study',
	'trial',
	'arm',
	'searcher',
	'purpose',
	'slot',
	'attempt',
	'status',
	'seed',
	'value',
	'wall_ms',
	'commit',
	'host',
	'pid',
	'asked_at',
	'started_at',
	'ended_at',
	'reason',
	'message',
	'note',
	'retry_of',
	'pruned_at',
	'curve',
	'segment',
] as const;
type RunnerColumn = (typeof runnerColumns)[number];
const reserved: ReadonlySet<string> = new Set(runnerColumns);

/** The CSV column of an objective field named `name` (see the rule above). */
function fieldColumn(name: string): string {
	return reserved.has(name) || name.startsWith('param.') || name.startsWith('field.') ? `field.${name}` : name;
}

export interface LifetimeRow {
	readonly study: string;
	readonly trial: number;
	readonly arm: string;
	readonly searcher: string;
	readonly purpose: string;
	readonly slot: number;
	readonly attempt: number;
	readonly status: string;
	readonly seed: number;
	readonly params: Readonly<Record<string, ParamValue>>;
	readonly value: number | null;
	readonly fields: Readonly<Record<string, LoggedValue>>;
	readonly wall_ms: number | null;
	readonly commit: string | null;
	readonly host: string;
	readonly pid: number;
	readonly asked_at: string;
	readonly started_at: string | null;
	readonly ended_at: string | null;
	readonly reason: string | null;
	readonly message: string | null;
	readonly note: string | null;
	readonly retry_of: number | null;
	/** the step after which the pruner stopped the lifetime (status `pruned`) */
	readonly pruned_at: number | null;
	/** the intermediate reports, in order, with the pruner's decisions (JSON text in CSV) */
	readonly curve: readonly CurvePoint[];
	/**
	 * a population member's segment (pbt on a module or command objective): member, generation, end,
	 * the segment it restored (`restore`, at `from_step`), the member it copied (`exploit`), what
	 * explore changed, and the checkpoint it ended with (JSON text in CSV). Each member's curve is the
	 * curves of its segments in generation order; the lineage is the exploits.
	 */
	readonly segment: (Segment & { readonly checkpoint: CheckpointDigest | null }) | null;
}

interface CurvePoint {
	readonly step: number;
	readonly value: number;
	readonly rung?: number;
	readonly decision?: string;
}

// runnerColumns lists exactly LifetimeRow's keys besides params and fields (checked both ways)
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const columnsMatch: Exact<RunnerColumn, Exclude<keyof LifetimeRow, 'params' | 'fields'>> = true;
void columnsMatch;

export function lifetimeRows(stored: StoredStudy): LifetimeRow[] {
	const kinds = new Map(stored.spec.arms.map((a) => [a.name, a.config.kind]));
	return stored.state.trials
		.filter((t): t is TrialState => t !== undefined)
		.map((t) => ({
			study: stored.spec.name,
			trial: t.asked.trial,
			arm: t.asked.arm,
			searcher: kinds.get(t.asked.arm) ?? '?',
			purpose: t.asked.purpose,
			slot: t.asked.slot,
			attempt: t.asked.attempt,
			status: t.complete?.pruned_at !== undefined && t.complete.checkpoint === undefined ? 'pruned' : t.phase,
			seed: t.asked.seed,
			params: t.asked.params,
			value: t.complete?.value ?? null,
			fields: t.complete?.fields ?? {},
			wall_ms: t.complete?.wall_ms ?? t.failed?.wall_ms ?? null,
			commit: t.complete?.commit ?? null,
			host: t.owner.host,
			pid: t.owner.pid,
			asked_at: t.asked.at,
			started_at: t.started_at ?? null,
			ended_at: t.complete?.at ?? t.failed?.at ?? null,
			reason: t.failed?.reason ?? null,
			message: t.failed?.message ?? null,
			note: t.asked.note ?? null,
			retry_of: t.asked.retry_of ?? null,
			pruned_at: t.complete?.pruned_at ?? null,
			curve: (t.reports ?? []).map((r) => ({ step: r.step, value: r.value, ...(r.rung === undefined ? {} : { rung: r.rung }), ...(r.decision === undefined ? {} : { decision: r.decision }) })),
			segment: t.asked.segment === undefined ? null : { ...t.asked.segment, checkpoint: t.complete?.checkpoint ?? null },
		}));
}

/**
 * `metric`: the study's metric (default `value`), which decides whether a `value` field repeats the
 * value column; `paramNames`: the space's params in order (default: as the rows first name them), one
 * CSV column each, empty where a lifetime has no value for it (an inactive conditional param).
 */
export function formatExport(rows: readonly LifetimeRow[], format: ExportFormat, metric = 'value', paramNames: readonly string[] = []): string {
	switch (format) {
		case 'json':
			return JSON.stringify(rows, null, 2);
		case 'csv': {
			const names = new Set(paramNames);
			for (const row of rows) for (const name of Object.keys(row.params)) names.add(name);
			return toCsv(rows.map((row) => flatRow(row, metric, [...names])));
		}
	}
}

/** One CSV row: the runner columns with `param.<name>` after seed, the fields after value, wall_ms last. */
function flatRow({ params, fields, ...rest }: LifetimeRow, metric: string, paramNames: readonly string[]): Record<string, unknown> {
	const flat: Record<string, unknown> = {};
	for (const k of runnerColumns) {
		if (k === 'wall_ms') continue;
		flat[k] = rest[k];
		if (k === 'seed') for (const p of paramNames) flat[`param.${p}`] = params[p];
		if (k === 'value')
			for (const [f, fv] of Object.entries(fields)) {
				if (f === 'value' && metric === 'value') continue;
				flat[fieldColumn(f)] = fv;
			}
	}
	flat.wall_ms = rest.wall_ms;
	return flat;
}
