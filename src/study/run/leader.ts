/**
 * The leader of a study's workers on this host (runStudy `electLeader`): it runs the study as any
 * run does (its lanes, its session, its writer, which groups the lanes' writes into one lock hold)
 * and adds one lane per lifetime a follower runs at once (follower.ts). Such a lane's lifetimes are
 * evaluated by the follower: the task goes over the follower's socket (leader-protocol.ts), its
 * reports come back to the lane's listener and their answers go back, and its outcome ends the
 * lane's `evaluate`. Every record is the leader's (its owner, its lease); followers write none.
 *
 * A follower that closes its socket, or says nothing for `silenceMs`, is gone: its lifetimes
 * resolve as aborted (not recorded: they re-run, as a killed worker thread's) and its lanes ask for
 * nothing more (`Lanes.left`). A hard stop of the leader aborts the followers' lifetimes too.
 *
 * The socket is in a folder of its own under the temp folder (mode 0700, so only this user reaches
 * it), removed when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { socketFolderPrefix } from '../journal/pg-leader.js';
import type { EvaluationTask, Outcome, ReportListener } from './evaluate.js';
import { runLane, Tally, type Lanes } from './lane.js';
import { beatTimes, type FollowerMessage, followerMessage, type LeaderMessage, LineReader, line } from './leader-protocol.js';

/** A task sent to a follower and not yet ended. */
interface Sent {
	readonly listener: ReportListener;
	readonly resolve: (outcome: Outcome) => void;
}

const gone = (message: string): Outcome => ({ ok: false, reason: 'aborted', message, wall_ms: 0 });

/** One follower's connection: its lanes, their tasks, and what its lifetimes counted for. */
class FollowerLink {
	private readonly sent = new Map<number, Sent>();
	private nextId = 0;
	private heard = Date.now();
	private readonly left = new AbortController();
	/** aborted when the follower stops gracefully (`stopping`) or leaves: its lanes ask nothing more */
	private readonly stopAsking = new AbortController();
	private readonly tally = new Tally();
	private greeted = false;
	private readonly created = Date.now();

	constructor(
		private readonly socket: Socket,
		private readonly lanes: Lanes,
		private readonly silenceMs: number,
		private readonly started: (lanes: Promise<void>) => void,
	) {
		socket.setEncoding('utf8');
		const reader = new LineReader<FollowerMessage>(
			followerMessage,
			(m) => this.receive(m),
			() => this.leave(),
		);
		socket.on('data', (chunk: string) => reader.push(chunk));
		socket.on('close', () => this.leave());
		socket.on('error', () => this.leave());
	}

	private send(message: LeaderMessage): void {
		if (!this.socket.destroyed) this.socket.write(line(message));
	}

	private receive(m: FollowerMessage): void {
		this.heard = Date.now();
		switch (m.type) {
			case 'hello':
				if (this.greeted) return;
				this.greeted = true;
				this.started(this.runLanes(m.lanes));
				return;
			case 'stopping':
				// its lifetimes running now end and are recorded; its lanes ask nothing more, then `done`
				this.stopAsking.abort();
				this.lanes.control.notify();
				return;
			case 'report': {
				const sent = this.sent.get(m.id);
				if (sent === undefined) return;
				sent.listener(m.step, m.value, m.checkpoint, m.values).then(
					(halt) => this.send({ type: 'answer', id: m.id, n: m.n, halt }),
					() => this.send({ type: 'answer', id: m.id, n: m.n, halt: true }),
				);
				return;
			}
			case 'outcome': {
				const sent = this.sent.get(m.id);
				this.sent.delete(m.id);
				sent?.resolve(m.outcome);
				return;
			}
			case 'beat':
				return;
			default:
				m satisfies never;
		}
	}

	/** This follower's lanes until each is done, stopped or left; then tell it so, with what its lifetimes counted for. */
	private async runLanes(count: number): Promise<void> {
		const lanes: Lanes = { ...this.lanes, evaluate: (task, timeoutMs, listener) => this.evaluate(task, timeoutMs, listener), tally: this.tally, ahead: false, left: this.stopAsking.signal };
		await Promise.all(Array.from({ length: count }, () => runLane(lanes).catch(this.lanes.control.fail)));
		const { completed, failed, refused, firstFailure } = this.tally;
		this.send({ type: 'done', studyDone: this.tally.done, completed, failed, refused, ...(firstFailure === undefined ? {} : { firstFailure }) });
		this.socket.end();
	}

