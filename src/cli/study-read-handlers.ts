/**
 * What `metatune status`, `list`, `compare` and `export` do once their flags are parsed (study.ts):
 * read stored studies (never writing, never taking a lock) and print them, text coloured on a
 * terminal (colour.ts), every other format plain.
 */
import { resolve } from 'node:path';
import { comparisonRows } from '../report/compare.js';
import { formatComparison } from '../report/compare-format.js';
import { armFronts, formatFronts } from '../report/fronts.js';
import { formatExport, lifetimeRows } from '../report/export.js';
import type { CompareFormat, ExportFormat, ListFormat, StatusFormat } from '../report/formats.js';
import { formatStudyList, studyListRows } from '../report/list.js';
import { studyStatus } from '../report/status.js';
import { listStudies } from '../study/catalog.js';
import { urlLabel } from '../study/journal/postgres.js';
import { folderLabel, loadStoredStudy, loadStudy, type StoredStudy } from '../study/stored.js';
import { paintFor } from './colour.js';
import { storageOf } from './storage-flag.js';

/** A stored study from its journal file, or from `--storage` (METATUNE_STORAGE) when given. */
function load(study: string, args: { results: string; storage?: string }): Promise<StoredStudy> | StoredStudy {
	const storage = storageOf(args);
	return storage === undefined ? loadStoredStudy(study, args.results) : loadStudy(study, { resultsDir: args.results, storage });
}

export interface StatusArgs {
	study: string;
	results: string;
	storage?: string;
	format: StatusFormat;
}

export interface ListArgs {
	results: string;
	storage?: string;
	format: ListFormat;
}

export interface CompareArgs {
	studies: string[];
	results: string;
	storage?: string;
	format: CompareFormat;
	/** list each arm's Pareto front instead of the table (studies with several metrics) */
	front?: boolean;
}

export interface ExportArgs {
	study: string;
	results: string;
	storage?: string;
	format: ExportFormat;
	output?: string;
}

export async function status(args: StatusArgs): Promise<void> {
	process.stdout.write(`${studyStatus(await load(args.study, args), args.format, paintFor(process.stdout))}\n`);
}

export async function list(args: ListArgs): Promise<void> {
	const storage = storageOf(args);
	const entries = await listStudies({ resultsDir: args.results, storage });
	const where = storage === undefined ? folderLabel(args.results) : urlLabel(storage);
	process.stdout.write(`${formatStudyList(studyListRows(entries), args.format, where, paintFor(process.stdout))}\n`);
}

export async function compare(args: CompareArgs): Promise<void> {
	// A study named twice (by name, folder, journal or file) is compared once.
	const byJournal = new Map<string, StoredStudy>();
	for (const s of args.studies) {
		const stored = await load(s, args);
		if (!byJournal.has(resolve(stored.journalPath))) byJournal.set(resolve(stored.journalPath), stored);
	}
	if (args.front === true) {
		const fronts = [...byJournal.values()].flatMap((stored) => armFronts(stored));
		process.stdout.write(`${args.format === 'json' ? JSON.stringify(fronts, null, 2) : formatFronts(fronts, byJournal.size > 1)}\n`);
		return;
	}
	const rows = [...byJournal.values()].flatMap((stored) => comparisonRows(stored));
	process.stdout.write(`${formatComparison(rows, args.format, paintFor(process.stdout))}\n`);
}

export async function exportRows(args: ExportArgs): Promise<void> {
	const stored = await load(args.study, args);
	const text = `${formatExport(lifetimeRows(stored), args.format, stored.spec.metric, Object.keys(stored.spec.space))}\n`;
	if (args.output === undefined) process.stdout.write(text);
	else {
		const { writeFileSync } = await import('node:fs');
		writeFileSync(args.output, text);
	}
}
