/**
 * One lane of a run (runner.ts): ask for a lifetime (under the lock), evaluate it, record its end and
 * ask for the next in one lock hold, until the scheduler says the study is done or the run stops. A
 * lane waits while the only lifetimes left are other lanes' or other processes'. What the lanes
 * completed and failed is counted in one `Tally`, which the run summary reports.
 */
import { checkedOutcome } from './end-record.js';
import type { Params } from '../../core/space.js';
import type { CheckpointDigest, FailureReason } from '../journal/journal.js';
import type { StudySession } from '../session.js';
import type { EvaluationTask, Outcome, ReportListener } from './evaluate.js';
import type { RunControl, RunEvent } from './run-control.js';
import type { Decision } from './scheduler.js';
import { collectCheckpoints } from './checkpoint-gc.js';
import { isPopulationArm } from './population-arm.js';
import { finishSegment, judgeSegmentReport, prepareSegment, type SegmentRun } from './segment.js';

/** A failed attempt as the run summary names it. */
export interface FailureNote {
	readonly trial: number;
	readonly arm: string;
	readonly params: Params;
	readonly reason: FailureReason;
	readonly message: string;
}

/** Lifetimes of this run by how they ended (RunSummary). */
export class Tally {
	completed = 0;
	failed = 0;
	refused = 0;
	/** the failed attempt with the lowest trial number (the same whatever order lanes end in) */
	firstFailure: FailureNote | undefined;
	/** the study has nothing left to run */
	done = false;

	count(note: Omit<FailureNote, 'reason' | 'message'>, outcome: Outcome, refused: boolean): void {
		if (refused) this.refused++;
		else if (outcome.ok) this.completed++;
		else if (outcome.reason !== 'aborted') {
			this.failed++;
			if (this.firstFailure === undefined || note.trial < this.firstFailure.trial) this.firstFailure = { ...note, reason: outcome.reason, message: outcome.message };
		}
	}
}

/** Runs a lifetime's task: in a worker of the pool, or in this thread with the caller's function. */
export type Evaluate = (task: EvaluationTask, timeoutMs: number | undefined, listener: ReportListener) => Promise<Outcome>;

/** What every lane of one run shares. */
export interface Lanes {
	readonly study: StudySession;
	readonly control: RunControl;
	readonly evaluate: Evaluate;
	readonly tally: Tally;
	/** trials a lane of this run is evaluating */
	readonly inFlight: Set<number>;
	readonly commit: string | undefined;
	readonly timeoutMs: number | undefined;
	/** decide ahead (session.ts `next`): start a lifetime before its decision is durable (runner.ts `pipeline`) */
	readonly ahead: boolean;
	/** aborted when the one who evaluates this lane's lifetimes is gone (a follower that left: leader.ts): the lane asks nothing more */
	readonly left?: AbortSignal;
}

/** Whether a lane asks for no more lifetimes: the run is stopping, or the lane's evaluator left. */
function halted(run: Lanes): boolean {
	return run.control.stopping || run.left?.aborted === true;
}

/** Run lifetimes until the study is done or the run stops. */
export async function runLane(run: Lanes): Promise<void> {
	const { study, control } = run;
	if (halted(run)) return;
	let decision: Decision = await study.next(run.inFlight, halted(run), run.ahead);
	for (;;) {
		switch (decision.kind) {
			case 'done':
				// a decision sent ahead and not yet answered may be refused: then the lane goes on with the one made again
				if (run.ahead && study.unconfirmed) {
					decision = await study.next(run.inFlight, halted(run));
					break;
				}
				if (!halted(run)) run.tally.done = true;
				// what a process killed after a segment's end left behind goes once the study is over
				if (run.tally.done && study.spec.arms.some((arm) => isPopulationArm(study.spec, arm))) collectCheckpoints(study.dir, study.spec, study.state);
				control.notify();
				return;
			case 'wait':
				await control.nap();
				if (halted(run) && !(run.ahead && study.unconfirmed)) return;
				decision = await study.next(run.inFlight, halted(run), run.ahead && !halted(run));
				break;
			case 'run':
				decision = await runLifetime(run, decision.trial);
				break;
			default:
				return decision satisfies never;
		}
	}
}

/**
 * Evaluate trial `trial` (asked by this lane), record its end and ask for the next lifetime in one
 * lock hold. A lifetime that ends without its end recorded (aborted, given up, or an error) is
 * released: it re-runs later, with the same params and seed. One started on a decision that was not
 * written (`superseded`) is given up: it is neither counted nor released (the decision made again in
 * its place may be the same trial number).
 */
