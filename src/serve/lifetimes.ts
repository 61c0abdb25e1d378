/**
 * The lifetime table of a study page: every attempt of every lifetime (one row per trial number),
 * sorted, filtered and paginated here, so the page receives one page of rows whatever the study's
 * size (optuna-dashboard sends every trial to the browser and stops coping past ~10k: #385).
 *
 *   row      trial, arm, purpose, slot, attempt, seed, state (pending, running, complete, pruned,
 *            failed), value, params (`name=value, ...`), logged (the scalar fields the lifetime
 *            returned), end time, wall time
 *   index    the rows, updated per record (O(1): only the record's trial's row is rebuilt)
 *   query    sort column and direction, a filter (case-insensitive text matched against arm, state,
 *            params, logged fields and the failure message; or `state:failed`-like prefixes), page,
 *            page size (at most 500). The sorted order is cached per (version, sort, filter), so
 *            paging is O(page size)
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
	private order: { key: string; rows: LifetimeRow[] } | undefined;
	private version = 0;

	/** Rebuild from a whole state (a new study, or one read again from its start). */
	reset(state: StudyState): void {
		this.rows = [];
		this.search = [];
		for (const t of state.trials) if (t !== undefined) this.put(t);
		this.version++;
	}

	/** Records just applied to `state`: rebuild the rows of the trials they name. */
	update(state: StudyState, records: readonly JournalRecord[]): void {
		for (const r of records) {
			if (r.type === 'study' || r.type === 'settings') continue;
			const t = state.trials[r.trial];
			if (t !== undefined) this.put(t);
		}
		this.version++;
	}

	private put(t: TrialState): void {
		const row = rowOf(t);
		this.rows[row.trial] = row;
		this.search[row.trial] = `${row.arm} ${row.purpose} ${row.state} ${row.params} ${row.logged} ${row.failure ?? ''}`.toLowerCase();
	}

	query(q: LifetimeQuery): LifetimePage {
		const t0 = performance.now();
		const key = `${this.version}\u0000${q.sort}\u0000${q.dir}\u0000${q.filter}`;
		if (this.order?.key !== key) this.order = { key, rows: this.sorted(q) };
		const rows = this.order.rows;
		const size = Math.min(500, Math.max(1, Math.floor(q.size)));
		const pages = Math.max(1, Math.ceil(rows.length / size));
		const page = Math.min(Math.max(0, Math.floor(q.page)), pages - 1);
		let total = 0;
		for (const r of this.rows) if (r !== undefined) total++;
		return { rows: rows.slice(page * size, (page + 1) * size), total, matched: rows.length, page, size, ms: Math.round(performance.now() - t0) };
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
			const text = this.search[i] as string;
			if (words.every((w) => text.includes(w))) out.push(row);
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
