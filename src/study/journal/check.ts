/**
 * What a journal record must hold to be replayed, checked on every read (the file journal and
 * PostgreSQL alike): one zod schema per record type (journal.ts lists them). A record that fails is
 * a corrupted record, treated like a line that is not JSON: a writer refuses it naming its line, a
 * reader warns and skips it. Numbers must be finite (`1e999` parses as Infinity), trial numbers,
 * slots, attempts and seeds integers, values of the right kind. What needs the study's spec or the
 * records before it (params inside the space, a known arm, report order, a second end record) is
 * checked as the record is applied (state.ts), which names the record through `placeAt`.
 *
 * The record types a journal holds by the hundred thousand are accepted by a hand-written guard
 * first (fast-check.ts); anything it does not accept is judged, and named, by the schema.
 *
 * Unknown keys are allowed (a later metatune may add fields) and the record is kept as read: the
 * schema only says yes or no, so replay never copies or reorders a record.
 */
import { z } from 'zod';
import { activationOrder, isActive } from '../../core/conditions.js';
import { valueProblem } from '../../core/param-value.js';
import type { Param, Params, ParamValue, Space } from '../../core/space.js';
import { surelyValid } from './fast-check.js';
import { failureReasons } from './records.js';

/** zod 4's number is finite: it refuses Infinity and NaN (what `1e999` and a NaN would parse to) */
const finite = z.number();
const count = z.number().int().nonnegative();
const at = z.string();
const owner = z.object({ host: z.string(), pid: z.number().int(), run: z.string() });
const lease = z.object({ run: z.string(), take: z.number().int().positive() });
const paramValue = z.union([finite, z.string(), z.boolean()]);

const schemas = {
	study: z.object({ type: z.literal('study'), at, v: z.number(), name: z.string(), spec: z.object({ space: z.record(z.string(), z.unknown()) }).loose(), hash: z.string() }),
	settings: z.object({ type: z.literal('settings'), at, spec: z.object({ space: z.record(z.string(), z.unknown()) }).loose() }),
	asked: z.object({
		type: z.literal('asked'),
		at,
		trial: count,
		arm: z.string(),
		purpose: z.enum(['search', 'reevaluate']),
		slot: count,
		attempt: z.number().int().positive(),
		params: z.record(z.string(), paramValue),
		seed: z.number().int(),
		owner,
		note: z.string().optional(),
		retry_of: count.optional(),
		fits: z.array(z.object({ key: z.string(), theta: z.array(finite) })).optional(),
		segment: z
			.object({
				member: count,
				generation: count,
				end: finite,
				restore: count.optional(),
				from_step: finite.optional(),
				exploit: z.object({ member: count, trial: count }).optional(),
				explore: z.record(z.string(), z.object({ from: paramValue, to: paramValue, how: z.string() })).optional(),
			})
			.optional(),
	}),
	running: z.object({ type: z.literal('running'), at, trial: count, owner }),
	report: z.object({
		type: z.literal('report'),
		at,
		trial: count,
		step: finite,
		value: finite,
		values: z.array(finite).optional(),
		index: count.optional(),
		rung: count.optional(),
		decision: z.enum(['continue', 'stop']).optional(),
		checkpoint: z.literal(true).optional(),
	}),
	complete: z.object({
		type: z.literal('complete'),
		at,
		trial: count,
		value: finite,
		fields: z.record(z.string(), z.unknown()),
		wall_ms: z.number().nonnegative(),
		commit: z.string().optional(),
		pruned_at: finite.optional(),
		lease: lease.optional(),
		checkpoint: z.object({ step: finite, bytes: count, sha256: z.string() }).optional(),
	}),
	failed: z.object({
		type: z.literal('failed'),
		at,
		trial: count,
		reason: z.enum(failureReasons),
		message: z.string(),
		wall_ms: z.number().nonnegative(),
		lease: lease.optional(),
	}),
} as const;

