/**
 * Each arm's search as its searcher sees it: the search slots grouped into configurations
 * (`configGroups`: `repeats` lifetimes each), one searcher trial per configuration (`searcherTrials`),
 * and `ArmView`, the same kept up to date as replay (state.ts) applies records, so that no decision
 * walks every trial.
 */
import type { SearcherTrial } from '../../../searchers/searcher.js';
import type { Params } from '../../core/space.js';
import type { CompleteRecord, TrialPurpose } from './journal.js';
import { isEnded, type TrialState } from './trial-state.js';
import type { StudySpec } from '../spec/spec.js';
import { isMultiObjective, lifetimeValues, meanViolation } from '../spec/objectives.js';

/** What the groups are read from: the latest attempt of every slot, and the spec (state.ts's StudyState). */
interface ReplayedSlots {
	latest(arm: string, purpose: TrialPurpose): ReadonlyMap<number, TrialState>;
	readonly spec: StudySpec | undefined;
}

export interface ConfigGroup {
	readonly index: number;
	readonly params: Params;
	/** latest attempts of the group's slots */
	readonly lifetimes: readonly TrialState[];
}

/** Search slots grouped into configurations (repeats lifetimes each). */
export function configGroups(state: ReplayedSlots, arm: string, repeats: number): ConfigGroup[] {
	const groups = new Map<number, { index: number; params: Params; lifetimes: TrialState[] }>();
	for (const [slot, t] of state.latest(arm, 'search')) {
		const j = Math.floor(slot / repeats);
		let g = groups.get(j);
		if (g === undefined) {
			g = { index: j, params: t.asked.params, lifetimes: [] };
			groups.set(j, g);
		}
		g.lifetimes.push(t);
	}
	const out = [...groups.values()].sort((a, b) => a.index - b.index);
	for (const g of out) if (g.lifetimes.length > 1) g.lifetimes.sort((a, b) => a.asked.slot - b.asked.slot);
	return out;
}

/** The study fields a searcher trial's values and violation come from (objectives.ts); absent: one metric, no constraints. */
type ObjectivesOf = Pick<StudySpec, 'metric' | 'metrics' | 'constraints'>;

/**
 * What a searcher sees: one trial per configuration, valued by the mean over its complete lifetimes
 * (pruned ones at their last value, flagged `pruned`); with several metrics also `values` (the mean
 * per metric), with constraints `violation` (of the means of the constrained fields: objectives.ts).
 */
export function searcherTrials(groups: readonly ConfigGroup[], retries: number, repeats: number, spec?: ObjectivesOf): SearcherTrial[] {
	return groups.map((g) => searcherTrial(g, retries, repeats, spec));
}

function searcherTrial(g: ConfigGroup, retries: number, repeats: number, spec: ObjectivesOf | undefined): SearcherTrial {
	if (g.lifetimes.length < repeats) return { number: g.index, params: g.params, status: 'running' as const };
	// one loop, no intermediate arrays: a replay builds this once per configuration (100k of them in a large study)
	let complete = 0;
	let sum = 0;
	let pruned = false;
	for (const t of g.lifetimes) {
		if (!isEnded(t, retries)) return { number: g.index, params: g.params, status: 'running' as const };
		if (t.complete === undefined) continue;
		complete++;
		sum += t.complete.value;
		if (t.complete.pruned_at !== undefined) pruned = true;
	}
	if (complete === 0) return { number: g.index, params: g.params, status: 'failed' as const };
	const value = sum / complete;
	const multi = spec !== undefined && isMultiObjective(spec);
	if (!multi && spec?.constraints === undefined)
		return pruned ? { number: g.index, params: g.params, status: 'complete' as const, value, pruned: true } : { number: g.index, params: g.params, status: 'complete' as const, value };
	const done = g.lifetimes.map((t) => t.complete).filter((c): c is CompleteRecord => c !== undefined);
	const values = multi ? meanValues(spec, done) : undefined;
	const violation = spec?.constraints === undefined ? undefined : meanViolation(spec, done);
	return {
		number: g.index,
		params: g.params,
		status: 'complete' as const,
		value,
		...(values === undefined ? {} : { values }),
		...(violation === undefined ? {} : { violation }),
		...(pruned ? { pruned: true } : {}),
	};
}

/** The mean of each metric over the lifetimes. */
function meanValues(spec: ObjectivesOf, done: readonly CompleteRecord[]): number[] {
	const sums = lifetimeValues(spec, done[0] as CompleteRecord).map(() => 0);
	for (const c of done) {
		lifetimeValues(spec, c).forEach((v, k) => {
			sums[k] = (sums[k] as number) + v;
		});
	}
	return sums.map((s) => s / done.length);
}

/**
 * `configGroups` + `searcherTrials` of one arm, kept up to date: a record rebuilds only the group
 * of the slot it touched (O(repeats)). Groups are dense (0..G-1) unless records were lost; then the
 * batch definitions are used. `current()` returns this view's own arrays, not copies (a copy per
 * decision made a study of N lifetimes cost O(N^2)): they are valid until the next record is
 * applied, which is all a searcher's `ask` (synchronous) needs; callers must not modify them.
 */
export class ArmView {
	private readonly groups: (ConfigGroup | undefined)[] = [];
	private readonly trials: (SearcherTrial | undefined)[] = [];
	private present = 0;
	private readonly dirty = new Set<number>();

	constructor(
		private readonly state: ReplayedSlots,
		readonly arm: string,
		readonly repeats: number,
		readonly retries: number,
	) {
		for (const slot of state.latest(arm, 'search').keys()) this.touch(slot);
	}

	touch(slot: number): void {
		this.dirty.add(Math.floor(slot / this.repeats));
	}

	current(): { groups: ConfigGroup[]; trials: SearcherTrial[] } {
		if (this.dirty.size > 0) {
			const latest = this.state.latest(this.arm, 'search');
			for (const j of this.dirty) {
				const lifetimes: TrialState[] = [];
				for (let slot = j * this.repeats; slot < (j + 1) * this.repeats; slot++) {
					const t = latest.get(slot);
					if (t !== undefined) lifetimes.push(t);
				}
				const first = lifetimes[0];
				if (first === undefined) continue;
				const group: ConfigGroup = { index: j, params: first.asked.params, lifetimes };
				if (this.groups[j] === undefined) this.present++;
				this.groups[j] = group;
				this.trials[j] = searcherTrial(group, this.retries, this.repeats, this.state.spec);
			}
			this.dirty.clear();
		}
		if (this.present !== this.groups.length) {
			const groups = configGroups(this.state, this.arm, this.repeats);
			return { groups, trials: searcherTrials(groups, this.retries, this.repeats, this.state.spec) };
		}
		return { groups: this.groups as ConfigGroup[], trials: this.trials as SearcherTrial[] };
	}
}
