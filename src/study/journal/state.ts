/**
 * Replay: journal records -> the state of every trial, and the per-arm views the scheduler and the
 * reports need. Pure data; no I/O.
 *
 * Notation
 *   trial     study-wide number (order of `asked` records)
 *   slot      a lifetime's index in its arm and purpose; attempts of one slot share params and seed
 *   latest    the highest attempt of a slot (earlier attempts failed)
 *   ended     complete, or failed with no retry left (attempt > retries)
 *   config j  search slots j*repeats .. (j+1)*repeats-1: one configuration, `repeats` seeds
 *
 * What the scheduler reads per decision is kept up to date as records are applied instead of being
 * rebuilt from every trial: the unended trials are a set, and each arm's configuration groups and
 * searcher trials (`ArmView`) are rebuilt only for the groups a record touched, and the latest
 * attempts that failed (retry candidates) are a set. So applying a record is O(repeats) and no
 * decision walks every trial. `configGroups`/`searcherTrials` are the batch definitions the views
 * must equal.
 *
 * One trial's state and what readers ask of it: trial-state.ts; the arms' views and their batch
 * definitions: arm-view.ts (both re-exported here).
 */
import { ArmView } from './arm-view.js';
import type { JournalRecord, Lease, StudyRecord, TrialPurpose } from './journal.js';
import { paramsProblem, placeAt } from './check.js';
import { ReportLog } from './reports.js';
import { reportAt, type TrialState } from './trial-state.js';
import type { StudySpec } from '../spec/spec.js';

const noFits: ReadonlyMap<string, readonly number[]> = new Map();

export class StudyState {
	study: StudyRecord | undefined;
	/** the latest `settings` record: the spec's mutable fields as last opened (budget, reevaluate, ...) */
	private settings: StudySpec | undefined;
	readonly trials: TrialState[] = [];
	/** arm -> purpose -> slot -> latest attempt */
	private readonly slots = new Map<string, Map<TrialPurpose, Map<number, TrialState>>>();
	/** pending or running trials, in the order asked */
	private readonly open = new Set<TrialState>();
	/** arm -> views of that arm's search groups (one per repeats/retries setting asked for) */
	private readonly views = new Map<string, ArmView[]>();
	/** arm -> model fits recorded with its asked records (key -> parameters: searchers/searcher.ts) */
	private readonly recordedFits = new Map<string, Map<string, readonly number[]>>();
	/** latest attempts that failed (a retry may be due), in the order they failed */
	private readonly failedLatest = new Set<TrialState>();
	/** asked records applied (trial numbers are dense, so this equals `trials.length` unless one was lost) */
	private askedCount = 0;
	/** the first running/complete/failed record naming a trial no asked record created */
	private strayTrial: number | undefined;
	/** the first record that contradicts the study or the records before it (skipped), and where it was stored */
	private contradiction: string | undefined;

	/**
	 * What makes this replay unsafe to schedule from, or undefined: a record that contradicts the
	 * study (params outside its space, an unknown arm, a trial asked twice, a report repeated or out
	 * of order, a second end record: skipped, and named by where it was stored), a trial number with
	 * no asked record before a later one (a lost record; the scheduler would refill the slot it
	 * held), or an end record of a trial never asked. O(1) when consistent.
	 */
	inconsistency(): string | undefined {
		if (this.contradiction !== undefined) return this.contradiction;
		if (this.askedCount !== this.trials.length) {
			let missing = 0;
			while (this.trials[missing] !== undefined) missing++;
			return `the asked record of trial ${missing} is missing (trials up to ${this.trials.length - 1} were asked)`;
		}
		if (this.strayTrial !== undefined) return `trial ${this.strayTrial} has records but no asked record`;
		return undefined;
	}

