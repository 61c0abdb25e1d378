/**
 * What the page shows, as JSON, from a followed study (live-study.ts): the study list's row, and one
 * study's overview: progress, the comparison table (the cells `compare` prints), `status` (running
 * lifetimes with their last report, failures with their reasons, pruned counts: the same data as
 * `status --format json`), the settings table and the readers' warnings.
 *
 * Cost: a row is O(arms + unfinished lifetimes) (the counts are kept per record); an overview walks
 * the study (O(N): `status` and `compare` do: 0.2 s of CPU at 100k lifetimes), so it is computed
 * once per version of the study at most, and not more often than every 3 x its last computation's
 * time, whatever the number of pages open: on the main thread from the one replay of the study
 * kept there (`liveOverview`) until the figure worker has a copy of the study (its figures were
 * asked: figure-pool.ts), in the worker from then on. A copy made only for the overview would be a
 * second parse and replay of the whole journal (1.1 s of CPU at 100k lifetimes) before the study
 * could be shown. The lists a page shows are capped (`listCap`,
 * counted in full), so a study with 50k failures does not send 50k rows.
 */
import { comparisonRows } from '../report/compare.js';
import { type ComparisonCells, comparisonCells } from '../report/comparison-cells.js';
import { progressText, settingsRows } from '../report/plots/settings.js';
import { type StudyStateName, type StudyStatus, statusOf, studyStateName } from '../report/status-data.js';
import { armCounts, ownerRunning, type StoredStudy, studyProgress } from '../study/view.js';
import type { LiveStudy } from './live-study.js';

export interface StudyRow {
	readonly key: string;
	readonly name: string;
	readonly description: string | null;
	readonly where: string;
	readonly state: StudyStateName | 'no study record' | 'loading';
	/** while the server reads what is stored (a whole journal at start): bytes read of the bytes there */
	readonly loading: { readonly read: number; readonly size: number } | null;
	readonly arms: readonly { readonly arm: string; readonly ended: number; readonly total: number; readonly best: number | null }[];
	readonly direction: 'maximize' | 'minimize' | null;
	readonly running: number;
	readonly last_activity: string | null;
	readonly warnings: readonly string[];
	readonly version: number;
}

/** The scheduler's verdict per study, computed once per version (at a bounded rate: PerVersion); O(N), so asked only when the counts cannot tell. */
const schedulerStates = new WeakMap<LiveStudy, PerVersion<StudyStateName>>();
function schedulerState(live: LiveStudy, compute: () => StudyStateName): StudyStateName {
	let memo = schedulerStates.get(live);
	if (memo === undefined) {
		memo = new PerVersion();
		schedulerStates.set(live, memo);
	}
	return memo.get(live, compute).value;
}

/** One row of the study list. */
export function studyRow(live: LiveStudy): StudyRow {
	const stored = live.stored();
	const base = { key: live.key, where: live.where, last_activity: live.lastActivity ?? null, warnings: live.warnings, version: live.version, loading: live.loading ?? null };
	if (stored === undefined) return { ...base, name: live.key, description: null, state: live.loading === undefined ? 'no study record' : 'loading', arms: [], direction: null, running: 0 };
	const unended = stored.state.unended();
	const running = unended.filter((t) => ownerRunning(stored, t.owner)).length;
	const arms = live.armTallies();
	// O(1) in the usual cases; the scheduler's verdict (O(N) for a finite searcher) only when ended < total with nothing running
	const state: StudyRow['state'] =
		live.loading !== undefined
			? 'loading'
			: stored.state.trials.length === 0
				? 'not started'
				: running > 0
					? 'running'
					: unended.length === 0 && arms.every((a) => a.ended >= a.total)
						? 'complete'
						: schedulerState(live, () => studyStateName(stored));
	return {
		...base,
		name: stored.spec.name,
		description: stored.spec.description ?? null,
		state,
		arms: arms.map((a) => ({ arm: a.arm, ended: a.ended, total: a.total, best: a.best ?? null })),
		direction: stored.spec.direction,
		running,
	};
}

const listCap = 200;

type Capped<T> = { readonly items: readonly T[]; readonly total: number };
const cap = <T>(items: readonly T[], latest = false): Capped<T> => ({ items: latest ? items.slice(-listCap) : items.slice(0, listCap), total: items.length });

export interface StudyOverview {
	/** the version of the study it was computed at */
	readonly version: number;
	readonly progress: string;
	readonly comparison: ComparisonCells;
	readonly status: Omit<StudyStatus, 'running' | 'interrupted' | 'failed'> & {
		readonly running: Capped<StudyStatus['running'][number]>;
		readonly interrupted: Capped<StudyStatus['interrupted'][number]>;
		/** the latest failures (the list ends with the most recent) */
		readonly failed: Capped<StudyStatus['failed'][number]>;
	};
	readonly settings: readonly (readonly [string, string])[];
	/** milliseconds it took to compute */
	readonly ms: number;
	/** it is of an older version: ask again after this many ms (0: current) */
	readonly next_ms: number;
}

/** A study's overview (O(N), as `status` and `compare` are). */
export function studyOverview(stored: StoredStudy, version: number): StudyOverview {
	const t0 = performance.now();
	const counts = armCounts(stored); // once, for the progress and the status (a walk over every lifetime)
	const progress = studyProgress(stored, counts); // once: the status's state is its kind
	const status = statusOf(stored, progress, counts);
	return {
		version,
		progress: progressText(progress),
		comparison: comparisonCells(comparisonRows(stored)),
		status: { ...status, running: cap(status.running), interrupted: cap(status.interrupted), failed: cap(status.failed, true) },
		settings: settingsRows(stored).map(([k, v]) => [k, v] as const),
		ms: Math.round(performance.now() - t0),
		next_ms: 0,
	};
}

const overviews = new WeakMap<LiveStudy, PerVersion<StudyOverview>>();

/** The study's overview at its current version, or an older one with `next_ms` (PerVersion); undefined before the study record, and while the study is being read (it would be of a part of it). */
export function liveOverview(live: LiveStudy): StudyOverview | undefined {
	const stored = live.stored();
	if (stored === undefined || live.loading !== undefined) return undefined;
	let memo = overviews.get(live);
	if (memo === undefined) {
		memo = new PerVersion();
		overviews.set(live, memo);
	}
	const { value, next_ms } = memo.get(live, () => studyOverview(stored, live.version));
	return next_ms === 0 ? value : { ...value, next_ms };
}

/**
 * A value computed once per version of a study, and not more often than every 3 x its last
 * computation's time (a 100k-lifetime overview takes about a second: recomputed on every record it
 * would hold up the thread that reads and pushes); a stale value comes with `next_ms`, when a
 * current one can be asked for.
 */
class PerVersion<T> {
	private version = -1;
	private value: T | undefined;
	private at = 0;
	private ms = 0;

	get(live: LiveStudy, compute: () => T): { readonly value: T; readonly next_ms: number } {
		const now = performance.now();
		const wait = 3 * this.ms - (now - this.at);
		if (this.value !== undefined && this.version !== live.version && wait > 0) return { value: this.value, next_ms: Math.ceil(wait) };
		if (this.version !== live.version || this.value === undefined) {
			this.value = compute();
			this.version = live.version;
			this.at = performance.now();
			this.ms = this.at - now;
		}
		return { value: this.value, next_ms: 0 };
	}
}
