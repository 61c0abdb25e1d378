/**
 * Turn a zod issue into the one-line `field.path: what is wrong; what to do` used in study errors.
 * zod's own messages are generic ("Invalid input"); these name the expected value and the fix.
 * A misspelt choice gets the nearest allowed one (nearest.ts): `"maximise" is not allowed; did you mean maximize?`.
 */
import { nearest } from './nearest.js';

export interface IssueLike {
	readonly code: string;
	readonly path: readonly PropertyKey[];
	readonly message: string;
	readonly expected?: string;
	readonly keys?: readonly string[];
	readonly values?: readonly unknown[];
	readonly options?: readonly unknown[];
	readonly discriminator?: string;
	readonly minimum?: number | bigint;
	readonly maximum?: number | bigint;
	readonly inclusive?: boolean;
	readonly origin?: string;
	readonly errors?: readonly (readonly IssueLike[])[];
}

function at(raw: unknown, path: readonly PropertyKey[]): unknown {
	let v = raw;
	for (const k of path) {
		if (v === null || typeof v !== 'object') return undefined;
		v = (v as Record<PropertyKey, unknown>)[k];
	}
	return v;
}

function show(v: unknown): string {
	if (v === undefined) return 'nothing';
	const text = JSON.stringify(v);
	return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** `path: message` for one issue; `raw` is the document (to quote the offending value). */
export function formatIssue(issue: IssueLike, raw: unknown): string {
	// Unions (e.g. objective: bandit | module): report the branch that got furthest.
	if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0 && issue.discriminator === undefined) {
		const branches = issue.errors.filter((b) => b.length > 0);
		const best = branches.find((b) => b.every((i) => i.code !== 'unrecognized_keys')) ?? branches[0];
		const inner = best?.[0];
		if (inner && issue.path.length === 1 && issue.path[0] === 'objective' && inner.code === 'unrecognized_keys') {
			return 'objective: expected {bandit: {...settings}} or {module: ./file.js}';
		}
		if (inner) return formatIssue({ ...inner, path: [...issue.path, ...inner.path] }, raw);
	}
	const field = issue.path.map(String).join('.');
	const prefix = field === '' ? '' : `${field}: `;
	const got = at(raw, issue.path);
	switch (issue.code) {
		case 'invalid_type':
			if (got === undefined) return `${prefix}missing; add it (expected ${issue.expected ?? 'a value'})`;
			return `${prefix}expected ${issue.expected ?? 'another type'}, got ${show(got)}`;
		case 'unrecognized_keys': {
			const keys = issue.keys ?? [];
			const first = keys[0] ?? '?';
			return `${field === '' ? '' : `${field}.`}${first}: unknown field; remove it or check the spelling`;
		}
		case 'invalid_union':
			if (issue.discriminator !== undefined) {
				const options = (issue.options ?? []).map(String).join(', ');
				return `${prefix}${got === undefined ? 'missing' : `unknown ${issue.discriminator} ${show(got)}`}; expected one of ${options}`;
			}
			return `${prefix}${issue.message}`;
		case 'invalid_value': {
			const allowed = (issue.values ?? []).map((v) => String(v));
			const near = typeof got === 'string' ? nearest(got, allowed) : undefined;
			return `${prefix}${show(got)} is not allowed; ${near === undefined ? '' : `did you mean ${near}? `}expected one of ${allowed.join(', ')}`;
		}
		case 'too_small':
			if (issue.origin === 'array') return `${prefix}needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? 'y' : 'ies'}`;
			if (issue.origin === 'string') return `${prefix}must not be empty`;
			return `${prefix}must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)} (got ${show(got)})`;
		case 'too_big':
			if (issue.origin === 'string') return `${prefix}too long (at most ${String(issue.maximum)} characters)`;
			return `${prefix}must be ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)} (got ${show(got)})`;
		case 'invalid_format':
			return `${prefix}${show(got)}: ${issue.message}`;
		default:
			return `${prefix}${issue.message}`;
	}
}
