/**
 * The read-only view of a stored study that reports, `status` and the terminal progress read: its
 * spec and replayed trials (stored.ts), per-arm counts, completeness, liveness of unfinished
 * lifetimes, what each arm chose, and what a tuner arm's lifetimes logged about their tuned params.
 * Reports import nothing else of the study layer, so they never touch the lock, the scheduler or a
 * searcher directly (as Optuna's plots read a study only through `get_trials()`).
 *
 * Notation
 *   ended        complete lifetimes plus failed ones with no retry left, per arm: total = budget + reevaluate
 *                (several metrics: reevaluate per configuration of the arm's Pareto front)
 *                as last recorded in the journal (a `settings` record), or ended when a lowered budget
 *                left more
 *   unfinished   asked (or running) lifetimes without an end record: running when their process still
 *                heartbeats (owners/), else interrupted (they re-run on the next `metatune run`)
 *   complete     the scheduler has nothing left to run or wait for: every arm used its budget or
 *                exhausted its space, and re-evaluations ended
 */
import { join } from 'node:path';
import { lossSign } from '../../searchers/common.js';
import type { SearcherConfig } from '../../searchers/config.js';
import { createSearcher } from '../../searchers/index.js';
import type { Searcher, SearcherTrial } from '../../searchers/searcher.js';
import type { Params } from '../core/space.js';
import { createTuner } from '../tuners/index.js';
import type { TunedOutcome } from '../tuners/tuner.js';
import type { Owner } from './journal/lock.js';
import { newOwner, ownerAlive } from './journal/owners.js';
import { type ConfigGroup, isEnded, type StudyState, type TrialState } from './journal/state.js';
import { armProgress, chosenParams, decide, type ArmDriver } from './run/scheduler.js';
import { type Arm, armBudget, armReevaluations, armRole, type StudySpec } from './spec/spec.js';
import type { StoredStudy } from './stored.js';
import { frontOf, isMultiObjective, lifetimeViolation } from './spec/objectives.js';

export { loadStoredStudy, loadStudy, type StoredStudy } from './stored.js';
export type { CatalogEntry } from './catalog.js';
export { configGroups, isEnded, isPruned, trialValue, type ConfigGroup, type TrialState } from './journal/state.js';
export type { ReportRecord, TrialPurpose, WarningSink } from './journal/journal.js';
export { armPruner } from './spec/spec.js';
export { rungResources } from './run/pruner.js';
export { boundMessage } from './run/stored-sizes.js';
export { armRole, type Arm, type StudySpec } from './spec/spec.js';
export { frontOf, isMultiObjective, lifetimeValues, lifetimeViolation, type MetricSpec } from './spec/objectives.js';
export { isPopulationArm } from './run/population-arm.js';
export { populationHistory } from './population-view.js';
export { heldCheckpoints } from './run/checkpoints.js';
export type { CheckpointDigest, Segment } from './journal/journal.js';
export type { TunedOutcome } from '../tuners/tuner.js';

/** A study's spec and replayed state: a stored study, or one a process holds open. */
export interface StudyRecords {
	readonly spec: StudySpec;
	readonly state: StudyState;
}

export interface ArmCounts {
	readonly arm: string;
	readonly ended: number;
	readonly total: number;
	readonly failed: number;
	readonly best: number | undefined;
}

/** Per-arm progress from the replayed state. */
export function armCounts({ spec, state }: StudyRecords): ArmCounts[] {
	const sign = lossSign(spec.direction);
	return spec.arms.map((arm) => {
		let ended = 0;
		let failed = 0;
		let searchEnded = 0;
		let best: number | undefined;
		for (const purpose of ['search', 'reevaluate'] as const) {
			for (const t of state.latest(arm.name, purpose).values()) {
				if (!isEnded(t, spec.retries)) continue;
				ended++;
				if (purpose === 'search') searchEnded++;
				if (t.phase === 'failed') failed++;
				// a pruned value is partial; an infeasible lifetime is never the best
				const v = t.complete?.pruned_at === undefined && !(lifetimeViolation(spec, t.complete ?? { value: 0, fields: {} }) > 0) ? t.complete?.value : undefined;
				if (purpose === 'search' && v !== undefined && (best === undefined || sign * v < sign * best)) best = v;
			}
		}
		// a search in which no lifetime succeeded has no configuration to re-evaluate
		const nothingToReevaluate = searchEnded >= armBudget(spec, arm) && best === undefined;
		// several metrics: each configuration of the front is re-evaluated (known once the search ended)
		const perTarget = armReevaluations(spec, arm);
		const targets = isMultiObjective(spec) && armRole(arm).role === 'search' ? frontOf(spec, armProgress(spec, state, arm.name).trials).length : 1;
		const planned = armBudget(spec, arm) + (nothingToReevaluate ? 0 : perTarget * Math.max(1, targets));
		// a budget lowered after more lifetimes ended keeps them: the study is done at what it has
		return { arm: arm.name, ended, total: Math.max(planned, ended), failed, best };
	});
}

