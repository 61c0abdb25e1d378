/**
 * What makes a journal belong to a study file: the spec's identity (everything but the fields that
 * may change between runs: budget, concurrency, trial_timeout, retries, reevaluate, description),
 * its hash, and a readable list of what changed.
 */
import { createHash } from 'node:crypto';
import type { StudySpec } from './spec.js';

/** Fields that may change between runs of the same study (resume still matches). */
const mutableFields = ['budget', 'concurrency', 'trial_timeout', 'retries', 'reevaluate', 'description'] as const;

function identity(spec: StudySpec): Record<string, unknown> {
	const out: Record<string, unknown> = { ...spec };
	for (const f of mutableFields) delete out[f];
	return out;
}

/** JSON with object keys sorted (stable across key order in the study file). */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

export function specHash(spec: StudySpec): string {
	return createHash('sha256')
		.update(canonicalJson(identity(spec)))
		.digest('hex')
		.slice(0, 16);
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix === '' ? k : `${prefix}.${k}`, out);
		return;
	}
	if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
		value.forEach((v, i) => {
			flatten(v, `${prefix}.${i}`, out);
		});
		return;
	}
	if (value !== undefined) out.set(prefix, canonicalJson(value));
}

/** Lines like `space.gamma.high: 0.99 -> 0.95` for every identity field that differs. */
export function specChanges(before: StudySpec, after: StudySpec): string[] {
	const a = new Map<string, string>();
	const b = new Map<string, string>();
	flatten(identity(before), '', a);
	flatten(identity(after), '', b);
	const changes: string[] = [];
	for (const [k, v] of a) {
		const w = b.get(k);
		if (w === undefined) changes.push(`${k}: ${v} -> (removed)`);
		else if (w !== v) changes.push(`${k}: ${v} -> ${w}`);
	}
	for (const [k, w] of b) if (!a.has(k)) changes.push(`${k}: (absent) -> ${w}`);
	return changes;
}
