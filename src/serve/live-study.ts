/**
 * One study as the server follows it: its replayed state, grown record by record as its storage's
 * reader (tail-file.ts, tail-postgres.ts) hands over what was appended, never replayed again unless
 * the storage started over (`run --fresh`, a deleted and re-created study: `reset`).
 *
 * Notation
 *   version   the number of batches applied (and resets): a view computed at version v is current
 *             while `version === v`, so every derived view (views.ts) is cached per version
 *   tally     per arm, the counts the study list shows (ended, failed, search lifetimes ended, best,
 *             pruned), kept up to date per record: O(1) per record, the same numbers `armCounts`
 *             (study/view.ts) computes by a walk over every lifetime (test/serve/live-study.test.ts
 *             checks they agree). A `settings` record (retries may change what counts as ended)
 *             marks it stale; it is then rebuilt once from the state
 *   loading   while a reader catches up on what is stored (a whole journal at start, read in batches
 *             between which the server answers requests): the bytes read of the bytes there; the
 *             views that walk every lifetime (overview, figures) wait for its end, the page shows it
 *   warnings  what the readers said about this study (corrupted lines, a replay `run` would
 *             refuse, a journal gone or replaced, a database unreachable), in the CLI's words; the
 *             page shows them as the terminal does
 */
import { lossSign } from '../../searchers/common.js';
import type { CompleteRecord, FailedRecord, JournalRecord } from '../study/journal/journal.js';
import type { Owner } from '../study/journal/lock.js';
import { StudyState } from '../study/journal/state.js';
import { inconsistencyWarning, type StoredStudy } from '../study/stored.js';
import { armBudget, armReevaluations } from '../study/spec/spec.js';
import { isEnded, isPruned, type TrialState } from '../study/view.js';
import { LifetimeIndex } from './lifetimes.js';

/** `lines`: the journal text the records were read from (complete lines, the first being line `firstLine`), so a second reader can parse them itself instead of being sent the records. */
export type StudyChange = { readonly kind: 'records'; readonly records: readonly JournalRecord[]; readonly lines?: JournalLines } | { readonly kind: 'reset' };

export interface JournalLines {
	readonly text: string;
	readonly firstLine: number;
}

export interface ArmTally {
	ended: number;
	failed: number;
	searchEnded: number;
	pruned: number;
	best: number | undefined;
}

/** At most this many reader warnings are kept per study (the first ones: later ones repeat them). */
const maxWarnings = 50;

export class LiveStudy {
	state = new StudyState();
	version = 0;
	/** the lifetime table's rows, updated with every batch */
	readonly lifetimes = new LifetimeIndex();
	/** the last record's time (ISO 8601): the study's last activity */
	lastActivity: string | undefined;
	/** liveness of the owners of unfinished lifetimes as the database reports them (PostgreSQL); else presence files are read */
	alive: ((owner: Owner) => boolean) | undefined;
	/** set while the reader catches up (header) */
	loading: { readonly read: number; readonly size: number } | undefined;
	private tallies = new Map<string, ArmTally>();
	private tallyStale = false;
	private readonly readerWarnings: string[] = [];
	/** standing problems of the storage (gone, unreachable), by kind: shown until they clear */
	private readonly problems = new Map<string, string>();
	private inconsistencyWarned = false;
	private readonly listeners: ((change: StudyChange) => void)[] = [];

	constructor(
		/** how the study is named on the command line and in URLs (its folder or database name) */
		readonly key: string,
		/** the journal file, or the database URL (without password) and study name */
		public where: string,
		readonly dir: string,
		private readonly onWarning: (message: string) => void,
	) {}

	/** Apply records read from the storage (in order) and warn once about a replay `run` would refuse. */
	apply(records: readonly JournalRecord[], lines?: JournalLines): void {
		if (records.length === 0) return;
		for (let i = 0; i < records.length; i++) {
			const r = records[i] as JournalRecord;
			this.state.apply(records, i, i + 1); // the batch itself, so a skipped record is named by its place
			this.count(r);
			if (this.lastActivity === undefined || r.at > this.lastActivity) this.lastActivity = r.at;
		}
		this.lifetimes.update(this.state, records);
		for (const l of this.listeners) l(lines === undefined ? { kind: 'records', records } : { kind: 'records', records, lines });
		this.version++;
		const broken = this.state.inconsistency();
		if (broken !== undefined && !this.inconsistencyWarned) {
			this.inconsistencyWarned = true;
			this.warn(inconsistencyWarning(this.where, broken));
		}
	}