/** Whether the process that owns an unfinished lifetime still heartbeats. */
export function ownerRunning(stored: StoredStudy, owner: Owner): boolean {
	return stored.alive?.(owner) ?? ownerAlive(join(stored.dir, 'owners'), owner);
}

export type Progress =
	| { readonly kind: 'complete'; readonly ended: number; readonly total: number }
	| { readonly kind: 'running'; readonly ended: number; readonly total: number; readonly running: number; readonly interrupted: number }
	| { readonly kind: 'interrupted'; readonly ended: number; readonly total: number; readonly interrupted: number };

/** Whether the study is complete, still running somewhere, or interrupted, with its counts (`counts`: its `armCounts`, when the caller has them: they walk every lifetime). */
export function studyProgress(stored: StoredStudy, counts: readonly ArmCounts[] = armCounts(stored)): Progress {
	const ended = counts.reduce((s, c) => s + c.ended, 0);
	const total = counts.reduce((s, c) => s + c.total, 0);
	const unended = stored.state.unended();
	const alive = (owner: Owner) => ownerRunning(stored, owner);
	const running = unended.filter((t) => alive(t.owner)).length;
	const interrupted = unended.length - running;
	const drivers = new Map(stored.spec.arms.map((a) => [a.name, armDriver(a)]));
	// what a new process would do next: nothing left to run or wait for means complete
	const next = decide({ spec: stored.spec, state: stored.state, me: newOwner(), alive, driver: (arm) => drivers.get(arm) as ArmDriver, inFlight: new Set(), stopping: false });
	if (next.kind === 'done' && unended.length === 0) return { kind: 'complete', ended, total: ended };
	if (running > 0) return { kind: 'running', ended, total, running, interrupted };
	return { kind: 'interrupted', ended, total, interrupted };
}

/** The time of the study's latest record (ISO 8601, UTC): when it was created, or a lifetime last asked, started, reported or ended. */
export function lastActivity({ state }: StudyRecords): string | undefined {
	let last = state.study?.at;
	const see = (at: string | undefined) => {
		if (at !== undefined && (last === undefined || at > last)) last = at;
	};
	for (const t of state.trials) {
		if (t === undefined) continue;
		see(t.asked.at);
		see(t.started_at);
		see(t.reports?.at(-1)?.at);
		see(t.complete?.at);
		see(t.failed?.at);
	}
	return last;
}

function armDriver(arm: Arm, makeSearcher: (c: SearcherConfig) => Searcher = createSearcher): ArmDriver {
	const role = armRole(arm);
	return role.role === 'search' ? { role: 'search', searcher: makeSearcher(role.config) } : { role: 'tune', tuner: createTuner(role.config) };
}

/** An arm's configurations so far (lifetimes grouped by params) and what its searcher saw of them. */
export function armSearch(stored: StudyRecords, arm: string): { readonly groups: readonly ConfigGroup[]; readonly trials: readonly SearcherTrial[] } {
	const { groups, trials } = armProgress(stored.spec, stored.state, arm);
	return { groups, trials };
}

/** The configuration a searcher arm picks from its search so far: its searcher's recommendation, else the best observed. */
export function recommendedParams(stored: StudyRecords, arm: Arm, makeSearcher: (c: SearcherConfig) => Searcher = createSearcher): Params | undefined {
	const role = armRole(arm);
	if (role.role !== 'search') return undefined;
	return chosenParams(stored.spec, stored.state, arm.name, makeSearcher(role.config));
}

/** What a tuner arm's lifetime logged about its tuned params (undefined for searcher arms, or when it logged nothing). */
export function tunedOutcome(arm: Arm, t: TrialState): TunedOutcome | undefined {
	const role = armRole(arm);
	if (role.role !== 'tune' || t.complete === undefined) return undefined;
	return createTuner(role.config).outcome(t.complete.fields);
}

/** The params a tuner arm adapts inside its lifetimes (empty for searcher arms). */
export function tunedParams(spec: StudySpec, arm: Arm): readonly string[] {
	const role = armRole(arm);
	return role.role === 'tune'
		? createTuner(role.config)
				.tuned(spec.space)
				.map((p) => p.name)
		: [];
}
