import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { FileLock, type LockOptions, pidAlive } from '../../../src/study/journal/lock.js';
import { tempDir } from '../helpers.js';

const a = { host: hostname(), pid: process.pid, run: 'aaaaaaaa' };
const b = { host: hostname(), pid: process.pid, run: 'bbbbbbbb' };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The pid of a process that has exited. */
function deadPid(): number {
	return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
}

const modes: [string, (dir: string, run: string) => LockOptions][] = [
	['link (ticket file)', (dir, run) => ({ ticket: join(dir, 'owners', `${run}.lock`) })],
	['O_EXCL create', () => ({ ticket: false })],
];

for (const [mode, options] of modes) {
	test(`${mode}: holders exclude each other; the lock file names the holder; dispose removes the ticket`, async (t: ExecutionContext) => {
		const dir = tempDir();
		const path = join(dir, 'journal.lock');
		const la = new FileLock(path, a, options(dir, a.run));
		const lb = new FileLock(path, b, options(dir, b.run));
		const order: string[] = [];
		let seenByA = '';
		const first = la.withLock(async () => {
			order.push('a in');
			seenByA = readFileSync(path, 'utf8');
			await sleep(30);
			order.push('a out');
		});
		await sleep(5);
		const second = lb.withLock(() => {
			order.push('b in');
			t.is(JSON.parse(readFileSync(path, 'utf8')).run, b.run);
		});
		await Promise.all([first, second]);
		t.deepEqual(order, ['a in', 'a out', 'b in']);
		t.is(JSON.parse(seenByA).run, a.run);
		t.false(existsSync(path), 'released');
		la.dispose();
		lb.dispose();
		const left = existsSync(join(dir, 'owners')) ? readdirSync(join(dir, 'owners')) : [];
		t.deepEqual(left, [], 'no ticket left');
	});

	test(`${mode}: a lock left by a dead process on this host is broken; a live holder's is not`, async (t: ExecutionContext) => {
		const dir = tempDir();
		const path = join(dir, 'journal.lock');
		writeFileSync(path, `${JSON.stringify({ host: hostname(), pid: deadPid(), run: 'dead0000' })}\n`);
		const lb = new FileLock(path, b, options(dir, b.run));
		let ran = false;
		await lb.withLock(() => {
			ran = true;
		});
		t.true(ran);
		writeFileSync(path, `${JSON.stringify({ host: hostname(), pid: process.pid, run: 'alive000' })}\n`);
		const patient = new FileLock(path, b, { ...options(dir, b.run), timeoutMs: 150 });
		await t.throwsAsync(
			patient.withLock(() => undefined),
			{ message: /locked by .*alive000/ },
		);
		t.true(existsSync(path), 'a live holder keeps its lock');
		lb.dispose();
	});

	test(`${mode}: a lock older than staleMs (another host) is broken`, async (t: ExecutionContext) => {
		const dir = tempDir();
		const path = join(dir, 'journal.lock');
		writeFileSync(path, `${JSON.stringify({ host: 'elsewhere', pid: 1, run: 'remote00' })}\n`);
		await sleep(80);
		const lb = new FileLock(path, b, { ...options(dir, b.run), staleMs: 50 });
		let ran = false;
		await lb.withLock(() => {
			ran = true;
		});
		t.true(ran);
		t.false(existsSync(path));
		lb.dispose();
	});
}

test('link mode: a ticket removed by someone else is written again', async (t) => {
	const dir = tempDir();
	const ticket = join(dir, 'owners', `${a.run}.lock`);
	const la = new FileLock(join(dir, 'journal.lock'), a, { ticket });
	await la.withLock(() => undefined);
	t.true(existsSync(ticket));
	rmSync(join(dir, 'owners'), { recursive: true });
	await la.withLock(() => t.is(JSON.parse(readFileSync(join(dir, 'journal.lock'), 'utf8')).run, a.run));
	t.true(existsSync(ticket));
	la.dispose();
	t.false(existsSync(ticket));
});

test('pidAlive: a live process is alive; an exited one not yet reaped (a zombie) is not; nor is a reaped one', async (t) => {
	// sh starts a child that exits at once, then becomes `sleep`, which never reaps it: a zombie
	const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
	const child = Number((await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString())))).trim());
	try {
		t.true(pidAlive(parent.pid as number));
		let state = '';
		for (let i = 0; i < 100 && state !== 'Z'; i++) {
			await new Promise((r) => setTimeout(r, 20));
			const stat = readFileSync(`/proc/${child}/stat`, 'latin1');
			state = stat.charAt(stat.lastIndexOf(')') + 2);
		}
		t.is(state, 'Z', 'the child is a zombie');
		t.false(pidAlive(child));
	} finally {
		parent.kill('SIGKILL');
	}
	await new Promise((r) => parent.once('exit', r));
	t.false(pidAlive(child));
});
