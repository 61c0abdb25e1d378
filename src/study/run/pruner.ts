/**
 * Pruning decisions, from the replayed journal alone (called under the study lock when a lifetime
 * reports an intermediate value). A decision depends only on the reports of the same arm's
 * lower-numbered search lifetimes, so it is the same whatever order lifetimes ran and reported in,
 * in one process or several: a report that needs an earlier lifetime's value at the same rung or
 * step waits until that lifetime has reported there or ended without reaching it. Resume, a re-run
 * of an interrupted lifetime and another process all take the same decisions; each is recorded in
 * the journal (`report` records) and replayed, never retaken.
 *
 * The lowest unended lifetime never waits, and the scheduler starts lifetimes lowest-numbered first,
 * so a study always makes progress; a report that waits on a lifetime nobody runs (its process died)
 * gives up its own lifetime, which re-runs later with the same decisions (runner.ts).
 *
 * Several metrics (asha, hyperband): a report may carry one value per metric (`values`). At a rung,
 * with n the lifetimes that reported there (the earlier ones and this one), this lifetime goes on
 * only while fewer than max(1, floor(n / reduction_factor)) of the earlier reports there cover it,
 * where u covers t when u is at least as good on every metric (u weakly dominates t; an equal report
 * made earlier ranks first, as asha's ties do). With one metric "covers" is "at least as good", so
 * the rule is asha's exactly; with several, a lifetime is stopped only when a 1/reduction_factor
 * share of the earlier lifetimes is at least as good on every metric at once, so one that trades a
 * worse first metric for a better cost is kept (asha on the first metric would stop it). A report
 * without values (or an earlier one without them) is compared on the first metric alone. The median
 * pruner judges the first metric.
 */
import type { PrunerConfig } from '../spec/pruner.js';
import type { PruneDecision } from '../journal/journal.js';
import type { StudyState, TrialState } from '../journal/state.js';
import type { Direction } from '../../../searchers/searcher.js';

export type Judgement = { readonly kind: 'record'; readonly rung?: number; readonly decision?: PruneDecision } | { readonly kind: 'wait'; readonly on: TrialState };

/** Rung k's resource for a min resource and factor, or undefined past `max`. */
function rungResource(min: number, factor: number, k: number, max: number | undefined): number | undefined {
	const r = min * factor ** k;
	return max !== undefined && r >= max ? undefined : r;
}

/** The highest rung whose resource `step` has reached (undefined: below the first). */
function rungAt(step: number, min: number, factor: number, max: number | undefined): number | undefined {
	let k: number | undefined;
	for (let i = 0; ; i++) {
		const r = rungResource(min, factor, i, max);
		if (r === undefined || r > step * (1 + 1e-12)) return k;
		k = i;
	}
}

/** Number of hyperband brackets: rungs from min to max. */
function bracketCount(min: number, max: number, factor: number): number {
	return Math.floor(Math.log(max / min) / Math.log(factor) + 1e-9) + 1;
}

/** The rung resources of an asha or hyperband pruner (every bracket's), below `cap` when it sets no max; none for median (the report draws them). */
export function rungResources(pruner: PrunerConfig, cap: number): number[] {
	if (pruner.kind === 'median') return [];
	const factor = pruner.reduction_factor;
	const max = pruner.max_resource ?? cap;
	const brackets = pruner.kind === 'hyperband' ? bracketCount(pruner.min_resource, max, factor) : 1;
	const out = new Set<number>();
	for (let b = 0; b < brackets; b++) {
		for (let k = 0; ; k++) {
			const r = rungResource(pruner.min_resource * factor ** b, factor, k, max);
			if (r === undefined) break;
			out.add(r);
		}
	}
	return [...out].sort((a, b) => a - b);
}

const stopped = (t: TrialState): boolean => t.reportLog?.stop !== undefined;
/** Whether `t` reported past `step`; whether it reported at rung `rung` or above (O(1): reports.ts). */
const pastStep = (t: TrialState, step: number): boolean => (t.reportLog?.maxStep ?? Number.NEGATIVE_INFINITY) > step;
const reachedRung = (t: TrialState, rung: number): boolean => (t.reportLog?.maxRung ?? Number.NEGATIVE_INFINITY) >= rung;
const ended = (t: TrialState): boolean => t.phase === 'complete' || t.phase === 'failed';

