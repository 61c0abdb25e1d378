/**
 * What `metatune status` knows about a study, as data: the text view (status.ts) renders it and
 * `--format json` prints it as is, so both always hold the same fields. Read from the journal
 * without the lock (src/study/view.ts). Keys are snake_case, like the journal's and `compare`'s.
 *
 *   lifetimes       ended / total over every arm (total = budget + re-evaluations), running (their
 *                   process still heartbeats), interrupted (re-run on the next `metatune run`)
 *   arms[i].best    the best complete, unpruned search lifetime of the arm (a pruned value is partial)
 *   failed[i].fate  what became of a failed attempt's slot: `retried` (with that retry's outcome),
 *                   `gave up` (it was the last attempt `retries` allows), `not retried` (retries is
 *                   0), or `to retry` (its retry is due, not asked yet)
 *   state           complete (nothing left to run or wait for), running, interrupted, not started
 *   checkpoints     folders and bytes of population members' checkpoints held now (read from the
 *                   results folder: on a PostgreSQL study, the folder this machine sees)
 *   failed[i].message  bounded as a new record stores it (study/run/stored-sizes.ts), whatever an
 *                   older journal or another process wrote
 */
import { lossSign } from '../../searchers/common.js';
import type { Params } from '../core/space.js';
import { objectiveText } from '../objectives/describe.js';
import { armFronts } from './fronts.js';
import {
	type ArmCounts,
	armCounts,
	lifetimeViolation,
	boundMessage,
	heldCheckpoints,
	isPopulationArm,
	isPruned,
	ownerRunning,
	type Progress,
	type StoredStudy,
	studyProgress,
	type TrialState,
	tunedOutcome,
} from '../study/view.js';

export type StudyStateName = 'complete' | 'running' | 'interrupted' | 'not started';

/** One lifetime as the lists name it. */
export interface StatusLifetime {
	readonly trial: number;
	readonly arm: string;
	readonly purpose: string;
	readonly slot: number;
	readonly seed: number;
	readonly params: Params;
}

interface StatusArm {
	readonly name: string;
	readonly searcher: string;
	readonly ended: number;
	readonly total: number;
	readonly failed: number;
	readonly pruned: number;
	/** env steps summed over the arm's complete lifetimes (pruned ones included), null when none logged any */
	readonly env_steps: number | null;
	readonly best: { readonly value: number; readonly trial: number; readonly params: Params; readonly final: Params | null } | null;
	/** a study with several metrics: configurations on the arm's Pareto front (feasible ones) and configurations that missed a constraint */
	readonly front?: { readonly size: number; readonly infeasible: number };
}

export type RetryFate =
	| { readonly kind: 'retried'; readonly trial: number; readonly outcome: 'complete' | 'failed' | 'running' | 'interrupted'; readonly value: number | null }
	| { readonly kind: 'gave up'; readonly attempts: number }
	| { readonly kind: 'not retried' }
	| { readonly kind: 'to retry' };

export interface StudyStatus {
	readonly study: string;
	/** the journal file, or the database URL (without password) and study name */
	readonly where: string;
	readonly description: string | null;
	readonly objective: string;
	readonly metric: string;
	readonly direction: 'maximize' | 'minimize';
	/** a study with several metrics: each with its direction */
	readonly metrics?: readonly { readonly name: string; readonly direction: 'maximize' | 'minimize' }[];
	readonly budget: number;
	readonly repeats: number;
	readonly reevaluate: number;
	readonly retries: number;
	readonly state: StudyStateName;
	readonly lifetimes: { readonly ended: number; readonly total: number; readonly running: number; readonly interrupted: number };
	readonly failed_attempts: { readonly total: number; readonly retried: number; readonly gave_up: number; readonly to_retry: number };
	/** whether the study prunes (the text shows Pruned and Env steps columns only then) */
	readonly pruning: boolean;
	readonly arms: readonly StatusArm[];
	/** checkpoints of population members' segments (pbt on a module or command objective) held under the results folder now; null when the study has none */
	readonly checkpoints: { readonly folders: number; readonly bytes: number } | null;
	readonly running: readonly (StatusLifetime & {
		readonly host: string;
		readonly pid: number;
		readonly since: string | null;
		readonly last_report: { readonly step: number; readonly value: number } | null;
	})[];
	readonly interrupted: readonly StatusLifetime[];
	readonly failed: readonly (StatusLifetime & { readonly reason: string; readonly message: string; readonly fate: RetryFate })[];
}

const lifetime = (t: TrialState): StatusLifetime => ({ trial: t.asked.trial, arm: t.asked.arm, purpose: t.asked.purpose, slot: t.asked.slot, seed: t.asked.seed, params: t.asked.params });

/** Whether the study is complete, running, interrupted, or has not asked a lifetime yet (`progress`: the study's `studyProgress`, when the caller has it). */
export function studyStateName(stored: StoredStudy, progress?: Progress): StudyStateName {
	if (stored.state.trials.length === 0) return 'not started';
	return (progress ?? studyProgress(stored)).kind;
}

/** Per arm, what one pass over the lifetimes gathers for its status row. */
interface ArmTotals {
	best: TrialState | undefined;
	pruned: number;
	steps: number | null;
}

/**
 * `progress`: the study's `studyProgress`, and `counts` its `armCounts`, when the caller computed
 * them already (each walks every lifetime). The lifetimes are walked once more, for every arm at
 * once (no copy of the trial list unless a failure asks for its retry's fate).
 */
