import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { benchRunner, formatRunnerBench, optunaReference } from '../../src/bench/runner.js';
import { main } from '../../src/cli.js';
import { profileParts } from '../../src/study/profile.js';
import { tempDir } from '../study/helpers.js';

test('benchRunner: runs the whole budget through the study runner, one lock hold per trial, parts add up to ms/trial', async (t) => {
	const dir = tempDir('metatune-bench-');
	const r = await benchRunner({ trials: 30, concurrency: 1, warmup: 5, dir });
	t.is(r.completed, 30);
	t.is(r.trials, 30);
	t.true(r.msPerTrial > 0);
	const sum = profileParts.reduce((s, p) => s + r.parts[p], 0) + r.parts.other;
	t.true(Math.abs(sum - r.msPerTrial) < 1e-9);
	// one hold (acquire + release) per trial plus the first ask; fsync of one batch per trial plus the first ask
	t.is(r.callsPerTrial.lock, (2 * 31) / 30);
	t.is(r.callsPerTrial.fsync, 31 / 30);
	t.is(r.callsPerTrial.append, 31 / 30);
	t.true(readdirSync(dir).includes('bench-runner') && readdirSync(dir).includes('warmup'), 'the given folder is kept');
	const text = formatRunnerBench(r);
	t.regex(text, /ms per trial: \d+\.\d{3}/);
	for (const ref of optunaReference) t.true(text.includes(ref.storage));
	t.regex(text, /Optuna 3\.1, journal file +1\.33 +\d+\.\dx (faster|slower)/);
});

test('metatune bench runner: json output; a temp folder is removed; bad flags exit 2', async (t) => {
	const temps = () => new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('metatune-bench-runner-')));
	const before = temps();
	const writes: string[] = [];
	const write = process.stdout.write.bind(process.stdout);
	process.stdout.write = ((chunk: string) => (writes.push(chunk), true)) as typeof process.stdout.write;
	let code: number;
	try {
		code = await main(['bench', 'runner', '--trials', '8', '--warmup', '0', '--concurrency', '2', '--format', 'json']);
	} finally {
		process.stdout.write = write;
	}
	t.is(code, 0);
	const r = JSON.parse(writes.join('')) as { completed: number; concurrency: number; reference: unknown[]; path: string };
	t.is(r.completed, 8);
	t.is(r.concurrency, 2);
	t.is(r.reference.length, 3);
	t.regex(r.path, /runStudy/);
	t.deepEqual([...temps()].filter((f) => !before.has(f)), [], 'its temp results folder was removed');
	t.is(await main(['bench', 'runner', '--trials', '0']), 2);
	t.false(existsSync(join('results', 'bench-runner')), 'nothing written under ./results');
});