	/** Forget every record (the storage started over); the warnings about the old records go with them. */
	reset(): void {
		this.state = new StudyState();
		this.tallies = new Map();
		this.tallyStale = false;
		this.lastActivity = undefined;
		this.readerWarnings.length = 0;
		this.inconsistencyWarned = false;
		this.lifetimes.reset(this.state);
		for (const l of this.listeners) l({ kind: 'reset' });
		this.version++;
	}

	/** The reader's progress while it catches up, or undefined once it has (a change of the study: its views can be computed now). */
	setLoading(loading: { readonly read: number; readonly size: number } | undefined): void {
		if (loading === undefined && this.loading === undefined) return;
		this.loading = loading;
		this.version++;
	}

	/** Be told of every batch applied and every reset from now on (the figure worker's copy follows this one). */
	onChange(listener: (change: StudyChange) => void): void {
		this.listeners.push(listener);
	}

	/** A reader's warning about the records (a corrupted line): printed once and kept for the page. */
	warn(message: string): void {
		this.onWarning(message);
		if (this.readerWarnings.length < maxWarnings) this.readerWarnings.push(message);
		this.version++;
	}

	/** A standing problem of the storage (`kind`: gone, unreachable, ...), or its end (undefined). */
	setProblem(kind: string, message: string | undefined): void {
		const had = this.problems.get(kind);
		if (had === message) return;
		if (message === undefined) this.problems.delete(kind);
		else {
			this.problems.set(kind, message);
			this.onWarning(message);
		}
		this.version++;
	}

	get warnings(): readonly string[] {
		return [...this.problems.values(), ...this.readerWarnings];
	}

	/** The study as the reports read it, or undefined before its study record was read. */
	stored(): StoredStudy | undefined {
		const spec = this.state.spec;
		if (spec === undefined) return undefined;
		const corrupted = this.readerWarnings.length > 0 || this.state.inconsistency() !== undefined;
		return { spec, state: this.state, journalPath: this.where, dir: this.dir, ...(this.alive === undefined ? {} : { alive: this.alive }), ...(corrupted ? { corrupted: true as const } : {}) };
	}

	/** Per arm: lifetimes ended of the planned total, failed ones, and the best unpruned search value so far (armCounts' numbers). */
	armTallies(): { arm: string; ended: number; total: number; failed: number; pruned: number; best: number | undefined }[] {
		const spec = this.state.spec;
		if (spec === undefined) return [];
		if (this.tallyStale) this.rebuildTallies();
		return spec.arms.map((arm) => {
			const t = this.tallies.get(arm.name) ?? emptyTally();
			const nothingToReevaluate = t.searchEnded >= armBudget(spec, arm) && t.best === undefined;
			const planned = armBudget(spec, arm) + (nothingToReevaluate ? 0 : armReevaluations(spec, arm));
			return { arm: arm.name, ended: t.ended, total: Math.max(planned, t.ended), failed: t.failed, pruned: t.pruned, best: t.best };
		});
	}

	private count(r: JournalRecord): void {
		if (r.type === 'settings') this.tallyStale = true;
		if (this.tallyStale || (r.type !== 'complete' && r.type !== 'failed')) return;
		const t = this.state.trials[r.trial];
		// a record replay skipped (a contradiction, a stale lease) counts for nothing
		if (t === undefined || (t.complete !== r && t.failed !== r)) return;
		this.countEnd(t, r);
	}

	private countEnd(t: TrialState, r: CompleteRecord | FailedRecord): void {
		const spec = this.state.spec;
		if (spec === undefined) return;
		if (this.state.latest(t.asked.arm, t.asked.purpose).get(t.asked.slot) !== t || !isEnded(t, spec.retries)) return;
		let tally = this.tallies.get(t.asked.arm);
		if (tally === undefined) {
			tally = emptyTally();
			this.tallies.set(t.asked.arm, tally);
		}
		tally.ended++;
		const search = t.asked.purpose === 'search';
		if (search) tally.searchEnded++;
		if (r.type === 'failed') {
			tally.failed++;
			return;
		}
		if (!search) return;
		if (isPruned(t)) {
			tally.pruned++;
			return;
		}
		const sign = lossSign(spec.direction);
		if (tally.best === undefined || sign * r.value < sign * tally.best) tally.best = r.value;
	}

	private rebuildTallies(): void {
		this.tallies = new Map();
		this.tallyStale = false;
		for (const t of this.state.trials) {
			if (t === undefined) continue;
			const end = t.complete ?? t.failed;
			if (end !== undefined) this.countEnd(t, end);
		}
	}
}

const emptyTally = (): ArmTally => ({ ended: 0, failed: 0, searchEnded: 0, pruned: 0, best: undefined });
