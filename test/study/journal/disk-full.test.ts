/**
 * A full disk: one line naming the file and the free-space problem (DiskFullError, exit 9), nothing
 * half-written left behind, and an exact resume once there is space. Injected at the journal's write
 * call; and for real on a small tmpfs when this process may mount one (root on Linux), else skipped
 * with a message.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { DiskFullError } from '../../../src/core/errors.js';
import { Journal, readJournal } from '../../../src/study/journal/journal.js';
import { parse } from 'yaml';
import { fixtures, spawnCli, tempDir, writeStudy } from '../helpers.js';

const readStudy = (file: string) => parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

function enospc(): NodeJS.ErrnoException {
	return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
}

test('a write that fails part way with ENOSPC leaves no partial line and is a DiskFullError naming the journal', (t) => {
	const path = join(tempDir(), 'journal.jsonl');
	writeFileSync(path, '{"type":"running","at":"x","trial":0,"owner":{"host":"h","pid":1,"run":"r"}}\n');
	const journal = new Journal(path);
	journal.readNew(true);
	const before = readFileSync(path);
	// the disk fills after the first 10 bytes of the write
	let calls = 0;
	Object.assign(journal, {
		writeChunk(bytes: Buffer, offset: number): number {
			if (calls++ > 0) throw enospc();
			writeFileSync(path, bytes.subarray(offset, offset + 10), { flag: 'a' });
			return 10;
		},
	});
	const error = t.throws(() => journal.write(['{"type":"running","at":"y","trial":1,"owner":{"host":"h","pid":1,"run":"r"}}\n']), { instanceOf: DiskFullError });
	journal.close();
	t.is(error?.exitCode, 9);
	t.true(error?.message.startsWith(`${path}: no space left on the device while appending to the journal;`), error?.message);
	t.regex(error?.message ?? '', /free some space, then run the same command to resume/);
	t.false(error?.message.includes('\n'));
	t.true(calls >= 2, 'the write went through the injectable call');
	t.deepEqual(readFileSync(path), before, 'the partial line was removed');
});

/** A tmpfs of `size` at a new folder, or the reason none can be mounted here. */
function mountTmpfs(size: string): { dir: string } | { reason: string } {
	if (process.platform !== 'linux' || process.getuid?.() !== 0) return { reason: 'needs root on Linux to mount a tmpfs' };
	const dir = mkdtempSync(join(tmpdir(), 'metatune-full-'));
	const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
	if (r.status === 0) return { dir };
	rmSync(dir, { recursive: true });
	return { reason: `mount failed: ${(r.stderr || String(r.error)).trim()}` };
}

const mounted = mountTmpfs('256k');
// unmounted (its content goes with it) and removed when this test file's process exits
process.on('exit', () => {
	if (!('dir' in mounted)) return;
	spawnSync('umount', [mounted.dir]);
	rmSync(mounted.dir, { recursive: true, force: true });
});
if ('reason' in mounted) console.log(`disk-full.test.ts: the real full-disk test is skipped (${mounted.reason})`);

(('dir' in mounted ? test.serial : test.skip) as typeof test.serial)('on a really full disk: run exits 9 with one line, leaves no owners file, and resumes exactly after space is freed', async (t) => {
	const disk = (mounted as { dir: string }).dir;
	const results = join(disk, 'res');
	const studies = tempDir();
	const file = writeStudy(studies, {
		name: 'full',
		objective: { module: join(fixtures, 'objectives.js'), export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 1 },
		budget: 600,
	});
	const first = await spawnCli(['run', file, '--results', results, '--quiet', '--concurrency', '2']).done;
	t.is(first.code, 9, first.stderr);
	const lines = first.stderr.trim().split('\n');
	t.is(lines.length, 1, first.stderr);
	t.regex(lines[0] ?? '', /journal\.jsonl: no space left on the device while appending to the journal; .*free some space, then run the same command to resume$/);
	const journal = join(results, 'full', 'journal.jsonl');
	t.true(readFileSync(journal, 'utf8').endsWith('\n'), 'no partial line');
	t.deepEqual(readdirSync(join(results, 'full', 'owners')), [], 'no owners file left');
	const kept = readJournal(journal).filter((r) => r.type === 'complete').length;
	t.true(kept > 0 && kept < 600, `${kept} lifetimes recorded before the disk filled`);
	// another study on the now completely full disk: stopped before anything, no empty presence file
	const owners = join(results, 'other', 'owners');
	mkdirSync(owners, { recursive: true });
	try {
		writeFileSync(join(disk, 'filler'), Buffer.alloc(256 * 1024));
	} catch {
		// ENOSPC: the filler took what was left, as meant
	}
	const otherFile = writeStudy(studies, { ...readStudy(file), name: 'other' }, 'other.yaml');
	const other = await spawnCli(['run', otherFile, '--results', results, '--quiet']).done;
	t.is(other.code, 9, other.stderr);
	t.is(other.stderr.trim().split('\n').length, 1, other.stderr);
	t.regex(other.stderr, /owners\/[0-9a-f]+\.json: no space left on the device while announcing this process; nothing was run/);
	t.deepEqual(readdirSync(owners), [], 'no empty owners file');
	rmSync(join(disk, 'filler'), { force: true });
	t.is(spawnSync('mount', ['-o', 'remount,size=4m', disk]).status, 0);
	const resumed = await spawnCli(['run', file, '--results', results, '--quiet', '--concurrency', '2']).done;
	t.is(resumed.code, 0, resumed.stderr);
	const records = readJournal(journal);
	const trials = new Set(records.filter((r) => r.type === 'complete').map((r) => r.trial));
	t.is(trials.size, 600, 'every lifetime once');
	t.is(records.filter((r) => r.type === 'asked').length, 600, 'nothing asked twice');
	t.false(existsSync(join(results, 'full', 'journal.lock')));
});
