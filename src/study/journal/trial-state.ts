/**
 * One trial as replay leaves it (state.ts): its asked record, its phase, owner and lease take, its
 * end and its reports, and what readers ask of it (ended, pruned, its value, its report at a step).
 */
import type { AskedRecord, CompleteRecord, FailedRecord, ReportRecord } from './journal.js';
import type { Owner } from './lock.js';
import type { ReportLog } from './reports.js';

type TrialPhase = 'pending' | 'running' | 'complete' | 'failed';

export interface TrialState {
	readonly asked: AskedRecord;
	phase: TrialPhase;
	owner: Owner;
	/** `running` records applied so far: the take of the current lease (journal.ts) */
	takes: number;
	started_at?: string;
	complete?: CompleteRecord;
	failed?: FailedRecord;
	/** intermediate reports in the order recorded (one per step: a re-run's repeats are not recorded); `reportLog.list` */
	reports?: ReportRecord[];
	/** the same reports, indexed by step and rung (reports.ts) */
	reportLog?: ReportLog;
}

export function isEnded(t: TrialState, retries: number): boolean {
	return t.phase === 'complete' || (t.phase === 'failed' && t.asked.attempt > retries);
}

/** The report a trial recorded at `step`, if any (O(1)). */
export function reportAt(t: TrialState, step: number): ReportRecord | undefined {
	return t.reportLog?.at(step);
}

/** The first report of a trial whose decision was `stop` (the pruner stopped it there), if any (O(1)). */
export function stopReport(t: TrialState): ReportRecord | undefined {
	return t.reportLog?.stop;
}

/** Whether a trial ended as pruned (complete, stopped by the pruner before its full resource). */
export function isPruned(t: TrialState): boolean {
	return t.complete?.pruned_at !== undefined;
}

/** The objective value of a complete trial. */
export function trialValue(t: TrialState): number | undefined {
	return t.complete?.value;
}