export function statusOf(stored: StoredStudy, progress?: Progress, counts: readonly ArmCounts[] = armCounts(stored)): StudyStatus {
	const { spec, state } = stored;
	const sign = lossSign(spec.direction);
	const totals = new Map<string, ArmTotals>(spec.arms.map((a) => [a.name, { best: undefined, pruned: 0, steps: null }]));
	const failed: TrialState[] = [];
	for (const t of state.trials) {
		if (t === undefined) continue;
		if (t.phase === 'failed') failed.push(t);
		const a = totals.get(t.asked.arm);
		if (a === undefined || t.complete === undefined) continue;
		const s = t.complete.fields.env_steps;
		if (typeof s === 'number') a.steps = (a.steps ?? 0) + s;
		if (t.asked.purpose !== 'search') continue;
		if (isPruned(t) && t.complete.checkpoint === undefined) {
			a.pruned++;
			continue;
		}
		if (lifetimeViolation(spec, t.complete) > 0) continue; // an infeasible lifetime is never the best
		if (a.best?.complete === undefined || sign * t.complete.value < sign * a.best.complete.value) a.best = t;
	}
	const fronts = armFronts(stored);
	const arms = spec.arms.map((arm, i): StatusArm => {
		const c = counts[i];
		const front = fronts.find((f) => f.arm === arm.name);
		const { best, pruned, steps } = totals.get(arm.name) as ArmTotals;
		const final = best === undefined ? undefined : tunedOutcome(arm, best)?.final;
		return {
			name: arm.name,
			searcher: arm.config.kind,
			ended: c?.ended ?? 0,
			total: c?.total ?? 0,
			failed: c?.failed ?? 0,
			pruned,
			env_steps: steps,
			best: best?.complete === undefined ? null : { value: best.complete.value, trial: best.asked.trial, params: best.asked.params, final: final === undefined ? null : { ...final } },
			...(front === undefined ? {} : { front: { size: front.size, infeasible: front.infeasible } }),
		};
	});
	const unended = state.unended();
	const running = unended.filter((t) => ownerRunning(stored, t.owner));
	const interrupted = unended.filter((t) => !ownerRunning(stored, t.owner));
	const fateOf = retryFates(state.trials, spec.retries, (t) => running.includes(t));
	const fates = failed.map(fateOf);
	const fateCount = (kind: RetryFate['kind']) => fates.filter((f) => f.kind === kind).length;
	return {
		study: spec.name,
		where: stored.journalPath,
		description: spec.description ?? null,
		objective: spec.objective.kind === 'bandit' ? 'bandit' : objectiveText(spec.objective),
		metric: spec.metric,
		direction: spec.direction,
		...(spec.metrics === undefined ? {} : { metrics: spec.metrics.map((m) => ({ name: m.name, direction: m.direction })) }),
		budget: spec.budget,
		repeats: spec.repeats,
		reevaluate: spec.reevaluate,
		retries: spec.retries,
		state: studyStateName(stored, progress),
		lifetimes: { ended: counts.reduce((s, c) => s + c.ended, 0), total: counts.reduce((s, c) => s + c.total, 0), running: running.length, interrupted: interrupted.length },
		failed_attempts: { total: failed.length, retried: fateCount('retried'), gave_up: fateCount('gave up') + fateCount('not retried'), to_retry: fateCount('to retry') },
		pruning: spec.pruner !== undefined || spec.arms.some((a) => a.pruner !== undefined),
		arms,
		checkpoints: spec.arms.some((a) => isPopulationArm(spec, a)) ? heldCheckpoints(stored.dir) : null,
		running: running.map((t) => {
			const r = t.reports?.at(-1);
			return { ...lifetime(t), host: t.owner.host, pid: t.owner.pid, since: t.started_at ?? null, last_report: r === undefined ? null : { step: r.step, value: r.value } };
		}),
		interrupted: interrupted.map(lifetime),
		failed: failed.map((t, i) => ({ ...lifetime(t), reason: t.failed?.reason ?? '', message: boundMessage(t.failed?.message ?? ''), fate: fates[i] as RetryFate })),
	};
}

const slotKey = (t: TrialState, attempt = t.asked.attempt) => `${t.asked.arm}\u0000${t.asked.purpose}\u0000${t.asked.slot}\u0000${attempt}`;

/** The fate of each failed attempt: its retry (attempt + 1 of the same slot), the end of its slot (no retry left), or a retry still due. */
function retryFates(trials: readonly (TrialState | undefined)[], retries: number, isRunning: (t: TrialState) => boolean): (t: TrialState) => RetryFate {
	// built when the first failure asks (a study without failures does not key every trial)
	let byAttempt: Map<string, TrialState> | undefined;
	return (t) => {
		if (byAttempt === undefined) {
			byAttempt = new Map();
			for (const x of trials) if (x !== undefined) byAttempt.set(slotKey(x), x);
		}
		const r = byAttempt.get(slotKey(t, t.asked.attempt + 1));
		if (r !== undefined) {
			const outcome = r.phase === 'complete' ? 'complete' : r.phase === 'failed' ? 'failed' : isRunning(r) ? 'running' : 'interrupted';
			return { kind: 'retried', trial: r.asked.trial, outcome, value: r.phase === 'complete' ? (r.complete?.value ?? null) : null };
		}
		if (t.asked.attempt <= retries) return { kind: 'to retry' };
		return retries === 0 ? { kind: 'not retried' } : { kind: 'gave up', attempts: t.asked.attempt };
	};
}
