/**
 * An unexpected error inside the runner (here a searcher that throws) ends runStudy with that error,
 * stops the other lanes and terminates every worker thread, so the process ends by itself instead
 * of idling with a worker nobody will ever use again.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import test from 'ava';
import { fixtures, root, tempDir } from '../helpers.js';

test('a searcher that throws mid-run: runStudy rejects with its error and the process exits by itself', async (t) => {
	const child = spawn(process.execPath, ['--import', 'tsx', join(fixtures, 'runner-error.ts'), join(tempDir(), 'results'), join(fixtures, 'objectives.js')], {
		cwd: root,
		env: { ...process.env, FIXTURE_DELAY_MS: '150' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr.on('data', (d: Buffer) => (out += d.toString()));
	const ended = await new Promise<number | null | 'hung'>((resolve) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			resolve('hung');
		}, 20_000);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve(code);
		});
	});
	t.regex(out, /rejected: searcher broke on ask 3/);
	t.is(ended, 1, `the process did not end by itself: ${out}`);
});

test('after a lane error, runStudy again on the same open Study re-runs the aborted lifetime: budget exact, nothing twice', async (t) => {
	const { parseStudyDocument } = await import('../../../src/study/spec/spec.js');
	const { runStudy } = await import('../../../src/study/run/runner.js');
	const { Study } = await import('../../../src/study/study.js');
	let asks = 0;
	const study = await Study.open(
		parseStudyDocument({
			name: 'again',
			objective: { module: join(fixtures, 'objectives.js'), export: 'quadratic' },
			space: { x: { type: 'float', low: 0, high: 1 } },
			searcher: { kind: 'random', seed: 1 },
			budget: 6,
		}),
		{
			resultsDir: tempDir(),
			createSearcher: () =>
				({
					kind: 'random',
					ask: () => {
						asks++;
						if (asks === 3) throw new Error('broke on ask 3');
						return { kind: 'proposals', proposals: [{ params: { x: asks / 10 } }] };
					},
				}) as never,
		},
	);
	// in-thread objective that is slow enough for the other lane to be mid-lifetime when ask 3 throws
	const objective = async (params: Record<string, unknown>, context: { signal: AbortSignal }) => {
		await new Promise((r) => setTimeout(r, 100));
		if (context.signal.aborted) throw new Error('aborted');
		return Number(params.x);
	};
	await t.throwsAsync(() => runStudy(study, { concurrency: 2, objective }), { message: /broke on ask 3/ });
	const second = await Promise.race([runStudy(study, { concurrency: 2, objective }), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
	t.not(second, 'hung', 'the second runStudy finished');
	const trials = study.trials();
	const complete = trials.filter((tr) => tr.phase === 'complete');
	t.is(complete.length, 6, 'exactly the budget');
	t.is(new Set(complete.map((tr) => tr.asked.slot)).size, 6, 'each slot once');
	t.true(
		trials.every((tr) => tr.phase === 'complete' || tr.phase === 'failed'),
		'nothing left running',
	);
	study.close();
});
