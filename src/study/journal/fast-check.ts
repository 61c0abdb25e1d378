/**
 * A hand-written yes for the record types a journal holds by the hundred thousand (`asked`,
 * `running`, `report`, `complete`), so reading a large journal does not pay a zod parse per line:
 * at 100k lifetimes (200k lines) the schemas cost about as much as JSON.parse itself.
 *
 * It only ever says "valid" or "ask the schema": a record it does not accept (any problem, or an
 * optional field it does not look into, such as `segment`, `fits` or `checkpoint` objects)
 * goes to the zod schema of check.ts, which gives the verdict and the message. So the messages are
 * the schema's, and the one way the two could drift is this guard accepting what the schema
 * refuses; test/study/journal/fast-check.test.ts feeds both the same good and bad records to check
 * that it never does.
 */

type Fields = Record<string, unknown>;

const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const integer = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v);
const count = (v: unknown): boolean => integer(v) && (v as number) >= 0;
const optional = (v: unknown, ok: (v: unknown) => boolean): boolean => v === undefined || ok(v);
const string = (v: unknown): boolean => typeof v === 'string';

/** Every value a param may take in a record: a finite number, a string or a boolean (no `__proto__` key). */
function paramsOk(v: unknown): boolean {
	if (!isFields(v)) return false;
	for (const key in v) {
		if (key === '__proto__') return false;
		const x = v[key];
		if (!(typeof x === 'string' || typeof x === 'boolean' || finite(x))) return false;
	}
	return true;
}

function ownerOk(v: unknown): boolean {
	return isFields(v) && string(v.host) && integer(v.pid) && string(v.run);
}

/** The lease an end record was run under: every end the runner records has one. */
function leaseOk(v: unknown): boolean {
	return isFields(v) && string(v.run) && integer(v.take) && (v.take as number) > 0;
}

function askedOk(r: Fields): boolean {
	return (
		string(r.at) &&
		count(r.trial) &&
		string(r.arm) &&
		(r.purpose === 'search' || r.purpose === 'reevaluate') &&
		count(r.slot) &&
		integer(r.attempt) &&
		(r.attempt as number) > 0 &&
		paramsOk(r.params) &&
		integer(r.seed) &&
		ownerOk(r.owner) &&
		optional(r.note, string) &&
		optional(r.retry_of, count) &&
		r.fits === undefined &&
		r.segment === undefined
	);
}

function reportOk(r: Fields): boolean {
	return (
		string(r.at) &&
		count(r.trial) &&
		finite(r.step) &&
		finite(r.value) &&
		(r.values === undefined || (Array.isArray(r.values) && r.values.every(finite))) &&
		optional(r.index, count) &&
		optional(r.rung, count) &&
		(r.decision === undefined || r.decision === 'continue' || r.decision === 'stop') &&
		(r.checkpoint === undefined || r.checkpoint === true)
	);
}

function completeOk(r: Fields): boolean {
	return (
		string(r.at) &&
		count(r.trial) &&
		finite(r.value) &&
		isFields(r.fields) &&
		!Object.hasOwn(r.fields, '__proto__') &&
		finite(r.wall_ms) &&
		(r.wall_ms as number) >= 0 &&
		optional(r.commit, string) &&
		optional(r.pruned_at, finite) &&
		optional(r.lease, leaseOk) &&
		r.checkpoint === undefined
	);
}

/** True when `value` is certainly a valid record of a hot type; false means: ask the schema. */
export function surelyValid(value: unknown): boolean {
	if (!isFields(value)) return false;
	switch (value.type) {
		case 'asked':
			return askedOk(value);
		case 'running':
			return string(value.at) && count(value.trial) && ownerOk(value.owner);
		case 'report':
			return reportOk(value);
		case 'complete':
			return completeOk(value);
		default:
			return false;
	}
}
