/**
 * The figure worker (a `node:worker_threads` thread started by figure-pool.ts): it builds a study's
 * figures (figures.ts `buildFigureSet`, seconds at 100k lifetimes) off the main thread, so the main
 * thread's reading and pushing are never held up by them. It keeps its own replay of a study, from
 * what the main thread forwards (in order: a `reset`, then batches of records, or of the journal
 * lines the main thread read, which it parses the way the main thread's reader did), but only
 * from the study's first figures request on: until then the batches are queued unparsed. So the
 * study is parsed and replayed once (by the main thread, which answers the list, the overview and
 * the lifetime table) until its figures are asked, and never twice for a study whose page is not
 * opened. Once it has its copy, it computes that study's overview too (views.ts `studyOverview`,
 * 0.2 s at 100k lifetimes: the main thread is then not held up by it).
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

type Batch = Extract<WorkerRequest, { kind: 'records' | 'lines' }>;

/** Per study: its replay, and the batches not yet applied to it (all of them until its figures are first asked). */
const studies = new Map<string, { state: StudyState; queued: Batch[] }>();

/** Apply the queued batches, in order. */
function caughtUp(key: string): StudyState | undefined {
	const study = studies.get(key);
	if (study === undefined) return undefined;
	for (const m of study.queued) {
		if (m.kind === 'records') study.state.apply(m.records as JournalRecord[]);
		else
			try {
				study.state.apply(recordsOfLines(m.path, m.text, m.firstLine));
			} catch {
				// a study record of another journal version: the main thread kept none of these records either
			}
	}
	study.queued = [];
	return study.state;
}

parentPort?.on('message', (m: WorkerRequest) => {
	switch (m.kind) {
		case 'reset':
			studies.set(m.key, { state: new StudyState(), queued: [] });
			return;
		case 'records':
		case 'lines':
			studies.get(m.key)?.queued.push(m);
			return;
		case 'figures':
		case 'overview': {
			const state = caughtUp(m.key);
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
