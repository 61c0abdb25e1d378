/**
 * Deciding the next lifetime to run, from the replayed state alone (called under the study lock,
 * so every process decides on the same, current journal). In order of priority:
 *
 *   1. a pending trial this process asked earlier (the other repeats of a configuration), or one it
 *      started and abandoned (aborted) without recording an end, or
 *   2. an orphan: a trial not ended whose owner is gone -> taken over, same params and seed
 *      (1 and 2 together, lowest trial number first)
 *   3. a retry of a failed trial with attempts left -> same slot, params and seed, attempt + 1
 *   4. a new lifetime of the arm with the fewest slots used (until budget): a new configuration from
 *      a searcher arm's searcher, the start configuration of a tuner arm's online tuner, the next
 *      segment of a population arm (population-arm.ts; until its training is over)
 *   5. re-evaluation of an arm's chosen configuration once its search has ended (fresh seeds); with
 *      several metrics, of every configuration on its Pareto front (`reevaluationTargets`)
 *
 * otherwise `wait` (others' lifetimes may still fail, be retried or orphaned) or `done`.
 *
 * Seeds: search slot k of every arm gets lifetimeSeed(seed, k), so arms see the same lifetimes;
 * re-evaluation slot i gets a seed from a separate stream (slot i mod reevaluate: each front member
 * is re-evaluated on the same seeds). Infeasible configurations (constraints) are never chosen.
 */
import { bestObserved } from '../../../searchers/common.js';
import type { Direction, Proposal, Searcher } from '../../../searchers/searcher.js';
import type { OnlineTuner } from '../../tuners/tuner.js';
import { Rng } from '../../core/rng.js';
import type { Params } from '../../core/space.js';
import { now, type AskedRecord, type JournalRecord } from '../journal/journal.js';
import type { Owner } from '../journal/lock.js';
import { type Arm, armBudget, armReevaluations, type StudySpec } from '../spec/spec.js';
import { frontOf, isCandidate, isMultiObjective } from '../spec/objectives.js';
import type { PbtConfig } from '../../tuners/config.js';
import { deployedMember, isPopulationArm, nextSegment } from './population-arm.js';
import { isEnded, type StudyState, type TrialState } from '../journal/state.js';

/** The study seed's `lifetime` stream, per study seed (split does not advance it: one per seed serves every slot). */
const lifetimeStreams = new Map<number, Rng>();

function lifetimeSeed(seed: number, slot: number): number {
	let stream = lifetimeStreams.get(seed);
	if (stream === undefined) {
		stream = new Rng(seed).split('lifetime');
		lifetimeStreams.set(seed, stream);
	}
	return stream.split(slot).seedInt();
}

function reevaluationSeed(seed: number, slot: number): number {
	return new Rng(seed).split('reevaluate').split(slot).seedInt();
}

export interface SchedulerContext {
	readonly spec: StudySpec;
	readonly state: StudyState;
	readonly me: Owner;
	/** whether another process's trial owner is still alive */
	readonly alive: (owner: Owner) => boolean;
	readonly driver: (arm: string) => ArmDriver;
	/** trials this process has started and not ended or abandoned (claimed by the Study) */
	readonly inFlight: ReadonlySet<number>;
	/** stop asking new configurations (first Ctrl-C); pending/orphans/retries are not started either */
	readonly stopping: boolean;
}

/** What proposes an arm's lifetimes: its searcher, or its online tuner. */
export type ArmDriver = { readonly role: 'search'; readonly searcher: Searcher } | { readonly role: 'tune'; readonly tuner: OnlineTuner };

export type Decision = { readonly kind: 'run'; readonly trial: number; readonly records: readonly JournalRecord[] } | { readonly kind: 'wait' } | { readonly kind: 'done' };

/** Searcher-visible trials and arm progress (from the state's incrementally kept view of the arm). */
export function armProgress(spec: StudySpec, state: StudyState, arm: string) {
	const { groups, trials } = state.armView(arm, spec.repeats, spec.retries).current();
	const used = state.latest(arm, 'search').size;
	return { groups, trials, used };
}

/** The direction (and, with several metrics, the directions) of an AskRequest. */
function askDirections(spec: StudySpec): { readonly direction: Direction; readonly directions?: readonly Direction[] } {
	return spec.metrics !== undefined && isMultiObjective(spec) ? { direction: spec.direction, directions: spec.metrics.map((m) => m.direction) } : { direction: spec.direction };
}

