/**
 * How one line of a journal reads (journal.ts decides what to do with it):
 *
 *   record       valid JSON that passes its record type's schema (check.ts)
 *   incomplete   not valid JSON but a prefix of a record (`{"type":"...`): a torn write, the last
 *                bytes of a process that died mid-append, closed with a newline on resume
 *   corrupted    anything else: garbage, valid JSON that is not a record, an unknown record type, a
 *                record with a field missing or of the wrong kind (named in `what`)
 */
import { recordProblem } from './check.js';

const recordStart = '{"type":"';

type LineKind = { readonly kind: 'record'; readonly value: { readonly type: string } } | { readonly kind: 'incomplete' } | { readonly kind: 'corrupted'; readonly what: string };

/** `version`: the journal format this code reads (a study record of another is left to the version check). */
export function classifyLine(line: string, version: number): LineKind {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch {
		return line.startsWith(recordStart) || recordStart.startsWith(line) ? { kind: 'incomplete' } : { kind: 'corrupted', what: 'not valid JSON' };
	}
	const problem = recordProblem(value, version);
	if (problem !== undefined) return { kind: 'corrupted', what: problem };
	return { kind: 'record', value: value as { type: string } };
}
