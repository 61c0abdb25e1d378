/**
 * Output into a pipe whose reader went away, as `metatune status x | head -1` leaves it: the read
 * commands (status, list, compare, export) exit 0 without a word, and `run 2>&1 | head -2` keeps
 * running when only the reader of its progress went away: every lifetime finishes and the journal
 * is complete. Real processes, with the pipe closed by the reader (`head`, or this test).
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import test from 'ava';
import type { JournalRecord } from '../../src/study/journal/journal.js';
import { readJournal } from '../../src/study/journal/journal.js';
import { runCli } from '../cli-capture.js';
import { fixtures, root, tempDir, writeStudy } from '../study/helpers.js';

const module = join(fixtures, 'objectives.js');
const cli = [process.execPath, '--import', 'tsx', join(root, 'src/cli/main.ts')];

function study(budget: number): { file: string; results: string } {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'piped',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searchers: [
			{ kind: 'grid', points: 4 },
			{ kind: 'random', seed: 3 },
		],
		budget,
	});
	return { file, results: join(dir, 'results') };
}

/** `metatune <args>` whose stdout reader closes the pipe at once (before the first line): its exit code and stderr. */
function readerGone(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
	const child = spawn(cli[0] as string, [...cli.slice(1), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout.destroy();
	let stderr = '';
	child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

test.serial('status, list, compare and export into a closed pipe exit 0 without a stack trace', async (t) => {
	const { file, results } = study(8);
	t.is((await runCli(['run', file, '--results', results, '--quiet'])).code, 0);
	for (const args of [['status', 'piped'], ['list'], ['compare', 'piped'], ['export', 'piped', '--format', 'csv']]) {
		const { code, stderr } = await readerGone([...args, '--results', results]);
		t.is(stderr, '', args[0]);
		t.is(code, 0, args[0]);
	}
});

test.serial('run 2>&1 | head -2: the run goes on after head exits; every lifetime finishes', async (t) => {
	const { file, results } = study(40);
	const command = `${cli.map((a) => JSON.stringify(a)).join(' ')} run ${JSON.stringify(file)} --results ${JSON.stringify(results)} --concurrency 1 2>&1 | head -2; echo "exit \${PIPESTATUS[0]}"`;
	const shell = spawnSync('bash', ['-c', command], { cwd: root, env: { ...process.env, FIXTURE_DELAY_MS: '40' }, encoding: 'utf8' });
	const lines = shell.stdout.trimEnd().split('\n');
	t.is(lines.length, 3, shell.stdout);
	t.is(lines.at(-1), 'exit 0', shell.stdout);
	const records: JournalRecord[] = readJournal(join(results, 'piped', 'journal.jsonl'));
	const complete = records.filter((r) => r.type === 'complete').length;
	t.is(complete, records.filter((r) => r.type === 'asked').length, 'every lifetime asked finished');
	t.is(complete, 44, 'the grid arm ran its 4 points, the random arm its 40 lifetimes');
});
