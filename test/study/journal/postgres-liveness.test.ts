import { execFileSync } from 'node:child_process';
import { hostname } from 'node:os';
import test from 'ava';
import { livenessOf } from '../../../src/study/journal/postgres.js';

/** The pid of a process that has exited. */
function deadPid(): number {
	return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString());
}

const here = hostname();
const owner = (run: string) => ({ run, host: here, pid: 1 });

test('liveness: a fresh lease counts, and on this host only with a pid that exists', (t) => {
	const alive = livenessOf([
		{ run: 'self0000', host: here, pid: process.pid, fresh: true },
		{ run: 'dead0000', host: here, pid: deadPid(), fresh: true },
		{ run: 'away0000', host: `${here}-elsewhere`, pid: 1, fresh: true },
		{ run: 'late0000', host: `${here}-elsewhere`, pid: 1, fresh: false },
	]);
	t.true(alive(owner('self0000')));
	t.false(alive(owner('dead0000')));
	t.true(alive(owner('away0000')));
	t.false(alive(owner('late0000')));
	t.false(alive(owner('none0000')));
});

test('liveness: the live owners a function returned count as fresh; a dead pid on this host does not', (t) => {
	const alive = livenessOf([
		{ run: 'self0000', host: here, pid: process.pid },
		{ run: 'dead0000', host: here, pid: deadPid() },
		{ run: 'away0000', host: `${here}-elsewhere`, pid: 1 },
	]);
	t.true(alive(owner('self0000')));
	t.false(alive(owner('dead0000')));
	t.true(alive(owner('away0000')));
});
