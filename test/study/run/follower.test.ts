/**
 * A follower against a leader of the test's own (a Unix socket speaking leader-protocol.ts), no
 * storage: its graceful stop lets every running lifetime end and reach the leader; a stop made
 * before it follows still ends it; it connects only to a socket in a leader's own folder.
 */
import { chmodSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import type { Outcome } from '../../../src/study/run/evaluate.js';
import { follow, trustedSocket } from '../../../src/study/run/follower.js';
import { type FollowerMessage, followerMessage, LineReader, line } from '../../../src/study/run/leader-protocol.js';
import { RunControl } from '../../../src/study/run/run-control.js';
import { socketFolderPrefix } from '../../../src/study/journal/pg-leader.js';
import { tempDir } from '../../temp.js';

const me = { run: 'follower-test', pid: process.pid, host: 'test' } as never;

/** A leader that records every message, and `send`s to the follower once it has said hello. */
async function fakeLeader(): Promise<{ socket: string; heard: FollowerMessage[]; hello: Promise<Socket>; close: () => Promise<void> }> {
	const socket = join(tempDir(socketFolderPrefix), 'leader.sock');
	const heard: FollowerMessage[] = [];
	let greeted: (s: Socket) => void = () => undefined;
	const hello = new Promise<Socket>((r) => (greeted = r));
	const server = createServer((connection) => {
		connection.setEncoding('utf8');
		const reader = new LineReader<FollowerMessage>(
			followerMessage,
			(m) => {
				heard.push(m);
				if (m.type === 'hello') greeted(connection);
			},
			() => connection.destroy(),
		);
		connection.on('data', (chunk: string) => reader.push(chunk));
		connection.on('error', () => undefined);
	});
	await new Promise<void>((resolve) => server.listen(socket, resolve));
	const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
	return { socket, heard, hello, close };
}

const task = (trial: number) => ({ trial, params: { x: trial }, seed: trial });
const ok = (value: number): Outcome => ({ ok: true, value, fields: {}, wall_ms: 1 });

test('a graceful stop with two lifetimes running: both end and reach the leader, then done ends following', async (t) => {
	const leader = await fakeLeader();
	const control = new RunControl(undefined, () => undefined, 50, false, false);
	const ends: (() => void)[] = [];
	const following = follow({
		socket: leader.socket,
		lanes: 2,
		me,
		leaseSeconds: 10,
		control,
		evaluateFor: () => (trial) => new Promise<Outcome>((resolve) => ends.push(() => resolve(ok(trial.trial)))),
	});
	const connection = await leader.hello;
	connection.write(line({ type: 'task', id: 0, task: task(0) }));
	connection.write(line({ type: 'task', id: 1, task: task(1) }));
	while (ends.length < 2) await new Promise((r) => setTimeout(r, 5));
	control.stop();
	await new Promise((r) => setTimeout(r, 20));
	ends[0]?.();
	await new Promise((r) => setTimeout(r, 20));
	ends[1]?.();
	await new Promise((r) => setTimeout(r, 20));
	const outcomes = leader.heard.filter((m) => m.type === 'outcome');
	t.deepEqual(
		outcomes.map((m) => m.type === 'outcome' && m.outcome.ok),
		[true, true],
		'both lifetimes running at the stop reach the leader',
	);
	t.true(leader.heard.some((m) => m.type === 'stopping'));
	connection.end(line({ type: 'done', studyDone: false, completed: 2, failed: 0, refused: 0 }));
	const followed = await following;
	t.is(followed.kind, 'done');
	await leader.close();
});

test('a run stopped before it follows leaves at once, not when the leader next speaks', async (t) => {
	const leader = await fakeLeader();
	const control = new RunControl(undefined, () => undefined, 50, true, false);
	const followed = await Promise.race([
		follow({ socket: leader.socket, lanes: 1, me, leaseSeconds: 60, control, evaluateFor: () => () => Promise.resolve(ok(0)) }),
		new Promise<'waited'>((r) => setTimeout(() => r('waited'), 3000)),
	]);
	t.not(followed, 'waited');
	await leader.close();
});

test('a follower connects only to a socket in a leader folder of this user, closed to others', (t) => {
	const folder = tempDir(socketFolderPrefix);
	t.true(trustedSocket(join(folder, 'leader.sock')));
	chmodSync(folder, 0o755);
	t.false(trustedSocket(join(folder, 'leader.sock')), 'a folder others may enter');
	chmodSync(folder, 0o700);
	const link = `${folder}-link`;
	symlinkSync(folder, link);
	t.false(trustedSocket(join(link, 'leader.sock')), 'a link');
	rmSync(link);
	t.false(trustedSocket(join(tempDir('metatune-other-'), 'leader.sock')), 'another folder');
});

test('messages are checked: garbage, another version and absurd fields end the connection', (t) => {
	const bad: string[] = [];
	const good: FollowerMessage[] = [];
	const reader = new LineReader<FollowerMessage>(
		followerMessage,
		(m) => good.push(m),
		(l) => bad.push(l),
	);
	for (const l of [
		'null',
		'5',
		'{"type":"hello","version":99,"lanes":1,"run":"r","pid":1}',
		'{"type":"hello","version":1,"lanes":1000000000,"run":"r","pid":1}',
		'{"type":"outcome","id":0,"outcome":null}',
		'{"type":"outcome","id":0,"outcome":{"ok":false,"reason":"nope","message":"m","wall_ms":0}}',
		'{"type":"report","id":0,"n":0,"step":"1","value":1,"checkpoint":false}',
	])
		reader.push(`${l}\n`);
	t.is(bad.length, 7);
	reader.push(`${line({ type: 'hello', version: 1, lanes: 2, run: 'r', pid: 1 })}${line({ type: 'outcome', id: 3, outcome: { ok: false, reason: 'timeout', message: 'm', wall_ms: 2 } })}`);
	t.deepEqual(
		good.map((m) => m.type),
		['hello', 'outcome'],
	);
});