/**
 * The configurations an arm's re-evaluations run, each `reevaluate` times: the chosen one (one
 * metric), or every configuration of its Pareto front (several metrics: objectives.ts `frontOf`), so
 * the front reported is measured on fresh seeds and is not the luckiest noise of the search.
 */
function reevaluationTargets(spec: StudySpec, state: StudyState, arm: string, searcher: Searcher): Params[] {
	if (!isMultiObjective(spec)) {
		const chosen = chosenParams(spec, state, arm, searcher);
		return chosen === undefined ? [] : [chosen];
	}
	return frontOf(spec, armProgress(spec, state, arm).trials).map((t) => t.params);
}

/** The configuration an arm would pick now: the searcher's recommendation, else best observed. */
export function chosenParams(spec: StudySpec, state: StudyState, arm: string, searcher: Searcher): Params | undefined {
	const { trials: all } = armProgress(spec, state, arm);
	// only configurations whose lifetimes ran to their full resource and are feasible are candidates (pruned and infeasible ones are not)
	const trials = all.some((t) => t.status === 'complete' && !isCandidate(t))
		? all.map((t) => (t.status === 'complete' && !isCandidate(t) ? { number: t.number, params: t.params, status: 'failed' as const } : t))
		: all;
	const request = { space: spec.space, ...askDirections(spec), trials, fits: state.fits(arm) };
	return (searcher.recommend?.(request) ?? bestObserved(request))?.params;
}

/** The next configuration of an arm, or undefined when its searcher has exhausted the space. */
function propose(driver: ArmDriver, spec: StudySpec, trials: ReturnType<typeof armProgress>['trials'], fits: ReadonlyMap<string, readonly number[]>): Proposal | undefined {
	switch (driver.role) {
		case 'search': {
			const result = driver.searcher.ask({ space: spec.space, ...askDirections(spec), trials, n: 1, fits });
			return result.kind === 'exhausted' ? undefined : result.proposals[0];
		}
		case 'tune':
			return { params: driver.tuner.start(spec.space), note: driver.tuner.note };
	}
}

/**
 * The fixed configuration a tuner arm's re-evaluations run: the start configuration with the final
 * tuned settings of its best complete search lifetime (by the study's metric; ties: lowest trial).
 */
function tunedChoice(spec: StudySpec, state: StudyState, arm: string, tuner: OnlineTuner): Params | undefined {
	const sign = spec.direction === 'minimize' ? 1 : -1;
	let best: TrialState | undefined;
	for (const t of state.latest(arm, 'search').values()) {
		if (t.complete === undefined || tuner.outcome(t.complete.fields) === undefined) continue;
		if (best?.complete === undefined || sign * t.complete.value < sign * best.complete.value) best = t;
	}
	if (best?.complete === undefined) return undefined;
	return { ...best.asked.params, ...(tuner.outcome(best.complete.fields)?.final ?? {}) };
}

/** The failed latest attempt with retries left that comes first by (arm order, purpose, slot); O(failed slots). */
function firstRetry(spec: StudySpec, state: StudyState): TrialState | undefined {
	if (spec.retries === 0) return undefined;
	const armIndex = new Map(spec.arms.map((a, i) => [a.name, i]));
	const rank = (t: TrialState): [number, number, number] => [armIndex.get(t.asked.arm) ?? Number.POSITIVE_INFINITY, t.asked.purpose === 'search' ? 0 : 1, t.asked.slot];
	let best: TrialState | undefined;
	let bestRank: [number, number, number] | undefined;
	for (const t of state.failedLatestAttempts()) {
		if (isEnded(t, spec.retries)) continue;
		const r = rank(t);
		if (r[0] === Number.POSITIVE_INFINITY) continue; // an arm no longer in the study
		if (bestRank === undefined || r[0] < bestRank[0] || (r[0] === bestRank[0] && (r[1] < bestRank[1] || (r[1] === bestRank[1] && r[2] < bestRank[2])))) {
			best = t;
			bestRank = r;
		}
	}
	return best;
}