type RecordType = keyof typeof schemas;
const isRecordType = (type: unknown): type is RecordType => typeof type === 'string' && Object.hasOwn(schemas, type);

/**
 * Why `value` (parsed JSON) is not a journal record, in a few words naming the field, or undefined
 * when it is one. A study record whose `v` is not `version` (the format this code reads) passes:
 * the version check refuses it with a message that says so.
 */
export function recordProblem(value: unknown, version: number): string | undefined {
	return surelyValid(value) ? undefined : schemaProblem(value, version); // the hot record types skip the zod parse (fast-check.ts)
}

/** recordProblem by the zod schemas alone (what fast-check.ts must agree with). */
export function schemaProblem(value: unknown, version: number): string | undefined {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a journal record';
	const type = (value as { type?: unknown }).type;
	if (!isRecordType(type)) return 'not a journal record';
	if (type === 'study' && (value as { v?: unknown }).v !== version) return undefined;
	const result = schemas[type].safeParse(value);
	if (result.success) return undefined;
	const issue = result.error.issues[0];
	if (issue === undefined) return `not a valid ${type} record`;
	const field = issue.path.map(String).join('.');
	let at: unknown = value;
	for (const key of issue.path) at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined;
	const missing = at === undefined;
	return `${type} record: ${field === '' ? 'the record' : field} ${missing ? 'is missing' : `is not valid (${issue.message})`}`;
}

/**
 * Where each record read was stored, for messages naming it: a line number of a journal file
 * ("line 12") or a database's "seq 12". Kept per batch, not per record: a reader hands over the
 * array of records it read together with the place of each (`setPlaces`), held in a WeakMap keyed
 * by that array, and `placeAt(records, i)` looks it up only when a message needs it. So records
 * stay plain parsed JSON, and naming them costs one array of numbers per batch (a property defined
 * on each record cost 0.14 s of CPU per 200k records read, a WeakMap keyed by record 0.3 s).
 * A copy of the array (filter, concat, spread) has no places: its records are named as staged ones.
 */
const placesOf = new WeakMap<readonly object[], readonly (number | string)[]>();

/** Record that `records[i]` was stored at `places[i]` (a line number, or a label such as "seq 12"). */
export function setPlaces(records: readonly object[], places: readonly (number | string)[]): void {
	if (records.length > 0) placesOf.set(records, places); // an empty batch (most reads under the lock) names nothing
}

/** Where `records[i]` was stored, or undefined for a record this process staged itself (or an array that is a copy). */
export function placeAt(records: readonly object[], i: number): string | undefined {
	const where = placesOf.get(records)?.[i];
	return typeof where === 'number' ? `line ${where}` : where;
}

/**
 * Why an asked record's params are not a point of `space`, or undefined: every active param present,
 * every inactive one absent (a param whose condition is false has no value, core/conditions.ts), none
 * outside the space, each a value it can take.
 */
export function paramsProblem(space: Space, params: Params): string | undefined {
	const chosen: Record<string, ParamValue | undefined> = {};
	for (const name of activationOrder(space)) {
		const param = space[name] as Param;
		const present = Object.hasOwn(params, name);
		if (!isActive(space, name, chosen)) {
			if (present) return `param ${name} = ${JSON.stringify(params[name])} is given but inactive (its condition ${conditionText(param)} is false)`;
			continue;
		}
		if (!present) return `param ${name} is missing`;
		const problem = valueProblem(param, params[name] as ParamValue);
		if (problem !== undefined) return `param ${name} = ${JSON.stringify(params[name])} is ${problem}`;
		chosen[name] = params[name];
	}
	for (const name of Object.keys(params)) if (!Object.hasOwn(space, name)) return `param ${name} is not in the space`;
	return undefined;
}

/** A condition as written: `when {optimizer: [adam]}`. */
const conditionText = (param: Param): string => `when ${JSON.stringify(param.when ?? {}).replace(/"/g, '')}`;