	private evaluate(task: EvaluationTask, timeoutMs: number | undefined, listener: ReportListener): Promise<Outcome> {
		if (this.left.signal.aborted) return Promise.resolve(gone('the follower left'));
		if (this.lanes.control.aborted) return Promise.resolve(gone('aborted'));
		const id = this.nextId++;
		return new Promise<Outcome>((resolve) => {
			this.sent.set(id, { listener, resolve });
			this.send({ type: 'task', id, task, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
		});
	}

	/** The leader's hard stop: the follower's lifetimes end unrecorded. */
	abort(): void {
		this.send({ type: 'abort' });
		this.endAll('aborted');
	}

	/** Called every beat: say this leader is alive; a follower silent too long, or without its hello for as long, is gone. */
	beat(): void {
		const now = Date.now();
		if (now - this.heard > this.silenceMs || (!this.greeted && now - this.created > this.silenceMs)) {
			this.socket.destroy();
			this.leave();
			return;
		}
		this.send({ type: 'beat' });
	}

	/** The follower is gone (closed, silent, garbled): its lifetimes end unrecorded, its lanes ask nothing more. */
	private leave(): void {
		if (this.left.signal.aborted) return;
		this.left.abort();
		this.stopAsking.abort();
		this.socket.destroy();
		this.endAll('the follower left');
		this.lanes.control.notify();
	}

	private endAll(message: string): void {
		for (const sent of this.sent.values()) sent.resolve(gone(message));
		this.sent.clear();
	}
}

/** The leader's socket and the followers' lanes. */
export class LeaderServer {
	private readonly links = new Set<FollowerLink>();
	private readonly running = new Set<Promise<void>>();
	private readonly timer: NodeJS.Timeout;
	private readonly onAbort = () => {
		for (const link of this.links) link.abort();
	};

	private constructor(
		private readonly server: Server,
		private readonly folder: string,
		readonly socket: string,
		private readonly lanes: Lanes,
		beatMs: number,
	) {
		this.timer = setInterval(() => {
			for (const link of this.links) link.beat();
		}, beatMs);
		this.timer.unref();
		lanes.control.hardStop.signal.addEventListener('abort', this.onAbort, { once: true });
	}

	/** Listen (before the election: a follower may connect as soon as this process is recorded as the leader). */
	static async listen(lanes: Lanes, leaseSeconds: number): Promise<LeaderServer> {
		const folder = mkdtempSync(join(tmpdir(), socketFolderPrefix));
		const socket = join(folder, 'leader.sock');
		const { beatMs, silenceMs } = beatTimes(leaseSeconds);
		let leader: LeaderServer | undefined;
		const server = createServer((connection) => {
			if (leader === undefined) return connection.destroy();
			const link = new FollowerLink(connection, lanes, silenceMs, (running) => leader?.track(running));
			leader.links.add(link);
			connection.on('close', () => leader?.links.delete(link));
		});
		try {
			await new Promise<void>((resolve, reject) => {
				server.once('error', reject);
				server.listen(socket, () => {
					server.off('error', reject);
					resolve();
				});
			});
		} catch (error) {
			rmSync(folder, { recursive: true, force: true });
			throw error;
		}
		leader = new LeaderServer(server, folder, socket, lanes, beatMs);
		return leader;
	}

	private track(running: Promise<void>): void {
		this.running.add(running);
		void running.finally(() => this.running.delete(running));
	}

	/** Accept no more followers; wait for the lanes of those connected to end; remove the socket. */
	async close(): Promise<void> {
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve())); // once every connection has closed
		while (this.running.size > 0) await Promise.all([...this.running]);
		await closed;
		clearInterval(this.timer);
		this.lanes.control.hardStop.signal.removeEventListener('abort', this.onAbort);
		rmSync(this.folder, { recursive: true, force: true });
	}
}
