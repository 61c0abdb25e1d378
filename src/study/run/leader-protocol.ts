/**
 * The messages between a study's leader on this host and its followers (leader.ts, follower.ts),
 * one JSON object per line over a Unix socket. The leader decides and records; a follower only
 * evaluates the lifetimes it is sent, with its own evaluator (its worker pool, or its in-thread
 * function), and relays their reports.
 *
 *   follower -> leader   hello    (once) the protocol's version and how many lifetimes it runs at
 *                                 once: one lane each
 *                        stopping its run stops gracefully: send nothing more, let what runs finish
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
 * A line that is not one of these messages (another version's, or garbage from any process of this
 * user) ends the connection too: the guards below check every field either side acts on.
 */
import { failureReasons } from '../journal/records.js';
import type { FailureNote } from './lane.js';
import type { EvaluationTask, Outcome } from './evaluate.js';

export type FollowerMessage =
	| { readonly type: 'hello'; readonly version: number; readonly lanes: number; readonly run: string; readonly pid: number }
	| { readonly type: 'stopping' }
	| { readonly type: 'report'; readonly id: number; readonly n: number; readonly step: number; readonly value: number; readonly checkpoint: boolean; readonly values?: readonly number[] }
	| { readonly type: 'outcome'; readonly id: number; readonly outcome: Outcome }
	| { readonly type: 'beat' };

export type LeaderMessage =
	| { readonly type: 'task'; readonly id: number; readonly task: EvaluationTask; readonly timeoutMs?: number }
	| { readonly type: 'answer'; readonly id: number; readonly n: number; readonly halt: boolean }
	| { readonly type: 'abort' }
	| { readonly type: 'done'; readonly studyDone: boolean; readonly completed: number; readonly failed: number; readonly refused: number; readonly firstFailure?: FailureNote }
	| { readonly type: 'beat' };

/** The protocol's version, in `hello`: a leader refuses a follower of another (it runs as an ordinary worker). */
export const protocolVersion = 1;

/** The most lanes one follower may ask for. */
const maxFollowerLanes = 1024;

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isNumber = (v: unknown): v is number => typeof v === 'number';
const knownReasons: ReadonlySet<unknown> = new Set(failureReasons);

function isOutcome(v: unknown): v is Outcome {
	if (!isObject(v) || !isNumber(v.wall_ms)) return false;
	if (v.ok === true) return isNumber(v.value) && isObject(v.fields) && (v.pruned_at === undefined || isCount(v.pruned_at));
	return v.ok === false && knownReasons.has(v.reason) && typeof v.message === 'string';
}

/** `v` as a follower's message, or undefined when it is not one. */
export function followerMessage(v: unknown): FollowerMessage | undefined {
	if (!isObject(v)) return undefined;
	switch (v.type) {
		case 'hello':
			return v.version === protocolVersion && isCount(v.lanes) && v.lanes >= 1 && v.lanes <= maxFollowerLanes && typeof v.run === 'string' && isCount(v.pid) ? (v as FollowerMessage) : undefined;
		case 'report':
			return isCount(v.id) &&
				isCount(v.n) &&
				isNumber(v.step) &&
				isNumber(v.value) &&
				typeof v.checkpoint === 'boolean' &&
				(v.values === undefined || (Array.isArray(v.values) && v.values.every(isNumber)))
				? (v as FollowerMessage)
				: undefined;
		case 'outcome':
			return isCount(v.id) && isOutcome(v.outcome) ? (v as FollowerMessage) : undefined;
		case 'stopping':
		case 'beat':
			return v as FollowerMessage;
		default:
			return undefined;
	}
}

/** `v` as the leader's message, or undefined when it is not one. */
export function leaderMessage(v: unknown): LeaderMessage | undefined {
	if (!isObject(v)) return undefined;
	switch (v.type) {
		case 'task':
			return isCount(v.id) && isObject(v.task) && isCount(v.task.trial) && isObject(v.task.params) && isNumber(v.task.seed) && (v.timeoutMs === undefined || isNumber(v.timeoutMs))
				? (v as LeaderMessage)
				: undefined;
		case 'answer':
			return isCount(v.id) && isCount(v.n) && typeof v.halt === 'boolean' ? (v as LeaderMessage) : undefined;
		case 'done':
			return typeof v.studyDone === 'boolean' && isCount(v.completed) && isCount(v.failed) && isCount(v.refused) ? (v as LeaderMessage) : undefined;
		case 'abort':
		case 'beat':
			return v as LeaderMessage;
		default:
			return undefined;
	}
}

/** How often each side says it is alive, and how long a silence makes the other count it gone. */
export function beatTimes(leaseSeconds: number): { readonly beatMs: number; readonly silenceMs: number } {
	return { beatMs: Math.min(2_000, (leaseSeconds * 1000) / 5), silenceMs: leaseSeconds * 1000 };
}

/** A socket's bytes as whole lines, each parsed and checked (`check`) as one message; a line that is not JSON or not a message ends the connection (`bad`). */
export class LineReader<M> {
	private buffer = '';

	constructor(
		private readonly check: (value: unknown) => M | undefined,
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
				let message: M | undefined;
				try {
					message = this.check(JSON.parse(line));
				} catch {
					message = undefined;
				}
				if (message === undefined) {
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
