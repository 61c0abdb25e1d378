/**
 * Stopping `metatune run` while command objectives run, as a user at a terminal does: the run is
 * started in a real pseudo-terminal (`script`), where ^C is the terminal's SIGINT to its foreground
 * process group. Once: no more lifetimes are asked, the running ones finish with their full values
 * (the programs never see the ^C). Twice: the running ones are stopped and left interrupted (not
 * failed), and the same command re-runs them with the same params and seeds. SIGTERM or SIGHUP (the
 * terminal closed) to the runner: it stops its programs (a marker in their argv shows none left) and
 * they re-run on resume.
 * The program (fixtures/sleepy.py) takes about 2 s and prints a cut-short value on KeyboardInterrupt.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import type { AskedRecord, CompleteRecord, JournalRecord } from '../../src/study/journal/journal.js';
import { readJournal } from '../../src/study/journal/journal.js';
import { runCli } from '../cli-capture.js';
import { root, spawnCli, tempDir, waitFor, writeStudy } from '../study/helpers.js';

const program = join(import.meta.dirname, 'fixtures', 'sleepy.py');
const python = spawnSync('python3', ['--version']).status === 0;
const script = spawnSync('script', ['--version']).status === 0;
const pgrep = spawnSync('pgrep', ['--version']).status === 0;
if (!python || !script || !pgrep) console.log('interrupt tests skipped: they need python3, script and pgrep (apt-get install python3 util-linux procps)');
const maybe = python && script && pgrep ? test.serial : test.skip;

/** A study of `budget` lifetimes of fixtures/sleepy.py writing its start markers into `markers` (also the argv marker). */
function sleepyStudy(budget: number): { file: string; results: string; markers: string; journal: string } {
	const dir = tempDir();
	const markers = join(dir, 'markers');
	spawnSync('mkdir', [markers]);
	const file = writeStudy(dir, {
		name: 'sleepy',
		objective: { command: ['python3', program, markers, '{x}', '{trial}'], grace: 2 },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 1 },
		budget,
	});
	const results = join(dir, 'results');
	return { file, results, markers, journal: join(results, 'sleepy', 'journal.jsonl') };
}

const started = (markers: string) => readdirSync(markers).filter((f) => f.startsWith('started-')).length;
const ofType = <T extends JournalRecord['type']>(records: JournalRecord[], type: T) => records.filter((r): r is Extract<JournalRecord, { type: T }> => r.type === type);

/** `metatune run` in a pseudo-terminal; `interrupt()` types ^C into it. */
function runInTerminal(file: string, results: string) {
	const cli = [process.execPath, '--import', 'tsx', join(root, 'src/cli/main.ts'), 'run', file, '--results', results, '--concurrency', '2'];
	const child = spawn('script', ['-qfec', cli.map((a) => JSON.stringify(a)).join(' '), '/dev/null'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr.on('data', (d: Buffer) => (output += d.toString()));
	const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })));
	return { done, interrupt: () => child.stdin.write('\x03'), close: () => child.stdin.end() };
}

/** Processes whose command line holds `marker`. */
function processesWith(marker: string): string {
	return spawnSync('pgrep', ['-af', marker], { encoding: 'utf8' }).stdout.trim();
}

maybe('^C once in a terminal: no more lifetimes, the running ones finish with their full values', async (t) => {
	const { file, results, markers, journal } = sleepyStudy(6);
	const run = runInTerminal(file, results);
	await waitFor(() => started(markers) === 2, 60_000);
	run.interrupt();
	const { code, output } = await run.done;
	run.close();
	t.is(code, 130, output);
	t.regex(output, /interrupted; run the same command to resume/);
	const records = readJournal(journal);
	t.deepEqual(ofType(records, 'failed'), [], 'nothing failed');
	const complete = ofType(records, 'complete');
	t.is(complete.length, 2, output);
	t.is(started(markers), 2, 'no lifetime was started after ^C');
	for (const c of complete) t.is(c.fields.steps, 20, `trial ${c.trial} ran to its end (value ${c.value})`);
	t.is(processesWith(markers), '');
});

maybe('^C twice in a terminal: the running lifetimes end interrupted, not failed, and the same command completes them with the same params and seeds', async (t) => {
	const { file, results, markers, journal } = sleepyStudy(2);
	const run = runInTerminal(file, results);
	await waitFor(() => started(markers) === 2, 60_000);
	run.interrupt();
	await new Promise((r) => setTimeout(r, 300));
	run.interrupt();
	const { code, output } = await run.done;
	run.close();
	t.is(code, 130, output);
	t.regex(output, /running lifetimes aborted/);
	t.is(processesWith(markers), '', 'no program outlives the run');
	const first = readJournal(journal);
	t.deepEqual(ofType(first, 'failed'), [], 'nothing failed');
	t.deepEqual(ofType(first, 'complete'), [], 'nothing completed with a cut-short value');
	const status = await runCli(['status', 'sleepy', '--results', results, '--format', 'json']);
	const interrupted = (JSON.parse(status.stdout) as { interrupted: { trial: number; seed: number; params: object }[] }).interrupted;
	t.deepEqual(
		interrupted.map((i) => i.trial),
		[0, 1],
	);

	const again = await runCli(['run', file, '--results', results, '--concurrency', '2', '--quiet']);
	t.is(again.code, 0, again.stderr);
	const second = readJournal(journal);
	t.deepEqual(ofType(second, 'failed'), []);
	t.is(ofType(second, 'asked').length, 2, 'no new lifetime was asked: the interrupted ones re-ran');
	const asked = new Map(ofType(second, 'asked').map((a: AskedRecord) => [a.trial, a]));
	for (const i of interrupted) {
		t.deepEqual({ seed: asked.get(i.trial)?.seed, params: asked.get(i.trial)?.params }, { seed: i.seed, params: i.params });
		const done = ofType(second, 'complete').find((c: CompleteRecord) => c.trial === i.trial);
		t.is(done?.fields.steps, 20, `trial ${i.trial} completed in full on resume`);
	}
});

for (const signal of ['SIGTERM', 'SIGHUP'] as const)
	maybe(`${signal} to the runner: no program of the run is left running, and the lifetimes re-run on resume`, async (t) => {
		const { file, results, markers, journal } = sleepyStudy(2);
		const run = spawnCli(['run', file, '--results', results, '--concurrency', '2', '--quiet']);
		await waitFor(() => started(markers) === 2, 60_000);
		run.kill(signal);
		const ended = await run.done;
		t.is(processesWith(markers), '', 'no program outlives the run');
		t.not(ended.code, 0, ended.stderr);
		const first = readJournal(journal);
		t.deepEqual(ofType(first, 'failed'), [], 'nothing failed');
		t.deepEqual(ofType(first, 'complete'), []);

		const again = await runCli(['run', file, '--results', results, '--concurrency', '2', '--quiet']);
		t.is(again.code, 0, again.stderr);
		const second = readJournal(journal);
		t.deepEqual(ofType(second, 'failed'), []);
		t.is(ofType(second, 'asked').length, 2);
		t.deepEqual(
			ofType(second, 'complete')
				.map((c) => [c.trial, c.fields.steps])
				.sort(),
			[
				[0, 20],
				[1, 20],
			],
		);
	});
