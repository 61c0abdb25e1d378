/**
 * Several metrics, constraints and the hypervolume's reference point of a study (issue 26): their
 * zod schemas, the checks made when the study loads, and the pure functions that derive a
 * lifetime's values and violation from its logged result (so replay derives the same).
 *
 * Notation
 *   metrics      m >= 2 entries {name, direction}; metric k of a lifetime is its result field `name`
 *                (the first metric is also the study's `metric`, so its value is the record's `value`)
 *   constraint   {field, max?, min?} on a logged numeric field; the lifetime misses it by
 *                max(0, f - max) + max(0, min - f)
 *   violation    the sum of those amounts over the constraints (in the fields' units): 0 feasible,
 *                > 0 infeasible. A configuration's violation (repeats > 1) is the violation of the
 *                means of its lifetimes' fields: the configuration is judged by its expected
 *                behaviour, as its values are the means of its lifetimes' values
 *   reference    the hypervolume's reference point r, one value per metric: `reference_point` as
 *                written, else per metric the worst value among the study's feasible complete search
 *                lifetimes plus 10% of their range (every arm's, so the arms of one study share it;
 *                report/fronts.ts); a front point that does not dominate r adds nothing
 */
import { z } from 'zod';
import type { Direction, SearcherTrial } from '../../../searchers/searcher.js';
import { nearest } from '../../core/nearest.js';
import { paretoFront } from '../../core/pareto.js';

export interface MetricSpec {
	readonly name: string;
	readonly direction: Direction;
}

/** A bound on a logged field: `max`, `min` or both (a range). */
export interface ConstraintSpec {
	readonly field: string;
	readonly max?: number | undefined;
	readonly min?: number | undefined;
}

const fieldName = z.string().min(1);

export const metricsSchema = z
	.array(
		z
			.object({
				name: fieldName.describe('a numeric result field (bandit: `lifetime_return`, `final_return`, `env_steps`, `agent_ms`, `param_count`, ...)'),
				direction: z.enum(['maximize', 'minimize']).describe('whether a higher or a lower value of this metric is better'),
			})
			.strict(),
	)
	.min(2)
	.describe(
		'several metrics compared at once (a Pareto front per arm, instead of `metric` and `direction`): the first is the study value searchers that model one objective use (docs/multi-objective.md)',
	);

export const constraintsSchema = z
	.array(
		z
			.object({
				field: fieldName.describe('a numeric field every lifetime logs (e.g. `env_steps`)'),
				max: z.number().optional().describe('the highest value allowed'),
				min: z.number().optional().describe('the lowest value allowed'),
			})
			.strict()
			.refine((c) => c.max !== undefined || c.min !== undefined, { message: 'needs max or min (or both); e.g. {field: env_steps, max: 200000}' }),
	)
	.min(1)
	.describe('bounds on logged fields: a lifetime that misses one is infeasible, shown as such and never chosen');

export const referencePointSchema = z
	.array(z.number())
	.describe(
		"the hypervolume's reference point, one value per metric in the order of `metrics` (default: per metric the worst value among the study's feasible search lifetimes, plus 10% of their range)",
	);

/** Whether the study compares several metrics (a Pareto front per arm). */
export function isMultiObjective(spec: { readonly metrics?: readonly MetricSpec[] }): boolean {
	return spec.metrics !== undefined && spec.metrics.length >= 2;
}

/** Whether a searcher trial may be chosen: complete, run to its end (not pruned: its value is partial) and feasible. */
export function isCandidate(t: SearcherTrial): boolean {
	return t.status === 'complete' && t.value !== undefined && t.pruned !== true && !((t.violation ?? 0) > 0);
}

/**
 * An arm's Pareto front: its candidate configurations (`isCandidate`) that no other candidate
 * dominates on their mean values, in the order asked (equal points are all kept).
 */
export function frontOf(spec: { readonly metrics?: readonly MetricSpec[] }, trials: readonly SearcherTrial[]): SearcherTrial[] {
	const directions = (spec.metrics ?? []).map((m) => m.direction);
	const candidates = trials.filter((t) => isCandidate(t) && t.values?.every(Number.isFinite) === true);
	return paretoFront(
		candidates.map((t) => t.values as readonly number[]),
		directions,
	).map((i) => candidates[i] as SearcherTrial);
}

/** What a lifetime's values and violation are derived from: its complete record's value and fields. */
interface LoggedResult {
	readonly value: number;
	readonly fields: Readonly<Record<string, unknown>>;
}

