/**
 * How one line of a journal reads (journal.ts decides what to do with it):
 *
 *   record       valid JSON with a known `type` (and a numeric `trial`, except the study record)
 *   incomplete   not valid JSON but a prefix of a record (`{"type":"...`): a torn write, the last
 *                bytes of a process that died mid-append, closed with a newline on resume
 *   corrupted    anything else: garbage, valid JSON that is not a record, an unknown record type
 */
const recordTypes = new Set(['study', 'settings', 'asked', 'running', 'report', 'complete', 'failed']);

const recordStart = '{"type":"';

type LineKind = { readonly kind: 'record'; readonly value: { readonly type: string } } | { readonly kind: 'incomplete' } | { readonly kind: 'corrupted'; readonly what: string };

export function classifyLine(line: string): LineKind {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return line.startsWith(recordStart) || recordStart.startsWith(line) ? { kind: 'incomplete' } : { kind: 'corrupted', what: 'not valid JSON' };
	}
	if (value === null || typeof value !== 'object') return { kind: 'corrupted', what: 'not a journal record' };
	const r = value as { type?: unknown; trial?: unknown };
	if (typeof r.type !== 'string' || !recordTypes.has(r.type) || (r.type !== 'study' && r.type !== 'settings' && typeof r.trial !== 'number'))
		return { kind: 'corrupted', what: 'not a journal record' };
	return { kind: 'record', value: r as { type: string } };
}
