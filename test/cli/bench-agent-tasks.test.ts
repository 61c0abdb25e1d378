/** `metatune bench agent-tasks`: the recipe's agent against Thompson sampling on the same draws. */
import test from 'ava';
import { runCli } from '../cli-capture.js';

interface Row {
	task: string;
	seed: number;
	agentRegret: number;
	thompson: number;
	thompsonPrior?: number;
	bayesOptimal?: number;
	ratio: number;
	met: boolean;
	agentReturn: number;
}

test('one row per task and seed: the ratio is agent / Thompson (uniform prior), goals as the issue states them', async (t) => {
	const r = await runCli(['bench', 'agent-tasks', '--tasks', 'dependent-hard', '--tasks', 'eleven-armed', '--seeds', '1,2', '--episodes', '16', '--eval-episodes', '16', '--backend', 'cpu', '--json']);
	t.is(r.code, 0, r.stderr);
	const rows = JSON.parse(r.stdout) as Row[];
	t.deepEqual(
		rows.map((x) => [x.task, x.seed]),
		[
			['dependent-hard', 1],
			['dependent-hard', 2],
			['eleven-armed', 1],
			['eleven-armed', 2],
		],
	);
	for (const row of rows.filter((x) => x.task === 'dependent-hard')) {
		t.true(Math.abs(row.ratio - row.agentRegret / row.thompson) < 1e-12);
		t.is(row.met, row.agentRegret <= row.thompson);
		t.is(typeof row.thompsonPrior, 'number');
		t.true(Math.abs((row.bayesOptimal as number) - 2.312) < 0.001);
	}
	for (const row of rows.filter((x) => x.task === 'eleven-armed')) {
		t.is(row.met, row.agentReturn >= 20.4);
		t.is(row.bayesOptimal, undefined);
	}
	const text = await runCli(['bench', 'agent-tasks', '--tasks', 'dependent-easy', '--seeds', '3', '--episodes', '16', '--eval-episodes', '16', '--backend', 'cpu']);
	t.is(text.code, 0, text.stderr);
	t.regex(text.stdout, /^task\s+seed\s+episodes\s+agent regret\s+thompson \(uniform\)\s+ratio/m);
	t.regex(text.stdout, /^dependent-easy\s+3\s+16\s/m);
	t.regex(text.stdout, /met on \d of 1$/m);
});

test('an unknown task or a bad seed is one line, exit 2, before any training', async (t) => {
	const bad = await runCli(['bench', 'agent-tasks', '--tasks', 'dependent-hardest']);
	t.is(bad.code, 2);
	t.regex(bad.stderr, /^metatune: --tasks: unknown task 'dependent-hardest'; use all or some of independent, /);
	t.false(bad.stderr.includes('bench agent-tasks:'));
	const seeds = await runCli(['bench', 'agent-tasks', '--seeds', '1,x']);
	t.is(seeds.code, 2);
	t.regex(seeds.stderr, /^metatune: --seeds: expected comma-separated non-negative integers/);
});
