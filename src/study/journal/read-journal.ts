/**
 * Whole reads of a journal without the lock (status, compare, export), and the records of lines
 * another reader read (a second reader of the same records: serve's figure worker).
 */
import { setPlaces } from './check.js';
import { Journal, type WarningSink } from './journal-file.js';
import { classifyLine } from './lines.js';
import { checkJournalVersion, type JournalRecord, journalVersion } from './records.js';

/**
 * The records of journal lines another reader read (`readNew`'s `text`, joined with newlines; the
 * first is line `firstLine`): the same records `readNew` gave it, skipping the same lines (that
 * reader warned about them) and naming the same places. Throws as `readNew` does for a study record
 * of another version (that reader then kept none of these records either).
 */
export function recordsOfLines(path: string, text: string, firstLine: number): JournalRecord[] {
	const out: JournalRecord[] = [];
	const lines: number[] = [];
	let lineNo = firstLine - 1;
	for (const line of text.split('\n')) {
		lineNo++;
		if (line.trim() === '') continue;
		const read = classifyLine(line, journalVersion);
		if (read.kind !== 'record') continue;
		const value = read.value as JournalRecord;
		if (value.type === 'study') checkJournalVersion(path, value.v);
		out.push(value);
		lines.push(lineNo);
	}
	setPlaces(out, lines);
	return out;
}

/** Read a whole journal without the lock (status, compare, export). */
export function readJournal(path: string, warn?: WarningSink): JournalRecord[] {
	return readJournalLines(path, warn).records;
}

/** `readJournal`, also saying which lines were corrupted records (warned about and skipped). */
export function readJournalLines(path: string, warn?: WarningSink): { readonly records: JournalRecord[]; readonly corrupted: readonly number[] } {
	const journal = new Journal(path, warn, true);
	try {
		const records = journal.readNew(false);
		if (journal.hasPartialLine()) (warn ?? ((m: string) => process.stderr.write(`metatune: warning: ${m}\n`)))(`${path}: the last line is incomplete (torn or being written); skipped`);
		return { records, corrupted: journal.corrupted };
	} finally {
		journal.close();
	}
}