/** Lower-numbered search lifetimes of `t`'s arm (every attempt), optionally in one bracket. */
function* earlier(state: StudyState, t: TrialState, keep: (u: TrialState) => boolean): Generator<TrialState> {
	for (let n = 0; n < t.asked.trial; n++) {
		const u = state.trials[n];
		if (u !== undefined && u.asked.arm === t.asked.arm && u.asked.purpose === 'search' && keep(u)) yield u;
	}
}

/** Loss of a value (smaller is better). */
const lossOf = (direction: Direction, v: number): number => (direction === 'minimize' ? v : -v);

/** A study with several metrics: their directions, and the values of the report judged (if it gave them). */
export interface ReportedValues {
	readonly directions: readonly Direction[];
	readonly values?: readonly number[] | undefined;
}

/**
 * Whether the earlier report (value `uValue`, values `uValues`) covers this one: at least as good on
 * every metric when both carry one value per metric, else on the first metric.
 */
function covers(direction: Direction, multi: ReportedValues | undefined, uValue: number, uValues: readonly number[] | undefined, mine: number): boolean {
	const mineValues = multi?.values;
	if (multi === undefined || mineValues === undefined || uValues === undefined || uValues.length !== mineValues.length) return lossOf(direction, uValue) <= lossOf(direction, mine);
	return mineValues.every((v, k) => lossOf(multi.directions[k] ?? direction, uValues[k] as number) <= lossOf(multi.directions[k] ?? direction, v));
}

/**
 * The decision for trial `t`'s report (`step`, `value`), or whom it must wait for. `record` without
 * a decision: the report only extends the curve (no rung reached, or this rung already decided).
 */
export function judge(pruner: PrunerConfig, direction: Direction, state: StudyState, t: TrialState, step: number, value: number, multi?: ReportedValues): Judgement {
	switch (pruner.kind) {
		case 'median':
			return judgeMedian(pruner.warmup_steps, pruner.min_trials, direction, state, t, step, value);
		case 'asha':
			return judgeRung(pruner.min_resource, pruner.reduction_factor, pruner.max_resource, () => true, direction, multi, state, t, step, value);
		case 'hyperband': {
			const brackets = bracketCount(pruner.min_resource, pruner.max_resource, pruner.reduction_factor);
			const bracket = t.asked.slot % brackets;
			const min = pruner.min_resource * pruner.reduction_factor ** bracket;
			return judgeRung(min, pruner.reduction_factor, pruner.max_resource, (u) => u.asked.slot % brackets === bracket, direction, multi, state, t, step, value);
		}
	}
}

function judgeRung(
	min: number,
	factor: number,
	max: number | undefined,
	sameBracket: (u: TrialState) => boolean,
	direction: Direction,
	multi: ReportedValues | undefined,
	state: StudyState,
	t: TrialState,
	step: number,
	value: number,
): Judgement {
	const k = rungAt(step, min, factor, max);
	if (k === undefined || reachedRung(t, k)) return { kind: 'record' };
	let n = 1;
	let better = 0;
	for (const u of earlier(state, t, sameBracket)) {
		const at = u.reportLog?.atRung(k);
		if (at === undefined) {
			if (ended(u) || stopped(u) || reachedRung(u, k + 1)) continue; // never reported at rung k
			return { kind: 'wait', on: u };
		}
		n++;
		if (covers(direction, multi, at.value, at.values, value)) better++; // ties: the earlier lifetime ranks first
	}
	const keep = Math.max(1, Math.floor(n / factor));
	return { kind: 'record', rung: k, decision: better < keep ? 'continue' : 'stop' };
}

function judgeMedian(warmup: number, minTrials: number, direction: Direction, state: StudyState, t: TrialState, step: number, value: number): Judgement {
	if (step < warmup) return { kind: 'record' };
	const others: number[] = [];
	for (const u of earlier(state, t, () => true)) {
		const at = u.reportLog?.at(step);
		if (at === undefined) {
			if (ended(u) || stopped(u) || pastStep(u, step)) continue;
			return { kind: 'wait', on: u };
		}
		others.push(lossOf(direction, at.value));
	}
	if (others.length < minTrials) return { kind: 'record', decision: 'continue' };
	others.sort((a, b) => a - b);
	const mid = others.length >> 1;
	const median = others.length % 2 === 1 ? (others[mid] as number) : ((others[mid - 1] as number) + (others[mid] as number)) / 2;
	return { kind: 'record', decision: lossOf(direction, value) > median ? 'stop' : 'continue' };
}
