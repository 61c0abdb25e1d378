/**
 * The view worker (a `node:worker_threads` thread started by figure-pool.ts): it keeps its own
 * replay of every served study from what the main thread forwards (in order: a `reset`, then
 * batches of records, or of journal lines it parses the way the main thread's reader did), and computes what walks a whole study when asked: its figures (figures.ts
 * `buildFigureSet`) and its overview (views.ts `studyOverview`). So a computation of seconds at
 * 100k lifetimes never holds up the main thread's reading and pushing.
 *
 * Liveness: the main thread sends the runs of the unfinished lifetimes' owners that it found alive
 * (presence files, or the database's leases), so both threads judge them alike.
 */
import { parentPort } from 'node:worker_threads';
import { type JournalRecord, recordsOfLines } from '../study/journal/journal.js';
import { StudyState } from '../study/journal/state.js';
import type { StoredStudy } from '../study/stored.js';
import type { WorkerRequest } from './figure-pool.js';
import { buildFigureSet } from './figures.js';
import { studyOverview } from './views.js';

const studies = new Map<string, StudyState>();

parentPort?.on('message', (m: WorkerRequest) => {
	switch (m.kind) {
		case 'reset':
			studies.set(m.key, new StudyState());
			return;
		case 'records':
			studies.get(m.key)?.apply(m.records as JournalRecord[]);
			return;
		case 'lines': {
			const state = studies.get(m.key);
			if (state === undefined) return;
			try {
				state.apply(recordsOfLines(m.path, m.text, m.firstLine));
			} catch {
				// a study record of another journal version: the main thread kept none of these records either
			}
			return;
		}
		case 'figures':
		case 'overview': {
			const state = studies.get(m.key);
			const spec = state?.spec;
			if (state === undefined || spec === undefined) {
				parentPort?.postMessage({ id: m.id, value: undefined });
				return;
			}
			const runs = new Set(m.alive);
			const stored: StoredStudy = { spec, state, journalPath: m.where, dir: m.dir, alive: (o) => runs.has(o.run), ...(m.corrupted ? { corrupted: true as const } : {}) };
			try {
				parentPort?.postMessage({ id: m.id, value: m.kind === 'figures' ? buildFigureSet(stored, m.version) : studyOverview(stored, m.version) });
			} catch (error) {
				parentPort?.postMessage({ id: m.id, error: error instanceof Error ? error.message : String(error) });
			}
			return;
		}
	}
});