	/** Apply `records[from..to)` in order (a reader's batch, whose places name a skipped record: check.ts `placeAt`). */
	apply(records: readonly JournalRecord[], from = 0, to = records.length): void {
		for (let i = from; i < to; i++) {
			const wrong = this.applyOne(records[i] as JournalRecord);
			if (wrong !== undefined) this.contradiction ??= `the record at ${placeAt(records, i) ?? 'the end of the journal'} ${wrong}`;
		}
	}

	/** Forget every record applied (the state of an empty journal), to replay the storage from its start. */
	reset(): void {
		Object.assign(this, new StudyState());
	}

	/** Apply one record, or skip it and say how it contradicts the study or the records before it. */
	private applyOne(r: JournalRecord): string | undefined {
		const wrong = this.contradictionOf(r);
		if (wrong !== undefined) return wrong;
		switch (r.type) {
			case 'study':
				this.study ??= r;
				return;
			case 'settings':
				this.settings = r.spec;
				return;
			case 'asked': {
				const t: TrialState = { asked: r, phase: 'pending', owner: r.owner, takes: 0 };
				this.trials[r.trial] = t;
				this.askedCount++;
				this.open.add(t);
				const bySlot = this.slotMap(r.arm, r.purpose);
				const prev = bySlot.get(r.slot);
				if (prev === undefined || prev.asked.attempt < r.attempt) {
					bySlot.set(r.slot, t);
					if (prev !== undefined) this.failedLatest.delete(prev);
				}
				this.touched(t);
				if (r.fits !== undefined && r.fits.length > 0) {
					let fits = this.recordedFits.get(r.arm);
					if (fits === undefined) {
						fits = new Map();
						this.recordedFits.set(r.arm, fits);
					}
					for (const fit of r.fits) fits.set(fit.key, fit.theta);
				}
				return;
			}
			case 'running': {
				const t = this.trials[r.trial];
				if (t === undefined) this.strayTrial ??= r.trial;
				if (t === undefined || t.phase === 'complete' || t.phase === 'failed') return;
				t.phase = 'running';
				t.owner = r.owner;
				t.takes++;
				t.started_at = r.at;
				return;
			}
			case 'report': {
				const t = this.trials[r.trial];
				if (t === undefined) this.strayTrial ??= r.trial;
				if (t === undefined) return;
				if (t.reportLog === undefined) {
					t.reportLog = new ReportLog();
					t.reports = t.reportLog.list;
				}
				t.reportLog.add(r); // a report at a step already recorded (a re-run's) is not added
				return;
			}
			case 'complete': {
				const t = this.trials[r.trial];
				if (t === undefined) this.strayTrial ??= r.trial;
				if (t === undefined || !holdsLease(t, r.lease)) return; // an end under a lease taken over since is skipped
				t.phase = 'complete';
				t.complete = r;
				this.open.delete(t);
				this.touched(t);
				return;
			}
			case 'failed': {
				const t = this.trials[r.trial];
				if (t === undefined) this.strayTrial ??= r.trial;
				if (t === undefined || !holdsLease(t, r.lease)) return;
				t.phase = 'failed';
				t.failed = r;
				this.open.delete(t);
				if (this.slotMap(t.asked.arm, t.asked.purpose).get(t.asked.slot) === t) this.failedLatest.add(t);
				this.touched(t);
				return;
			}
		}
	}

