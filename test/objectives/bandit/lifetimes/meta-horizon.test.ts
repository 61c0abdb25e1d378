import test from 'ava';
import { main } from '../../../../src/cli/main.js';
import { runCli } from '../../../cli-capture.js';
import { Agent } from '../../../../src/objectives/bandit/learner/agent.js';
import { parseAgentConfig } from '../../../../src/objectives/bandit/learner/agent-config.js';
import { initBackend } from '../../../../src/objectives/bandit/learner/backend.js';
import { fixedDiscountRun, metaHorizon } from '../../../../src/objectives/bandit/lifetimes/meta-horizon.js';
import { BanditBatch } from '../../../../src/objectives/bandit/bandits/tasks.js';
import { Rng } from '../../../../src/core/rng.js';

const agent = { task: 'eleven-armed', hidden: 8, batch: 4 };

test.before(async () => {
	await initBackend('cpu');
});

test('fixedDiscountRun trains exactly as plain A2C with that discount (the meta step is off)', (t) => {
	const config = parseAgentConfig(agent);
	const gamma = 0.8;
	const run = fixedDiscountRun(config, gamma, 3, 6);
	const plain = new Agent({ ...config, gamma, extra_inputs: 1 }, new Rng(3).split('agent-init'));
	const env = new BanditBatch({ kind: config.task, batch: config.batch, horizon: plain.horizon }, new Rng(3).split('env'));
	const rng = new Rng(3).split('actions');
	const returns = Array.from({ length: 6 }, () => plain.train(env, rng, Float32Array.of(gamma)).meanReturn);
	plain.dispose();
	t.deepEqual(Array.from(run.returns), returns);
	t.true(Number.isNaN(run.metaGradients[0] as number), 'no meta-gradient before the second batch');
	t.true(Array.from(run.metaGradients.slice(1)).every(Number.isFinite));
	t.true(Array.from(run.metaGradients.slice(1)).some((g) => g !== 0));
});

test('metaHorizon: paired differences against the first discount, one cell per horizon, deterministic', async (t) => {
	const options = { agent, gammas: [0.9, 0.5], horizons: [3, 6], seeds: 2, backend: 'cpu' as const };
	const report = await metaHorizon(options);
	t.deepEqual(
		report.rows.map((r) => r.gamma),
		[0.9, 0.5],
	);
	const [first, second] = report.rows;
	t.deepEqual(
		first?.cells.map((c) => c.horizon),
		[3, 6],
	);
	for (const cell of first?.cells ?? []) t.deepEqual([cell.vsFirst.mean, cell.vsFirst.low, cell.vsFirst.high], [0, 0, 0]);
	const config = parseAgentConfig(agent);
	const runs = [1, 2].map((s) => [fixedDiscountRun(config, 0.9, s, 6), fixedDiscountRun(config, 0.5, s, 6)] as const);
	const mean3 = (r: Float64Array) => (r[0]! + r[1]! + r[2]!) / 3;
	const diffs = runs.map(([a, b]) => mean3(b.returns) - mean3(a.returns));
	t.true(Math.abs((second?.cells[0]?.vsFirst.mean as number) - (diffs[0]! + diffs[1]!) / 2) < 1e-9);
	t.deepEqual(await metaHorizon(options), report);
});

test('metatune bench metagradient: bad flags exit 2', async (t) => {
	t.is(await main(['bench', 'metagradient', '--horizons', '200,50']), 2);
	t.is(await main(['bench', 'metagradient', '--gammas', '0.9,1']), 2);
	t.is(await main(['bench', 'metagradient', '--seeds', '1']), 2);
});

test('metatune bench metagradient: repeated --gammas and --horizons are merged', async (t) => {
	const { code, stdout } = await runCli(['bench', 'metagradient', '--backend', 'cpu', '--seeds', '2', '--gammas', '0.9', '--gammas', '0.5', '--horizons', '2', '--horizons', '3', '--format', 'json']);
	t.is(code, 0);
	const report = JSON.parse(stdout) as { rows: { gamma: number; cells: { horizon: number }[] }[] };
	t.deepEqual(
		report.rows.map((r) => r.gamma),
		[0.9, 0.5],
	);
	t.deepEqual(
		report.rows[0]?.cells.map((c) => c.horizon),
		[2, 3],
	);
});
