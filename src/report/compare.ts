/**
 * The comparison's rows: one per arm of each study, each column of the table (compare-format.ts
 * draws it) as data.
 *
 * chosen     searcher arms: the re-evaluated configuration when `reevaluate` trials exist (they carry
 *            it), else the searcher's recommend(), else the best observed configuration. Tuner arms
 *            (each lifetime adapts its own params, none is selected): the mean final value of each
 *            tuned param with its 95% CI, marked "(final)"
 * chosen_text  the chosen cell in the row's study's own form: the param's value alone when the study
 *            searches exactly one param and its objective labels it (the bandit agent's gamma:
 *            "Discount"; fixed params do not count), else every chosen searchable param,
 *            `name=value, ...`
 * reward     searcher arms: mean and 95% CI over the chosen configuration's re-evaluation lifetimes
 *            (fresh seeds), else over its search lifetimes (marked "not re-evaluated": optimistic by
 *            selection); tuner arms: the mean over all the arm's lifetimes
 * Lifetimes  complete search lifetimes + complete re-evaluations (failed ones counted apart; pruned
 *            ones, stopped early by the arm's pruner, are counted and named: "20 + 5 (13 pruned)")
 * Best obs.  the best search value among configurations that ran to their end (not pruned)
 * Env steps  sum of the lifetimes' `env_steps` field, pruned lifetimes included (what was spent);
 *            Wall time: sum of lifetimes' wall_ms
 * front      studies with several metrics (`metrics:`): the size of the arm's front (feasible
 *            configurations only) and its hypervolume, mean and 95% CI over the re-evaluation seeds,
 *            with the line stating the reference point (fronts.ts); `compare --front` lists the members
 *
 * One value (n = 1) has no interval: meanCi gives low = high = mean and n = 1, and ciText
 * (compare-cell-text.ts) shows the value alone (`18.26`, `0.85 (final)`), never a zero-width
 * `[18.26, 18.26]`.
 */
import type { SearcherConfig } from '../../searchers/config.js';
import type { Searcher } from '../../searchers/searcher.js';
import { lossSign } from '../../searchers/common.js';
import { dimensions, type Params } from '../core/space.js';
import { meanCi, type MeanCi } from '../core/stats.js';
import { metricLabel, paramLabel } from '../objectives/describe.js';
import { type Arm, armRole, armSearch, isEnded, isPruned, recommendedParams, type StoredStudy, type TrialState, tunedOutcome, tunedParams } from '../study/view.js';
import { isPopulationArm, populationHistory } from '../study/view.js';
import { paramsCell, tunedCell } from './compare-cell-text.js';
import { type ArmFront, armFronts, referenceNote } from './fronts.js';

export interface ComparisonRow {
	readonly study: string;
	readonly arm: string;
	/** the arm's kind (grid, random, gp, metagradient, ...) and whether it searches or tunes online */
	readonly kind: string;
	readonly role: 'search' | 'tune';
	readonly metric: string;
	readonly direction: 'maximize' | 'minimize';
	/** the objective's label of the metric (the reward column's header), if it has one */
	readonly metric_label?: string;
	readonly chosen: Params | undefined;
	readonly chosen_basis: 'reevaluated' | 'recommended' | 'tuned (final)' | 'none';
	/** the study's searchable params, in space order (fixed ones left out) */
	readonly searched_params: readonly string[];
	/** the objective's label of the only searched param (e.g. "Discount"), when there is one param and it has a label */
	readonly searched_label?: string;
	/** the chosen cell in the study's own form: the labelled param's value alone, else `name=value, ...` */
	readonly chosen_text: string;
	readonly reward: MeanCi | undefined;
	readonly reward_basis: 'reevaluation' | 'search lifetimes' | 'tuner lifetimes' | 'none';
	/** tuner arms: each tuned param's final values, mean and 95% CI */
	readonly tuned_final?: Readonly<Record<string, MeanCi>>;
	/** tuner arms whose chosen settings were re-evaluated (pbt): the reward of their own lifetimes */
	readonly online_reward?: MeanCi;
	readonly best_observed: number | undefined;
	readonly lifetimes: number;
	readonly reevaluations: number;
	readonly failed: number;
	/** search lifetimes the pruner stopped early (counted in `lifetimes`) */
	readonly pruned: number;
	readonly running: number;
	readonly env_steps: number | undefined;
	readonly wall_ms: number;
	/** a pbt arm on a module or command objective: its members' history (lifetimes counts members, env steps the steps every segment reported) */
	readonly population?: PopulationNote;
	/** a study with several metrics: the arm's Pareto front (fronts.ts; `compare --front` lists it) */
	readonly front?: FrontSummary;
}

