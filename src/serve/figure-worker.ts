/**
 * The figure worker (a `node:worker_threads` thread started by figure-pool.ts): it keeps its own
 * replay of every served study from the records the main thread forwards (in order: a `reset`, then
 * batches), and builds a study's figures when asked (figures.ts `buildFigureSet`), so a build of
 * several seconds never holds up the main thread's reading and pushing.
 */
import { parentPort } from 'node:worker_threads';
import type { JournalRecord } from '../study/journal/journal.js';
import { StudyState } from '../study/journal/state.js';
import { buildFigureSet } from './figures.js';
import type { FigureRequest } from './figure-pool.js';

const studies = new Map<string, StudyState>();

parentPort?.on('message', (m: FigureRequest) => {
	switch (m.kind) {
		case 'reset':
			studies.set(m.key, new StudyState());
			return;
		case 'records':
			studies.get(m.key)?.apply(m.records as JournalRecord[]);
			return;
		case 'build': {
			const state = studies.get(m.key);
			const spec = state?.spec;
			if (state === undefined || spec === undefined) {
				parentPort?.postMessage({ id: m.id, set: undefined });
				return;
			}
			try {
				parentPort?.postMessage({ id: m.id, set: buildFigureSet({ spec, state, journalPath: m.where, dir: m.dir }, m.version) });
			} catch (error) {
				parentPort?.postMessage({ id: m.id, error: error instanceof Error ? error.message : String(error) });
			}
			return;
		}
	}
});
