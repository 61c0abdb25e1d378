/** Shared helpers for the report tests: a small finished study with a given space and objective, and a CSV reader. */
import type { ObjectiveFunction } from '../../src/objectives/objective.js';
import { loadStoredStudy, type StoredStudy } from '../../src/study/stored.js';
import { runStudy } from '../../src/study/run/runner.js';
import { parseStudyDocument } from '../../src/study/spec/spec.js';
import { Study } from '../../src/study/study.js';
import { tempDir } from '../study/helpers.js';

/** Run a study document (objective given in-process) into a fresh results folder and load it back. */
export async function finishedStudy(doc: Record<string, unknown>, objective: ObjectiveFunction, results = tempDir('metatune-report-')): Promise<StoredStudy> {
	const spec = parseStudyDocument({ objective: { module: 'unused.js' }, ...doc });
	const study = await Study.open(spec, { resultsDir: results });
	await runStudy(study, { concurrency: 1, commit: 'abc123', objective });
	study.close();
	return loadStoredStudy(spec.name, results);
}

/** RFC 4180 reader for the tests: rows of cells, then records keyed by the header. */
export function readCsv(text: string): Record<string, string>[] {
	const rows: string[][] = [];
	let row: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i] as string;
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (c === '"') quoted = false;
			else cell += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(cell);
			cell = '';
		} else if (c === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
		} else cell += c;
	}
	row.push(cell);
	rows.push(row);
	const [header = [], ...body] = rows;
	return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

export function csvHeader(text: string): string[] {
	return (text.split('\n')[0] ?? '').split(',');
}
