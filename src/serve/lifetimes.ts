/**
 * The lifetime table of a study page: every attempt of every lifetime (one row per trial number),
 * sorted, filtered and paginated here, so the page receives one page of rows whatever the study's
 * size (optuna-dashboard sends every trial to the browser and stops coping past ~10k: #385).
 *
 *   row      trial, arm, purpose, slot, attempt, seed, state (pending, running, complete, pruned,
 *            failed), value, params (`name=value, ...`), logged (the scalar fields the lifetime
 *            returned), end time, wall time
 *   index    the rows, each built when a query first needs it; a record marks its trial's row
 *            out of date (O(1)) only if it was built (reading a journal of 200k records marks
 *            nothing), and the rows marked are rebuilt at the next query
 *   query    sort column and direction, a filter (case-insensitive text matched against arm, state,
 *            params, logged fields and the failure message; or `state:failed`-like prefixes), page,
 *            page size (at most 500). The sorted order is cached per (version, sort, filter), so
 *            paging is O(page size). The page's first view (by trial, unfiltered) is the trials'
 *            own order: only the rows of the page asked for are built (a study just read does not
 *            build 100k rows before its page shows)
 */
import { paramsText, paramValueText } from '../core/space.js';
import type { JournalRecord } from '../study/journal/journal.js';
import type { StudyState, TrialState } from '../study/journal/state.js';
import { isPruned } from '../study/view.js';

export interface LifetimeRow {
	readonly trial: number;
	readonly arm: string;
	readonly purpose: string;
	readonly slot: number;
	readonly attempt: number;
	readonly seed: number;
	readonly state: 'pending' | 'running' | 'complete' | 'pruned' | 'failed';
	readonly value: number | null;
	readonly params: string;
	readonly logged: string;
	readonly ended_at: string | null;
	readonly wall_ms: number | null;
	/** a failure's reason and message */
	readonly failure: string | null;
}

export const sortColumns = ['trial', 'arm', 'purpose', 'slot', 'attempt', 'seed', 'state', 'value', 'params', 'ended_at', 'wall_ms'] as const;
export type SortColumn = (typeof sortColumns)[number];

export interface LifetimeQuery {
	readonly sort: SortColumn;
	readonly dir: 'asc' | 'desc';
	readonly filter: string;
	readonly page: number;
	readonly size: number;
}

export interface LifetimePage {
	readonly rows: readonly LifetimeRow[];
	/** rows in the study, and rows the filter kept */
	readonly total: number;
	readonly matched: number;
	readonly page: number;
	readonly size: number;
	readonly ms: number;
	/** the rows are of an older version of the study: ask again after this many ms (0: current) */
	readonly next_ms: number;
}

const maxLogged = 160;

function loggedText(t: TrialState): string {
	const fields = t.complete?.fields;
	if (fields === undefined) return '';
	const parts: string[] = [];
	for (const [k, v] of Object.entries(fields)) {
		if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') parts.push(`${k}=${paramValueText(v)}`);
		else if (Array.isArray(v)) parts.push(`${k}=[${v.length}]`);
	}
	const text = parts.join(', ');
	return text.length > maxLogged ? `${text.slice(0, maxLogged)}...` : text;
}

function rowOf(t: TrialState): LifetimeRow {
	const state = t.phase === 'complete' ? (isPruned(t) ? 'pruned' : 'complete') : t.phase;
	const end = t.complete ?? t.failed;
	return {
		trial: t.asked.trial,
		arm: t.asked.arm,
		purpose: t.asked.purpose,
		slot: t.asked.slot,
		attempt: t.asked.attempt,
		seed: t.asked.seed,
		state,
		value: t.complete?.value ?? null,
		params: paramsText(t.asked.params),
		logged: loggedText(t),
		ended_at: end?.at ?? null,
		wall_ms: end?.wall_ms ?? null,
		failure: t.failed === undefined ? null : `${t.failed.reason}: ${t.failed.message.slice(0, 300)}`,
	};
}

/** The rows of one study, kept up to date record by record; queries sorted and paged here. */
export class LifetimeIndex {
	private rows: (LifetimeRow | undefined)[] = [];
	private search: (string | undefined)[] = [];
	private order: { key: string; version: number; rows: LifetimeRow[]; at: number; ms: number } | undefined;
	private version = 0;
	private state: StudyState | undefined;
	/** trials whose rows were built and are out of date (a trial without a row is built when asked for: reading a journal marks nothing) */
	private readonly dirty = new Set<number>();

	/** Rebuild from a whole state (a new study, or one read again from its start). */
	reset(state: StudyState): void {
		this.state = state;
		this.rows = [];
		this.search = [];
		this.dirty.clear(); // no rows: each is built when first asked for
		this.version++;
	}