async function runLifetime(run: Lanes, trial: number): Promise<Decision> {
	const { study, control } = run;
	const { arm, purpose, params, seed, segment } = study.trial(trial).asked;
	run.inFlight.add(trial);
	control.emit({ type: 'started', trial, arm, purpose, params, seed });
	// re-evaluations run a fixed configuration; a population member's segment runs its params as given
	const tuning = purpose === 'search' && segment === undefined ? study.tuning(arm) : undefined;
	const prepared = segment === undefined ? undefined : prepareSegment(study.dir, study.spec, study.state, trial, segment);
	const segmentRun = prepared === undefined || 'failure' in prepared ? undefined : prepared;
	const task: EvaluationTask = {
		trial,
		params,
		seed,
		...(tuning === undefined ? {} : { tuning, space: study.spec.space }),
		...(segmentRun === undefined ? {} : { checkpoint: segmentRun.folders }),
	};
	const reports = reportJudge(study, control, trial, segmentRun);
	let superseded = false;
	try {
		let outcome: Outcome =
			prepared !== undefined && 'failure' in prepared ? { ok: false, reason: 'threw', message: prepared.failure, wall_ms: 0 } : await run.evaluate(task, run.timeoutMs, reports.listener);
		if ((control.aborted && !outcome.ok) || reports.gaveUp()) outcome = { ok: false, reason: 'aborted', message: 'aborted', wall_ms: outcome.wall_ms };
		else if (reports.failure() !== undefined) outcome = { ok: false, reason: 'threw', message: reports.failure() as string, wall_ms: outcome.wall_ms };
		else if (segmentRun !== undefined && !(control.aborted || (!outcome.ok && outcome.reason === 'aborted'))) outcome = finishSegment(segmentRun, outcome, reports.announced());
		outcome = checkedOutcome(study.spec, outcome); // a metric or constrained field it did not log fails it
		run.inFlight.delete(trial);
		// Record the end and ask for the next lifetime in one lock hold; `finished` is emitted
		// between the two, so a stop a listener requests is seen by the ask.
		const ended: RunEvent = { type: 'finished', trial, arm, purpose, outcome };
		const next = await study.finishAndNext(
			trial,
			outcome,
			run.commit,
			run.inFlight,
			() => halted(run),
			() => control.emit(ended),
			run.ahead,
		);
		superseded = next.superseded;
		if (!superseded) run.tally.count({ trial, arm, params }, outcome, next.refused);
		// the end is durable now: checkpoints no member can return to go
		if (segment !== undefined) collectCheckpoints(study.dir, study.spec, study.state);
		control.notify();
		return next.decision;
	} finally {
		run.inFlight.delete(trial);
		if (!superseded) study.release(trial); // ended (a no-op) or abandoned: then it re-runs later
	}
}

/**
 * The listener a lifetime's reports go to. Each report is recorded and judged under the lock, one at
 * a time in the order made (an objective that reports again before its last report is answered, a
 * command's lines, must not have a later step judged first). A report whose decision waits on a
 * lifetime nobody runs gives this lifetime up (it re-runs later, to the same decisions), so that the
 * lane can run that one; after a stop, a give-up or an abort every report answers "stop".
 */
function reportJudge(
	study: StudySession,
	control: RunControl,
	trial: number,
	segment: SegmentRun | undefined,
): { readonly listener: ReportListener; readonly gaveUp: () => boolean; readonly failure: () => string | undefined; readonly announced: () => CheckpointDigest | undefined } {
	let gaveUp = false;
	let stopped = false;
	let failure: string | undefined;
	let announced: CheckpointDigest | undefined;
	const judge = async (step: number, value: number, checkpoint: boolean, values: readonly number[] | undefined): Promise<boolean> => {
		const kind = segment === undefined ? { kind: 'go' as const } : judgeSegmentReport(segment, step, checkpoint);
		if (kind.kind === 'fail') {
			failure ??= kind.message;
			stopped = true;
		}
		if (kind.kind === 'end' && !stopped) announced ??= kind.digest;
		for (;;) {
			if (control.aborted || gaveUp || stopped) return true;
			const answer = await study.report(trial, step, value, { end: kind.kind === 'end' }, values);
			if (answer.kind !== 'wait') {
				control.notify(); // a lane of this process may be waiting for this report
				stopped = answer.kind === 'stop';
				return stopped;
			}
			if (answer.orphan) {
				gaveUp = true;
				return true;
			}
			await control.nap();
		}
	};
	let queue: Promise<unknown> = Promise.resolve();
	const listener = (step: number, value: number, checkpoint: boolean, values?: readonly number[]): Promise<boolean> => {
		const answer = queue.then(() => judge(step, value, checkpoint, values));
		queue = answer.catch(() => undefined);
		return answer;
	};
	return { listener, gaveUp: () => gaveUp, failure: () => failure, announced: () => announced };
}
