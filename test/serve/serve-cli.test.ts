/**
 * `metatune serve` from the command line and under bad input: it prints its URL and stops on
 * Ctrl-C; a port in use and a study that does not exist are one line each (exit 2); another host
 * than loopback warns; a study started over with `run --fresh` or deleted while served is followed
 * (the server goes on answering).
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import test from 'ava';
import type { StudyRow } from '../../src/serve/views.js';
import { root, spawnCli, tempDir, waitFor } from '../study/helpers.js';
import { getJson, startServe, writeServeStudy } from './helpers.js';

async function ranStudy(name: string, budget = 3): Promise<{ dir: string; results: string; file: string }> {
	const dir = tempDir('metatune-serve-');
	const results = join(dir, 'results');
	const file = writeServeStudy(dir, name, { budget });
	const r = await spawnCli(['run', file, '--results', results, '--quiet']).done;
	if (r.code !== 0) throw new Error(r.stderr);
	return { dir, results, file };
}

test('serve prints its URL, answers, warns about a non-loopback host, and stops on SIGINT', async (t) => {
	const { results } = await ranStudy('cli');
	const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', '--results', results, '--port', '0', '--host', '0.0.0.0'], { cwd: root });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
	child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
	await waitFor(() => /http:\/\/\S+/.test(stdout), 60_000, 50);
	const url = /http:\/\/\S+/.exec(stdout)?.[0] as string;
	t.regex(stdout, /^metatune serve: http:\/\/127\.0\.0\.1:\d+\/ \(1 study; Ctrl-C to stop\)$/m);
	t.regex(stderr, /--host 0\.0\.0\.0: anyone who can reach port \d+ of this machine can read every study served/);
	const rows = await getJson<{ studies: StudyRow[] }>(`${url}api/studies`);
	t.deepEqual(
		rows.studies.map((s) => [s.key, s.state]),
		[['cli', 'complete']],
	);
	child.kill('SIGINT');
	t.is(await exited, 0, stderr);
});

test('a port in use and a study that does not exist: one line each, exit 2', async (t) => {
	const { results } = await ranStudy('there', 1);
	const blocker = createServer();
	await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
	t.teardown(() => blocker.close());
	const port = (blocker.address() as { port: number }).port;
	const [busy, missing] = await Promise.all([spawnCli(['serve', '--results', results, '--port', String(port)]).done, spawnCli(['serve', 'ther', '--results', results, '--port', '0']).done]);
	t.is(busy.code, 2, busy.stderr);
	t.is(busy.stderr.trim().split('\n').length, 1, busy.stderr);
	t.regex(busy.stderr, new RegExp(`--port ${port}: 127\\.0\\.0\\.1:${port} is in use .*--port 0 for any free one`));
	t.is(missing.code, 2, missing.stderr);
	t.is(missing.stderr.trim().split('\n').length, 1, missing.stderr);
	t.regex(missing.stderr, /no study 'ther' under .*; did you mean 'there'\?/);
});

test('a study started over with run --fresh, then deleted, while served: followed, and the server goes on', async (t) => {
	const { results, file, dir } = await ranStudy('again', 4);
	const served = await startServe({ studies: [], resultsDir: results });
	t.teardown(() => served.close());
	const row = async () => (await getJson<{ studies: StudyRow[] }>(`${served.url}api/studies`)).studies.find((s) => s.key === 'again');
	t.is((await row())?.arms[0]?.ended, 4);
	writeServeStudy(dir, 'again', { budget: 2 });
	const fresh = await spawnCli(['run', file, '--results', results, '--quiet', '--fresh']).done;
	t.is(fresh.code, 0, fresh.stderr);
	await waitFor(async () => (await row())?.arms[0]?.ended === 2, 10_000, 50);
	// seen as a journal replaced, or as one gone and back (the old one moved away before the new one was made)
	t.regex((await row())?.warnings.join('\n') ?? '', /the journal was replaced|the journal is back/);
	rmSync(join(results, 'again'), { recursive: true });
	await waitFor(async () => (await row())?.warnings.some((w) => /the journal is gone/.test(w)) === true, 10_000, 50);
	t.is((await row())?.state, 'no study record');
	t.true(
		served.warnings.some((w) => /the journal is gone/.test(w)),
		'said on the terminal too',
	);
	// a study started after the server: it appears in the list
	const other = writeServeStudy(dir, 'later', { budget: 1 });
	t.is((await spawnCli(['run', other, '--results', results, '--quiet']).done).code, 0);
	await waitFor(async () => (await getJson<{ studies: StudyRow[] }>(`${served.url}api/studies`)).studies.some((s) => s.key === 'later' && s.state === 'complete'), 10_000, 50);
});