export function decide(ctx: SchedulerContext): Decision {
	const { spec, state, me } = ctx;
	if (ctx.stopping) return { kind: 'done' };
	const start = (t: TrialState): Decision => ({ kind: 'run', trial: t.asked.trial, records: [{ type: 'running', at: now(), trial: t.asked.trial, owner: me }] });
	const unended = state.unended();
	// 1-2. lowest-numbered first: my pending trials, my running ones no lane holds (aborted or given-up
	// lifetimes), and orphans (a pruner's decision waits on lower-numbered lifetimes: pruner.ts)
	for (const t of unended) {
		const mine = t.owner.run === me.run;
		if ((mine && !ctx.inFlight.has(t.asked.trial)) || (!mine && !ctx.alive(t.owner))) return start(t);
	}
	let next = state.nextTrial;
	const ask = (base: Omit<AskedRecord, 'type' | 'at' | 'trial' | 'owner'>): AskedRecord => ({ type: 'asked', at: now(), trial: next++, owner: me, ...base });
	const runFirst = (asked: AskedRecord[]): Decision => {
		const first = asked[0] as AskedRecord;
		return { kind: 'run', trial: first.trial, records: [...asked, { type: 'running', at: first.at, trial: first.trial, owner: me }] };
	};
	// 3. retries: the first failed slot with attempts left, by arm (study order), purpose (search first), slot
	const retry = firstRetry(spec, state);
	if (retry !== undefined) {
		const { arm, purpose, slot, params, seed, attempt, segment, note } = retry.asked;
		const same = segment === undefined ? {} : { segment, ...(note === undefined ? {} : { note }) }; // a segment's retry restores the same checkpoint
		return runFirst([ask({ arm, purpose, slot, attempt: attempt + 1, params, seed, retry_of: retry.asked.trial, ...same })]);
	}
	// 4. new configurations, arm with the fewest slots used first
	const progress = spec.arms.map((arm) => ({ arm, ...armProgress(spec, state, arm.name) }));
	// population arms (pbt on a module or command objective) ask segments until their training is over
	const populations = new Map(spec.arms.filter((arm) => isPopulationArm(spec, arm)).map((arm) => [arm.name, nextSegment(spec, state, arm as Arm & { config: PbtConfig })]));
	const candidates = progress.filter((p) => (populations.has(p.arm.name) ? populations.get(p.arm.name)?.kind === 'ask' : p.used < armBudget(spec, p.arm))).sort((a, b) => a.used - b.used);
	const exhausted = new Set<string>();
	for (const p of candidates) {
		const segment = populations.get(p.arm.name);
		if (segment?.kind === 'ask') return runFirst([ask(segment.base)]);
		const proposal = propose(ctx.driver(p.arm.name), spec, p.trials, state.fits(p.arm.name));
		if (proposal === undefined) {
			exhausted.add(p.arm.name);
			continue;
		}
		const asked: AskedRecord[] = [];
		for (let r = 0; r < spec.repeats; r++) {
			const slot = p.used + r;
			asked.push(
				ask({
					arm: p.arm.name,
					purpose: 'search',
					slot,
					attempt: 1,
					params: proposal.params,
					seed: lifetimeSeed(spec.seed, slot),
					...(proposal.note === undefined ? {} : { note: proposal.note }),
					// the fits go with the configuration's first lifetime only
					...(proposal.fits === undefined || r > 0 ? {} : { fits: proposal.fits }),
				}),
			);
		}
		return runFirst(asked);
	}
	// 5. re-evaluation of chosen configurations
	for (const p of progress) {
		const reevaluate = armReevaluations(spec, p.arm);
		if (reevaluate === 0) continue;
		const population = populations.get(p.arm.name);
		const searchOver = population === undefined ? p.used >= armBudget(spec, p.arm) || exhausted.has(p.arm.name) : population.kind === 'over';
		const done = state.latest(p.arm.name, 'reevaluate').size;
		if (!searchOver || (done >= reevaluate && !isMultiObjective(spec))) continue;
		if (![...state.latest(p.arm.name, 'search').values()].every((t) => isEnded(t, spec.retries))) continue;
		const driver = ctx.driver(p.arm.name);
		const targets =
			population !== undefined
				? [deployedMember(spec, state, p.arm)?.params]
				: driver.role === 'search'
					? reevaluationTargets(spec, state, p.arm.name, driver.searcher)
					: [tunedChoice(spec, state, p.arm.name, driver.tuner)];
		// slot s re-evaluates target floor(s / reevaluate) on the seed of s mod reevaluate: every front member gets the same fresh seeds
		const total = targets.length * reevaluate;
		if (done >= total) continue;
		const asked: AskedRecord[] = [];
		for (let slot = done; slot < total; slot++) {
			const params = targets[Math.floor(slot / reevaluate)];
			if (params === undefined) break; // nothing succeeded: nothing to re-evaluate
			asked.push(ask({ arm: p.arm.name, purpose: 'reevaluate', slot, attempt: 1, params, seed: reevaluationSeed(spec.seed, slot % reevaluate) }));
		}
		if (asked.length === 0) continue;
		return runFirst(asked);
	}
	return unended.length > 0 ? { kind: 'wait' } : { kind: 'done' };
}