/** A numeric field of a result (the first metric: the record's value), or undefined. */
function fieldOf(metric: string, result: LoggedResult, name: string): number | undefined {
	if (name === metric) return result.value;
	const v = result.fields[name];
	return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** One value per metric of a complete lifetime (a missing field: NaN; the runner fails such lifetimes). */
export function lifetimeValues(spec: { readonly metric: string; readonly metrics?: readonly MetricSpec[] }, result: LoggedResult): number[] {
	return (spec.metrics ?? [{ name: spec.metric }]).map((m) => fieldOf(spec.metric, result, m.name) ?? Number.NaN);
}

/** The amount by which the field values `at` miss the constraints (0: feasible). */
function violationOf(constraints: readonly ConstraintSpec[], at: (field: string) => number | undefined): number {
	let total = 0;
	for (const c of constraints) {
		const v = at(c.field);
		if (v === undefined || Number.isNaN(v)) return Number.POSITIVE_INFINITY;
		if (c.max !== undefined && v > c.max) total += v - c.max;
		if (c.min !== undefined && v < c.min) total += c.min - v;
	}
	return total;
}

/** A complete lifetime's violation of the study's constraints (0 without constraints). */
export function lifetimeViolation(spec: { readonly metric: string; readonly constraints?: readonly ConstraintSpec[] }, result: LoggedResult): number {
	return spec.constraints === undefined ? 0 : violationOf(spec.constraints, (f) => fieldOf(spec.metric, result, f));
}

/** The violation of the means of the lifetimes' constrained fields (a configuration's: see the notation). */
export function meanViolation(spec: { readonly metric: string; readonly constraints?: readonly ConstraintSpec[] }, results: readonly LoggedResult[]): number {
	if (spec.constraints === undefined || results.length === 0) return 0;
	return violationOf(spec.constraints, (f) => {
		let sum = 0;
		for (const r of results) {
			const v = fieldOf(spec.metric, r, f);
			if (v === undefined) return undefined;
			sum += v;
		}
		return sum / results.length;
	});
}

/**
 * Why a successful result cannot be recorded as complete in this study: a metric or a constrained
 * field it did not log as a finite number (one line naming the study field and the fix), or undefined.
 */
export function missingFieldProblem(
	spec: { readonly metric: string; readonly metrics?: readonly MetricSpec[]; readonly constraints?: readonly ConstraintSpec[] },
	result: LoggedResult,
): string | undefined {
	const logged = Object.keys(result.fields).filter((k) => typeof result.fields[k] === 'number');
	const missing = (name: string, field: string): string => {
		const near = nearest(name, logged);
		const got = result.fields[name] === undefined ? 'it logged no such field' : `it logged ${JSON.stringify(result.fields[name])}`;
		return `${field}: the objective logs no number "${name}" (${got}${near === undefined ? '' : `; did you mean ${near}?`}); numeric fields it logs: ${logged.join(', ') || 'none'}`;
	};
	for (const [i, m] of (spec.metrics ?? []).entries()) if (fieldOf(spec.metric, result, m.name) === undefined) return missing(m.name, `metrics.${i}.name`);
	for (const [i, c] of (spec.constraints ?? []).entries()) if (fieldOf(spec.metric, result, c.field) === undefined) return missing(c.field, `constraints.${i}.field`);
	return undefined;
}

/** Checks of the written fields the schema cannot make; `fail` throws the one-line InputError. */
export function checkObjectives(
	written: { readonly metric?: unknown; readonly direction?: unknown },
	parsed: { readonly metrics?: readonly MetricSpec[] | undefined; readonly constraints?: readonly ConstraintSpec[] | undefined; readonly reference_point?: readonly number[] | undefined },
	knownFields: readonly string[] | undefined,
	fail: (field: string, message: string) => never,
): void {
	const { metrics, constraints, reference_point: reference } = parsed;
	if (metrics !== undefined) {
		if (written.metric !== undefined) fail('metrics', 'give either metric (one) or metrics (several), not both; move the metric into metrics');
		if (written.direction !== undefined) fail('direction', 'each entry of metrics has its own direction; remove direction');
		const seen = new Set<string>();
		metrics.forEach((m, i) => {
			if (seen.has(m.name)) fail(`metrics.${i}.name`, `"${m.name}" is named twice; give each metric once`);
			seen.add(m.name);
			checkKnown(knownFields, m.name, `metrics.${i}.name`, fail);
		});
	}
	if (reference !== undefined) {
		if (metrics === undefined) fail('reference_point', 'is the hypervolume of several metrics; give metrics, or remove reference_point');
		else if (reference.length !== metrics.length)
			fail('reference_point', `has ${reference.length} value${reference.length === 1 ? '' : 's'} for ${metrics.length} metrics; give one per metric, in the order of metrics`);
	}
	constraints?.forEach((c, i) => {
		checkKnown(knownFields, c.field, `constraints.${i}.field`, fail);
		if (c.max !== undefined && c.min !== undefined && c.min > c.max) fail(`constraints.${i}.min`, `must not be above max (${c.min} > ${c.max}); swap them`);
	});
}

/** An objective whose fields are known before it runs (the bandit's): the name must be one of them. */
function checkKnown(known: readonly string[] | undefined, name: string, field: string, fail: (field: string, message: string) => never): void {
	if (known === undefined || known.includes(name)) return;
	const near = nearest(name, known);
	fail(field, `the objective logs no number "${name}"${near === undefined ? '' : `; did you mean ${near}?`} (it logs ${known.join(', ')})`);
}
