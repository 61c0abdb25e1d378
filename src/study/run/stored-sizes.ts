/**
 * What one lifetime may store in the journal, so a chatty or runaway objective cannot make every
 * command on the study slow (a 50 MB field was stored whole, +52 MB of journal, and status printed
 * it). Applied when an end record is made (end-record.ts), for runs and `tell` alike:
 *
 *   failure message   16 KiB: the first 4 KiB and the last 12 KiB (where a traceback ends) are kept
 *   string field      64 KiB each (the head is kept)
 *   all fields        1 MiB of JSON: past it, the largest fields are replaced, one by one, by a note
 *
 * Every cut says so in one line, in the stored text itself: `… (N more characters cut: ...)`.
 * Sizes count UTF-16 characters (JavaScript string length), not bytes.
 */
import type { LoggedValue } from '../../objectives/objective.js';

export const storedSizes = { message: 16 * 1024, messageHead: 4 * 1024, field: 64 * 1024, fields: 1024 * 1024 } as const;

const kib = (n: number): string => `${Math.round(n / 1024)} KiB`;

/** A failure message of at most `storedSizes.message` characters (plus the note saying what was cut). */
export function boundMessage(message: string): string {
	if (message.length <= storedSizes.message) return message;
	const tail = storedSizes.message - storedSizes.messageHead;
	const cut = message.length - storedSizes.message;
	return `${message.slice(0, storedSizes.messageHead)} … (${cut} more characters cut: a stored message keeps its first ${kib(storedSizes.messageHead)} and last ${kib(tail)}) … ${message.slice(-tail)}`;
}

/** `fields` with long strings cut and, past 1 MiB of JSON in all, the largest fields replaced by a note (the same object when nothing is cut). */
export function boundFields(fields: Readonly<Record<string, LoggedValue>>): Readonly<Record<string, LoggedValue>> {
	let out: Record<string, LoggedValue> | undefined;
	const sizes: [string, number][] = [];
	let total = 0;
	for (const [name, value] of Object.entries(fields)) {
		let v = value;
		if (typeof v === 'string' && v.length > storedSizes.field) {
			v = `${v.slice(0, storedSizes.field)}… (${v.length - storedSizes.field} more characters cut: a stored field keeps ${kib(storedSizes.field)})`;
			out ??= { ...fields };
			out[name] = v;
		}
		let size: number;
		try {
			size = JSON.stringify(v)?.length ?? 0;
		} catch {
			return out ?? fields; // not JSON at all: stageEnd records it as unstorable
		}
		sizes.push([name, size]);
		total += size;
	}
	if (total <= storedSizes.fields) return out ?? fields;
	out ??= { ...fields };
	sizes.sort((a, b) => b[1] - a[1]);
	for (const [name, size] of sizes) {
		if (total <= storedSizes.fields) break;
		const note = `(cut: ${size} characters of JSON; a lifetime's stored fields keep ${kib(storedSizes.fields)} in all)`;
		out[name] = note;
		total += note.length + 2 - size;
	}
	return out;
}
