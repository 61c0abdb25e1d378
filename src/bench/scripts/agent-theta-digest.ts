/**
 * The exactness check for changes to the agent's kernels: a SHA-256 of the parameters theta after
 * `--updates` A2C updates (default 20) on four networks (reward codes with 16 features, the plain
 * feature row of the eleven-armed task, an odd H that exercises the column tails, and the default
 * network at batch 64, T = 100), and of two meta-gradient lifetimes' gamma trajectories and returns
 * (several trajectories alive at once, one replayed). Run it before and after a change: every digest
 * must stay the same, because a kernel that reorders one float operation changes theta and the
 * committed study tables.
 *
 *   npx tsx src/bench/scripts/agent-theta-digest.ts [--updates 20]
 *
 * METATUNE_WASM_DIRECT=0 runs the tfjs path instead of the kernels (the digests must agree too).
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Rng } from '../../core/rng.js';
import { BanditBatch } from '../../objectives/bandit/bandits/tasks.js';
import { Agent } from '../../objectives/bandit/learner/agent.js';
import { parseAgentConfig } from '../../objectives/bandit/learner/agent-config.js';
import { initBackend } from '../../objectives/bandit/learner/backend.js';
import { runMetaLifetime } from '../../objectives/bandit/lifetimes/meta-lifetime.js';

const { values } = parseArgs({ options: { updates: { type: 'string', default: '20' } } });
const updates = Number(values.updates);
await initBackend('wasm');
for (const [task, batch, hidden, horizon] of [
	['dependent-uniform', 8, 48, 30],
	['eleven-armed', 4, 48, 30],
	['independent', 5, 7, 30],
	['dependent-uniform', 64, 48, 100],
] as const) {
	const config = parseAgentConfig({ task, batch, hidden, horizon });
	const rng = new Rng(3);
	const agent = new Agent(config, rng);
	const env = new BanditBatch({ kind: task, batch, horizon: agent.horizon }, rng.split('bandits'));
	const actions = rng.split('actions');
	for (let i = 0; i < updates; i++) agent.train(env, actions);
	const digest = createHash('sha256')
		.update(new Uint8Array(agent.theta.buffer, agent.theta.byteOffset, agent.theta.byteLength))
		.digest('hex');
	process.stdout.write(`${task} B ${batch} H ${hidden} T ${horizon} (${agent.device.direct ? `kernels, ${agent.device.direct.products} products` : 'tfjs'}): ${digest.slice(0, 16)}\n`);
	agent.dispose();
}
for (const metaInput of ['current', 'reference'] as const) {
	const config = parseAgentConfig({ task: 'dependent-uniform', horizon: 30, batch: 8, hidden: 16 });
	const meta = { gamma0: 0.7, beta: 0.05, mu: 0.5, gammaBar: 1, gammaMin: 0.3, gammaMax: 0.99, updateEvery: 2, feedGamma: true, metaInput };
	const result = await runMetaLifetime({ config, seed: 5, trainEpisodes: 8 * 2 * updates, evalEpisodes: 16, backend: 'wasm', meta });
	const digest = createHash('sha256')
		.update(JSON.stringify([result.gammaTrajectory, result.evalReturn]))
		.digest('hex');
	process.stdout.write(`meta-gradient (${metaInput}) B 8 H 16 T 30: ${digest.slice(0, 16)}\n`);
}