	/** Records just applied to `state`: the rows of the trials they name are rebuilt when next asked for (O(1) per record here). */
	update(state: StudyState, records: readonly JournalRecord[]): void {
		this.state = state;
		for (const r of records) if (r.type !== 'study' && r.type !== 'settings' && this.rows[r.trial] !== undefined) this.dirty.add(r.trial);
		this.version++;
	}

	/** Build every row that is out of date or was never built. */
	private refresh(): void {
		for (const trial of this.dirty) {
			const t = this.state?.trials[trial];
			if (t !== undefined) this.put(t);
		}
		this.dirty.clear();
		const trials = this.state?.trials ?? [];
		for (let i = 0; i < trials.length; i++) {
			const t = trials[i];
			if (t !== undefined && this.rows[i] === undefined) this.put(t);
		}
	}

	private put(t: TrialState): void {
		const row = rowOf(t);
		this.rows[row.trial] = row;
		this.search[row.trial] = undefined; // made when a filter first needs it
	}

	query(q: LifetimeQuery): LifetimePage {
		const t0 = performance.now();
		const byTrial = q.sort === 'trial' && q.filter.trim() === '' ? this.byTrial(q, t0) : undefined;
		if (byTrial !== undefined) return byTrial;
		const key = `${q.sort}\u0000${q.dir}\u0000${q.filter}`;
		const order = this.order;
		// the same order of an older version is kept for 3 x the time sorting took (a re-sort of 100k rows on every record would hold up the server)
		const wait = order === undefined ? 0 : 3 * order.ms - (t0 - order.at);
		let next_ms = 0;
		if (order?.key !== key || (order.version !== this.version && wait <= 0)) {
			this.refresh();
			const rows = this.sorted(q);
			const at = performance.now();
			this.order = { key, version: this.version, rows, at, ms: at - t0 };
		} else if (order.version !== this.version) next_ms = Math.ceil(wait);
		const rows = (this.order as { rows: LifetimeRow[] }).rows;
		const size = Math.min(500, Math.max(1, Math.floor(q.size)));
		const pages = Math.max(1, Math.ceil(rows.length / size));
		const page = Math.min(Math.max(0, Math.floor(q.page)), pages - 1);
		const total = this.present().length;
		return { rows: rows.slice(page * size, (page + 1) * size), total, matched: rows.length, page, size, ms: Math.round(performance.now() - t0), next_ms };
	}

	/** Trial numbers that have a row (all of 0..n-1 unless an asked record was lost). */
	private present(): { length: number; dense: boolean } {
		const trials = this.state?.trials ?? [];
		let length = 0;
		for (const t of trials) if (t !== undefined) length++;
		return { length, dense: length === trials.length };
	}

	/** A page in trial order without a filter, building only its rows (undefined: trial numbers have gaps, so the general path pages them). */
	private byTrial(q: LifetimeQuery, t0: number): LifetimePage | undefined {
		const { length: total, dense } = this.present();
		if (!dense) return undefined;
		const trials = this.state?.trials ?? [];
		const size = Math.min(500, Math.max(1, Math.floor(q.size)));
		const pages = Math.max(1, Math.ceil(total / size));
		const page = Math.min(Math.max(0, Math.floor(q.page)), pages - 1);
		const rows: LifetimeRow[] = [];
		for (let i = page * size; i < Math.min(total, (page + 1) * size); i++) {
			const trial = q.dir === 'asc' ? i : total - 1 - i;
			if (this.dirty.has(trial) || this.rows[trial] === undefined) {
				this.put(trials[trial] as TrialState);
				this.dirty.delete(trial);
			}
			rows.push(this.rows[trial] as LifetimeRow);
		}
		return { rows, total, matched: total, page, size, ms: Math.round(performance.now() - t0), next_ms: 0 };
	}

	private sorted(q: LifetimeQuery): LifetimeRow[] {
		const words = q.filter
			.toLowerCase()
			.split(/\s+/)
			.filter((w) => w !== '');
		const out: LifetimeRow[] = [];
		for (let i = 0; i < this.rows.length; i++) {
			const row = this.rows[i];
			if (row === undefined) continue;
			if (words.length > 0) {
				let text = this.search[i];
				if (text === undefined) {
					text = `${row.arm} ${row.purpose} ${row.state} ${row.params} ${row.logged} ${row.failure ?? ''}`.toLowerCase();
					this.search[i] = text;
				}
				if (!words.every((w) => text?.includes(w))) continue;
			}
			out.push(row);
		}
		const sign = q.dir === 'asc' ? 1 : -1;
		const col = q.sort;
		// missing values (a pending lifetime's value) sort last in either direction
		out.sort((a, b) => {
			const x = a[col];
			const y = b[col];
			if (x === y) return a.trial - b.trial;
			if (x === null) return 1;
			if (y === null) return -1;
			return sign * (x < y ? -1 : 1);
		});
		return out;
	}
}