	/**
	 * How `r` contradicts the study or the records applied before it (it is then skipped, and the
	 * first such record is what makes the replay unsafe: `inconsistency`), or undefined.
	 */
	private contradictionOf(r: JournalRecord): string | undefined {
		switch (r.type) {
			case 'study':
			case 'settings':
			case 'running':
				return undefined;
			case 'asked': {
				if (this.trials[r.trial] !== undefined) return `asks for trial ${r.trial} again`;
				const spec = this.spec;
				if (spec === undefined) return undefined;
				if (!spec.arms.some((a) => a.name === r.arm)) return `asks for trial ${r.trial} of arm ${JSON.stringify(r.arm)}, which the study does not have`;
				const problem = paramsProblem(spec.space, r.params);
				return problem === undefined ? undefined : `asks for trial ${r.trial} with params the study cannot give: ${problem}`;
			}
			case 'report': {
				const t = this.trials[r.trial];
				if (t === undefined) return undefined; // a stray record: `inconsistency` names its trial
				if (reportAt(t, r.step) !== undefined) return `repeats trial ${r.trial}'s report at step ${r.step}`;
				const next = t.reports?.length ?? 0;
				return r.index === undefined || r.index === next ? undefined : `is report ${r.index} of trial ${r.trial} where report ${next} comes next (a report line was lost, repeated or moved)`;
			}
			case 'complete':
			case 'failed': {
				const phase = this.trials[r.trial]?.phase;
				return phase === 'complete' || phase === 'failed' ? `ends trial ${r.trial} a second time (it ended ${phase})` : undefined;
			}
		}
	}

	/** Tell the arm's views that a trial was asked or ended (running changes nothing they show). */
	private touched(t: TrialState): void {
		if (t.asked.purpose !== 'search') return;
		const views = this.views.get(t.asked.arm);
		if (views !== undefined) for (const v of views) v.touch(t.asked.slot);
	}

	/** The model fits recorded for `arm`'s searcher so far (its own map: valid until the next record is applied). */
	fits(arm: string): ReadonlyMap<string, readonly number[]> {
		return this.recordedFits.get(arm) ?? noFits;
	}

	/** The incrementally maintained search groups of `arm` (created on first use). */
	armView(arm: string, repeats: number, retries: number): ArmView {
		let views = this.views.get(arm);
		if (views === undefined) {
			views = [];
			this.views.set(arm, views);
		}
		let view = views.find((v) => v.repeats === repeats && v.retries === retries);
		if (view === undefined) {
			view = new ArmView(this, arm, repeats, retries);
			views.push(view);
		}
		return view;
	}

	private slotMap(arm: string, purpose: TrialPurpose): Map<number, TrialState> {
		let byPurpose = this.slots.get(arm);
		if (byPurpose === undefined) {
			byPurpose = new Map();
			this.slots.set(arm, byPurpose);
		}
		let bySlot = byPurpose.get(purpose);
		if (bySlot === undefined) {
			bySlot = new Map();
			byPurpose.set(purpose, bySlot);
		}
		return bySlot;
	}

	/** Latest attempt of every slot of an arm, by slot. */
	latest(arm: string, purpose: TrialPurpose): ReadonlyMap<number, TrialState> {
		return this.slotMap(arm, purpose);
	}

	/** The spec readers count against: the study record's, with the mutable fields of the latest `settings` record. */
	get spec(): StudySpec | undefined {
		return this.settings ?? this.study?.spec;
	}

	/** Latest attempts of their slots that failed (whether retries are left is the caller's to judge). O(failed), not O(trials). */
	failedLatestAttempts(): Iterable<TrialState> {
		return this.failedLatest;
	}

	get nextTrial(): number {
		return this.trials.length;
	}

	/** Every trial that has not ended (pending or running), by trial number. */
	unended(): TrialState[] {
		const out = [...this.open];
		for (let i = 1; i < out.length; i++) {
			if ((out[i] as TrialState).asked.trial < (out[i - 1] as TrialState).asked.trial) return out.sort((a, b) => a.asked.trial - b.asked.trial);
		}
		return out;
	}
}

/** Whether an end record run under `lease` may end `t`: it is the trial's current lease (or the record has none: journal.ts). */
function holdsLease(t: TrialState, lease: Lease | undefined): boolean {
	return lease === undefined || (lease.run === t.owner.run && lease.take === t.takes);
}

export { ArmView, type ConfigGroup, configGroups, searcherTrials } from './arm-view.js';
export { isEnded, isPruned, reportAt, stopReport, type TrialState, trialValue } from './trial-state.js';
