/**
 * The study journal: `results/<study>/journal.jsonl`, append-only, one JSON record per line.
 *
 * Its parts: the records, the format version and how a record becomes its line (records.ts); the
 * file, read incrementally and appended to under the study lock (journal-file.ts); whole reads
 * without the lock (read-journal.ts). Importers take them from here.
 */
export { Journal, type WarningSink } from './journal-file.js';
export { readJournal, readJournalLines, recordsOfLines } from './read-journal.js';
export {
	type AskedRecord,
	type CheckpointDigest,
	checkJournalVersion,
	type CompleteRecord,
	encodeRecord,
	type FailedRecord,
	type FailureReason,
	type JournalRecord,
	journalVersion,
	type Lease,
	now,
	type PruneDecision,
	type ReportRecord,
	type RunningRecord,
	type Segment,
	type StudyRecord,
	type TrialPurpose,
} from './records.js';