/** What the table says of a searcher arm's Pareto front. */
interface FrontSummary {
	readonly size: number;
	readonly hypervolume: MeanCi | undefined;
	readonly hypervolume_basis: ArmFront['hypervolume_basis'];
	readonly infeasible: number;
	readonly reference: readonly number[];
	/** the line under the table that states the reference point */
	readonly note: string;
}

/** What the table says of a population arm beside its row. */
interface PopulationNote {
	readonly members: number;
	readonly segments: number;
	/** steps every segment reported (the population's training; the Env steps column adds re-evaluations) */
	readonly steps: number;
	readonly exploits: number;
	readonly deployed_member: number | undefined;
	/** the deployed member's settings from each step on where they changed */
	readonly schedule: readonly { readonly from_step: number; readonly params: Params }[];
}

/**
 * The same configuration: the same params (an inactive conditional param is absent from both) with
 * equal values. A loop with no arrays made: the chosen configuration is looked for among every
 * configuration of the arm (100k in a large study), and most differ at their first param.
 */
function sameParams(a: Params, b: Params): boolean {
	let n = 0;
	for (const k in a) {
		if (!Object.hasOwn(a, k)) continue;
		if (!Object.hasOwn(b, k) || a[k] !== b[k]) return false;
		n++;
	}
	for (const k in b) if (Object.hasOwn(b, k)) n--;
	return n === 0;
}

const values = (ts: readonly TrialState[]) => ts.map((t) => t.complete?.value).filter((v): v is number => v !== undefined);

/** What the table counts of one arm's lifetimes (every attempt), gathered in one pass over the study for all arms. */
interface ArmLifetimes {
	/** complete lifetimes, in trial order */
	readonly complete: TrialState[];
	/** failed ones with no retry left */
	failed: number;
	/** pending or running */
	running: number;
	wall_ms: number;
}

function armLifetimes({ spec, state }: StoredStudy): Map<string, ArmLifetimes> {
	const byArm = new Map<string, ArmLifetimes>(spec.arms.map((a) => [a.name, { complete: [], failed: 0, running: 0, wall_ms: 0 }]));
	for (const t of state.trials) {
		if (t === undefined) continue;
		const a = byArm.get(t.asked.arm);
		if (a === undefined) continue;
		if (t.phase === 'complete') a.complete.push(t);
		else if (t.phase === 'failed') {
			if (isEnded(t, spec.retries)) a.failed++;
		} else a.running++;
		a.wall_ms += t.complete?.wall_ms ?? t.failed?.wall_ms ?? 0;
	}
	return byArm;
}

