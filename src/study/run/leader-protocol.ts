/**
 * The messages between a study's leader on this host and its followers (leader.ts, follower.ts),
 * one JSON object per line over a Unix socket. The leader decides and records; a follower only
 * evaluates the lifetimes it is sent, with its own evaluator (its worker pool, or its in-thread
 * function), and relays their reports.
 *
 *   follower -> leader   hello    (once) how many lifetimes it runs at once: one lane each
 *                        report   a running lifetime's report, to be judged (answered by `answer`)
 *                        outcome  how a lifetime ended
 *                        beat     alive (every beat period, also while idle)
 *   leader -> follower   task     a lifetime to evaluate (`id`: the task's number on this connection)
 *                        answer   whether the lifetime that reported stops
 *                        abort    stop every running lifetime now (not recorded: they re-run)
 *                        done     nothing more for this follower: the leader's run ended (`studyDone`
 *                                 when the study has nothing left), with what this follower's
 *                                 lifetimes counted for (completed, failed, refused)
 *                        beat     alive
 *
 * Either side that hears nothing for `silenceMs` (about the lease) counts the other as gone and
 * closes the socket; a closed socket is a gone peer too (a killed process's socket closes at once).
 */
import type { FailureNote } from './lane.js';
import type { EvaluationTask, Outcome } from './evaluate.js';

export type FollowerMessage =
	| { readonly type: 'hello'; readonly lanes: number; readonly run: string; readonly pid: number }
	| { readonly type: 'report'; readonly id: number; readonly n: number; readonly step: number; readonly value: number; readonly checkpoint: boolean; readonly values?: readonly number[] }
	| { readonly type: 'outcome'; readonly id: number; readonly outcome: Outcome }
	| { readonly type: 'beat' };

export type LeaderMessage =
	| { readonly type: 'task'; readonly id: number; readonly task: EvaluationTask; readonly timeoutMs?: number }
	| { readonly type: 'answer'; readonly id: number; readonly n: number; readonly halt: boolean }
	| { readonly type: 'abort' }
	| { readonly type: 'done'; readonly studyDone: boolean; readonly completed: number; readonly failed: number; readonly refused: number; readonly firstFailure?: FailureNote }
	| { readonly type: 'beat' };

/** How often each side says it is alive, and how long a silence makes the other count it gone. */
export function beatTimes(leaseSeconds: number): { readonly beatMs: number; readonly silenceMs: number } {
	return { beatMs: Math.min(2_000, (leaseSeconds * 1000) / 5), silenceMs: leaseSeconds * 1000 };
}

/** A socket's bytes as whole lines, each parsed as one message; a line that is not JSON ends the connection (`bad`). */
export class LineReader<M> {
	private buffer = '';

	constructor(
		private readonly onMessage: (message: M) => void,
		private readonly bad: (line: string) => void,
	) {}

	push(chunk: string): void {
		this.buffer += chunk;
		let at = this.buffer.indexOf('\n');
		while (at >= 0) {
			const line = this.buffer.slice(0, at);
			this.buffer = this.buffer.slice(at + 1);
			if (line !== '') {
				let message: M;
				try {
					message = JSON.parse(line) as M;
				} catch {
					this.bad(line);
					return;
				}
				this.onMessage(message);
			}
			at = this.buffer.indexOf('\n');
		}
	}
}

/** A message as one line. */
export function line(message: FollowerMessage | LeaderMessage): string {
	return `${JSON.stringify(message)}\n`;
}
