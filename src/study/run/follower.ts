/**
 * A follower of this host's leader (runStudy `electLeader`; leader.ts): it evaluates the lifetimes
 * the leader sends, with this process's evaluator (its worker pool, or its in-thread function), and
 * relays their reports; it touches no storage while following (its owner row's heartbeat aside).
 *
 * It ends when the leader says `done` (with what its lifetimes counted for), or when the leader is
 * gone (the socket closed, or silent for `silenceMs`): then every lifetime it runs is aborted (not
 * recorded: the leader's lease on it runs out and it re-runs) and the caller elects again. Its own
 * graceful stop tells the leader (`stopping`), which records the lifetimes running now as they end,
 * sends nothing more and says `done`; a hard stop aborts them and leaves. It connects only to a
 * socket in a leader's own folder (journal/pg-leader.ts: directly in the temp folder, a directory of
 * this user that no one else may enter), whatever path the study's storage names: else it does not
 * follow (`unreachable`).
 */
import { lstatSync } from 'node:fs';
import { createConnection } from 'node:net';
import { errorMessage } from '../../core/errors.js';
import type { Owner } from '../journal/lock.js';
import { leftSocketFolder } from '../journal/pg-leader.js';
import type { Evaluate } from './lane.js';
import type { Outcome } from './evaluate.js';
import { beatTimes, type FollowerMessage, type LeaderMessage, LineReader, leaderMessage, line, protocolVersion } from './leader-protocol.js';
import type { RunControl } from './run-control.js';

/** How following ended: the leader's `done`; `lost` once connected; `unreachable`: no connection was made. */
export type Followed = { readonly kind: 'done'; readonly done: Extract<LeaderMessage, { type: 'done' }> } | { readonly kind: 'lost' } | { readonly kind: 'unreachable' };

export interface FollowOptions {
	readonly socket: string;
	/** lifetimes this process runs at once */
	readonly lanes: number;
	readonly me: Owner;
	readonly leaseSeconds: number;
	readonly control: RunControl;
	/** this process's evaluator, whose lifetimes end as aborted once `abort` is aborted */
	readonly evaluateFor: (abort: AbortSignal) => Evaluate;
}

/** Whether `socket` is in a leader's own folder: directly in the temp folder, a directory (not a link) of this user, closed to others. */
export function trustedSocket(socket: string): boolean {
	const folder = leftSocketFolder(socket);
	if (folder === undefined) return false;
	try {
		const stat = lstatSync(folder);
		return stat.isDirectory() && stat.uid === process.getuid?.() && (stat.mode & 0o077) === 0;
	} catch {
		return false;
	}
}

export function follow(options: FollowOptions): Promise<Followed> {
	if (!trustedSocket(options.socket)) return Promise.resolve({ kind: 'unreachable' });
	const { control } = options;
	const { beatMs, silenceMs } = beatTimes(options.leaseSeconds);
	const abort = new AbortController();
	const evaluate = options.evaluateFor(abort.signal);
	const answers = new Map<string, (halt: boolean) => void>();
	const running = new Set<Promise<void>>();
	let connected = false;
	let done: Extract<LeaderMessage, { type: 'done' }> | undefined;
	let heard = Date.now();
	const socket = createConnection(options.socket);
	socket.setEncoding('utf8');
	const send = (m: FollowerMessage) => {
		if (!socket.destroyed) socket.write(line(m));
	};

	const run = (id: number, task: Extract<LeaderMessage, { type: 'task' }>) => {
		if (control.stopping || abort.signal.aborted) {
			// sent before the leader read `stopping`: not run, so not recorded (it re-runs)
			send({ type: 'outcome', id, outcome: { ok: false, reason: 'aborted', message: 'the follower is stopping', wall_ms: 0 } });
			return;
		}
		let n = 0;
		const listener = (step: number, value: number, checkpoint: boolean, values?: readonly number[]) =>
			new Promise<boolean>((resolve) => {
				if (socket.destroyed) return resolve(true);
				const key = `${id}:${n}`;
				answers.set(key, resolve);
				send({ type: 'report', id, n: n++, step, value, checkpoint, ...(values === undefined ? {} : { values }) });
			});
		const lifetime = evaluate(task.task, task.timeoutMs, listener)
			.catch((error: unknown): Outcome => ({ ok: false, reason: 'aborted', message: `the follower could not evaluate it: ${errorMessage(error)}`, wall_ms: 0 }))
			.then((outcome: Outcome) => send({ type: 'outcome', id, outcome }));
		running.add(lifetime);
		void lifetime.finally(() => running.delete(lifetime));
	};

	const receive = (m: LeaderMessage) => {
		heard = Date.now();
		switch (m.type) {
			case 'task':
				run(m.id, m);
				return;
			case 'answer': {
				const key = `${m.id}:${m.n}`;
				answers.get(key)?.(m.halt);
				answers.delete(key);
				return;
			}
			case 'abort':
				abort.abort();
				return;
			case 'done':
				done = m;
				return;
			case 'beat':
				return;
			default:
				m satisfies never;
		}
	};

	const reader = new LineReader<LeaderMessage>(leaderMessage, receive, () => socket.destroy());
	socket.on('data', (chunk: string) => reader.push(chunk));
	const timer = setInterval(() => {
		if (Date.now() - heard > silenceMs) socket.destroy();
		else send({ type: 'beat' });
	}, beatMs);
	timer.unref();
	const onStop = () => {
		if (connected) send({ type: 'stopping' });
		else socket.destroy();
	};
	const onAbort = () => {
		abort.abort();
		socket.destroy();
	};
	control.hardStop.signal.addEventListener('abort', onAbort, { once: true });
	control.stopped.signal.addEventListener('abort', onStop, { once: true });
	// a stop that came before these listeners (while electing) counts too
	if (control.hardStop.signal.aborted) onAbort();
	else if (control.stopped.signal.aborted) onStop();

	return new Promise<Followed>((resolve) => {
		socket.on('connect', () => {
			connected = true;
			heard = Date.now();
			send({ type: 'hello', version: protocolVersion, lanes: options.lanes, run: options.me.run, pid: options.me.pid });
		});
		socket.on('error', () => socket.destroy());
		socket.on('close', async () => {
			clearInterval(timer);
			control.hardStop.signal.removeEventListener('abort', onAbort);
			control.stopped.signal.removeEventListener('abort', onStop);
			// a lifetime still running without its leader is not recorded by anyone: end it now
			if (done === undefined) abort.abort();
			for (const answer of answers.values()) answer(true);
			answers.clear();
			while (running.size > 0) await Promise.all([...running]);
			resolve(done !== undefined ? { kind: 'done', done } : connected ? { kind: 'lost' } : { kind: 'unreachable' });
		});
	});
}