export function comparisonRows(stored: StoredStudy, makeSearcher?: (c: SearcherConfig) => Searcher): ComparisonRow[] {
	const { spec, state } = stored;
	const sign = lossSign(spec.direction);
	const searched = dimensions(spec.space).map((d) => d.name);
	const only = searched.length === 1 ? searched[0] : undefined;
	const label = only === undefined ? undefined : paramLabel(spec.objective, only)?.name;
	const metric = metricLabel(spec.objective, spec.metric);
	const fronts = new Map(armFronts(stored).map((f) => [f.arm, f]));
	const lifetimesOf = armLifetimes(stored);
	return spec.arms.map((arm: Arm) => {
		const front = fronts.get(arm.name);
		const role = armRole(arm).role;
		const { complete, failed, running, wall_ms } = lifetimesOf.get(arm.name) as ArmLifetimes;
		const reevals = [...state.latest(arm.name, 'reevaluate').values()];
		const { groups, trials } = armSearch(stored, arm.name);
		let chosen: Params | undefined;
		let chosenBasis: ComparisonRow['chosen_basis'] = 'none';
		let reward: MeanCi | undefined;
		let rewardBasis: ComparisonRow['reward_basis'] = 'none';
		let tunedFinal: Record<string, MeanCi> | undefined;
		let onlineReward: MeanCi | undefined;
		const reevalValues = values(reevals);
		if (role === 'tune') {
			const done = complete.filter((t) => t.asked.purpose === 'search');
			const outcomes = done.map((t) => tunedOutcome(arm, t)).filter((o) => o !== undefined);
			const finals: Record<string, MeanCi> = {};
			for (const name of tunedParams(spec, arm)) {
				const ci = meanCi(outcomes.map((o) => o.final[name]).filter((v): v is number => typeof v === 'number'));
				if (ci !== undefined) finals[name] = ci;
			}
			if (Object.keys(finals).length > 0) {
				tunedFinal = finals;
				chosen = Object.fromEntries(Object.entries(finals).map(([n, ci]) => [n, ci.mean]));
				chosenBasis = 'tuned (final)';
			}
			reward = meanCi(values(done));
			if (reward) rewardBasis = 'tuner lifetimes';
			if (reevalValues.length > 0) {
				// a tuner whose final settings run alone (pbt): the table reports them like a searcher's choice
				onlineReward = reward;
				chosen = reevals[0]?.asked.params;
				chosenBasis = 'reevaluated';
				reward = meanCi(reevalValues);
				rewardBasis = 'reevaluation';
			}
		} else {
			if (reevals.length > 0) {
				chosen = reevals[0]?.asked.params;
				chosenBasis = 'reevaluated';
			} else {
				chosen = recommendedParams(stored, arm, makeSearcher);
				if (chosen !== undefined) chosenBasis = 'recommended';
			}
			if (reevalValues.length > 0) {
				reward = meanCi(reevalValues);
				rewardBasis = 'reevaluation';
			} else if (chosen !== undefined) {
				const group = groups.find((g) => sameParams(g.params, chosen as Params));
				reward = meanCi(values(group?.lifetimes ?? []));
				if (reward) rewardBasis = 'search lifetimes';
			}
		}
		let best: number | undefined;
		for (const t of trials) {
			if (t.status !== 'complete' || t.value === undefined || t.pruned === true || (t.violation ?? 0) > 0) continue; // a pruned value is partial; an infeasible one is not chosen
			if (best === undefined || sign * t.value < sign * best) best = t.value;
		}
		let envSteps: number | undefined;
		let lifetimes = 0;
		let pruned = 0;
		for (const t of complete) {
			// a population segment: the steps it reported; a lifetime stopped by the pruner without an
			// env_steps field: the step it was stopped at (its reports' steps)
			const s = t.asked.segment !== undefined ? undefined : (t.complete?.fields.env_steps ?? t.complete?.pruned_at);
			if (typeof s === 'number') envSteps = (envSteps ?? 0) + s;
			if (t.asked.purpose === 'search') lifetimes++;
			if (isPruned(t)) pruned++;
		}
		const history = isPopulationArm(spec, arm) ? populationHistory(spec, state, arm) : undefined;
		let population: PopulationNote | undefined;
		if (history !== undefined) {
			// members are the arm's lifetimes; a segment stopped at its interval's end is not pruned
			const deployed = history.deployed;
			lifetimes = history.members;
			pruned = 0;
			envSteps = (envSteps ?? 0) + history.steps;
			best = deployed?.value;
			onlineReward = deployed === undefined ? undefined : meanCi([deployed.value]);
			if (reevalValues.length === 0) {
				chosen = deployed?.params;
				chosenBasis = deployed === undefined ? 'none' : 'tuned (final)';
				reward = onlineReward;
				rewardBasis = reward === undefined ? 'none' : 'tuner lifetimes';
				onlineReward = undefined;
			}
			population = {
				members: history.members,
				segments: history.segments,
				steps: history.steps,
				exploits: history.lineage.length,
				deployed_member: deployed?.member,
				schedule: history.schedule.filter((e, i, all) => i === 0 || !sameParams(e.params, (all[i - 1] as (typeof all)[number]).params)),
			};
		}
		return {
			study: spec.name,
			arm: arm.name,
			kind: arm.config.kind,
			role,
			metric: spec.metric,
			direction: spec.direction,
			...(metric === undefined ? {} : { metric_label: metric }),
			chosen,
			chosen_basis: chosenBasis,
			searched_params: searched,
			...(label === undefined ? {} : { searched_label: label }),
			chosen_text:
				tunedFinal === undefined || chosenBasis === 'reevaluated' || population !== undefined
					? paramsCell(searched, label !== undefined, chosen)
					: tunedCell(searched, label !== undefined, tunedFinal),
			...(tunedFinal === undefined ? {} : { tuned_final: tunedFinal }),
			...(onlineReward === undefined ? {} : { online_reward: onlineReward }),
			reward,
			reward_basis: rewardBasis,
			best_observed: best,
			lifetimes,
			reevaluations: reevalValues.length,
			failed,
			pruned,
			running,
			env_steps: envSteps,
			wall_ms,
			...(population === undefined ? {} : { population }),
			...(front === undefined
				? {}
				: {
						front: {
							size: front.size,
							hypervolume: front.hypervolume,
							hypervolume_basis: front.hypervolume_basis,
							infeasible: front.infeasible,
							reference: front.reference,
							note: referenceNote(front),
						},
					}),
		};
	});
}
