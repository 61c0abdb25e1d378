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
 */
import type { SearcherTrial } from '../../searchers/searcher.js';
import type { Params } from '../space.js';
import type { AskedRecord, CompleteRecord, FailedRecord, JournalRecord, StudyRecord, TrialPurpose } from './journal.js';
import type { Owner } from './lock.js';

export type TrialPhase = 'pending' | 'running' | 'complete' | 'failed';

export interface TrialState {
	readonly asked: AskedRecord;
	phase: TrialPhase;
	owner: Owner;
	started_at?: string;
	complete?: CompleteRecord;
	failed?: FailedRecord;
}

export class StudyState {
	study: StudyRecord | undefined;
	readonly trials: TrialState[] = [];
	/** arm -> purpose -> slot -> latest attempt */
	private readonly slots = new Map<string, Map<TrialPurpose, Map<number, TrialState>>>();

	apply(records: readonly JournalRecord[]): void {
		for (const r of records) this.applyOne(r);
	}

	private applyOne(r: JournalRecord): void {
		switch (r.type) {
			case 'study':
				this.study ??= r;
				return;
			case 'asked': {
				if (this.trials[r.trial] !== undefined) return; // duplicate line (should not happen under the lock)
				const t: TrialState = { asked: r, phase: 'pending', owner: r.owner };
				this.trials[r.trial] = t;
				const bySlot = this.slotMap(r.arm, r.purpose);
				const prev = bySlot.get(r.slot);
				if (prev === undefined || prev.asked.attempt < r.attempt) bySlot.set(r.slot, t);
				return;
			}
			case 'running': {
				const t = this.trials[r.trial];
				if (t === undefined || t.phase === 'complete' || t.phase === 'failed') return;
				t.phase = 'running';
				t.owner = r.owner;
				t.started_at = r.at;
				return;
			}
			case 'complete': {
				const t = this.trials[r.trial];
				if (t === undefined || t.phase === 'complete' || t.phase === 'failed') return; // first end wins
				t.phase = 'complete';
				t.complete = r;
				return;
			}
			case 'failed': {
				const t = this.trials[r.trial];
				if (t === undefined || t.phase === 'complete' || t.phase === 'failed') return;
				t.phase = 'failed';
				t.failed = r;
				return;
			}
		}
	}

	private slotMap(arm: string, purpose: TrialPurpose): Map<number, TrialState> {
		let byPurpose = this.slots.get(arm);
		if (byPurpose === undefined) this.slots.set(arm, (byPurpose = new Map()));
		let bySlot = byPurpose.get(purpose);
		if (bySlot === undefined) byPurpose.set(purpose, (bySlot = new Map()));
		return bySlot;
	}

	/** Latest attempt of every slot of an arm, by slot. */
	latest(arm: string, purpose: TrialPurpose): ReadonlyMap<number, TrialState> {
		return this.slotMap(arm, purpose);
	}

	get nextTrial(): number {
		return this.trials.length;
	}

	/** Every trial that has not ended (pending or running). */
	unended(): TrialState[] {
		return this.trials.filter((t) => t !== undefined && (t.phase === 'pending' || t.phase === 'running'));
	}
}

export function isEnded(t: TrialState, retries: number): boolean {
	return t.phase === 'complete' || (t.phase === 'failed' && t.asked.attempt > retries);
}

/** The objective value of a complete trial. */
export function valueOf(t: TrialState): number | undefined {
	return t.complete?.value;
}

export interface ConfigGroup {
	readonly index: number;
	readonly params: Params;
	/** latest attempts of the group's slots */
	readonly lifetimes: readonly TrialState[];
}

/** Search slots grouped into configurations (repeats lifetimes each). */
export function configGroups(state: StudyState, arm: string, repeats: number): ConfigGroup[] {
	const groups = new Map<number, { index: number; params: Params; lifetimes: TrialState[] }>();
	for (const [slot, t] of state.latest(arm, 'search')) {
		const j = Math.floor(slot / repeats);
		let g = groups.get(j);
		if (g === undefined) groups.set(j, (g = { index: j, params: t.asked.params, lifetimes: [] }));
		g.lifetimes.push(t);
	}
	const out = [...groups.values()].sort((a, b) => a.index - b.index);
	for (const g of out) if (g.lifetimes.length > 1) g.lifetimes.sort((a, b) => a.asked.slot - b.asked.slot);
	return out;
}

/** What a searcher sees: one trial per configuration, valued by the mean over its complete lifetimes. */
export function searcherTrials(groups: readonly ConfigGroup[], retries: number, repeats: number): SearcherTrial[] {
	return groups.map((g) => {
		const values = g.lifetimes.map(valueOf).filter((v): v is number => v !== undefined);
		const allEnded = g.lifetimes.length >= repeats && g.lifetimes.every((t) => isEnded(t, retries));
		if (!allEnded) return { number: g.index, params: g.params, status: 'running' as const };
		if (values.length === 0) return { number: g.index, params: g.params, status: 'failed' as const };
		return { number: g.index, params: g.params, status: 'complete' as const, value: values.reduce((a, b) => a + b, 0) / values.length };
	});
}
