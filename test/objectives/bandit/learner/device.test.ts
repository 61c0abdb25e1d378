import test from 'ava';
import { Rng } from '../../../../src/core/rng.js';
import { Agent } from '../../../../src/objectives/bandit/learner/agent.js';
import { parseAgentConfig } from '../../../../src/objectives/bandit/learner/agent-config.js';
import { initBackend } from '../../../../src/objectives/bandit/learner/backend.js';
import { BanditBatch } from '../../../../src/objectives/bandit/bandits/tasks.js';

/** theta after `updates` A2C updates from seed 3, and the agent (not disposed). */
function trained(options: { task: 'dependent-uniform' | 'eleven-armed'; batch: number; hidden: number; horizon: number }, updates: number): Agent {
	const config = parseAgentConfig(options);
	const rng = new Rng(3);
	const agent = new Agent(config, rng);
	const env = new BanditBatch({ kind: options.task, batch: options.batch, horizon: agent.horizon }, rng.split('bandits'));
	const actions = rng.split('actions');
	for (let i = 0; i < updates; i++) agent.train(env, actions);
	return agent;
}

test.serial('a disposed device hands its kernels to the next one, which trains to the same theta as on fresh kernels', async (t) => {
	await initBackend('wasm');
	const small = { task: 'dependent-uniform', batch: 4, hidden: 8, horizon: 6 } as const;
	// fresh kernels: the other agent is alive, so neither can take the other's
	const other = trained({ task: 'eleven-armed', batch: 8, hidden: 12, horizon: 9 }, 2);
	const fresh = trained(small, 3);
	const freshTheta = Float32Array.from(fresh.theta);
	t.truthy(fresh.device.direct, 'the wasm backend runs the kernels');
	t.not(fresh.device.direct, other.device.direct);
	fresh.dispose();
	// the larger agent's kernels, full of its trajectories and gradients, go to the next agent
	const used = other.device.direct;
	other.dispose();
	const again = trained(small, 3);
	t.is(again.device.direct, used);
	t.deepEqual(again.theta, freshTheta);
	const untrained = trained(small, 0);
	t.notDeepEqual(again.theta, untrained.theta, 'the updates changed theta');
	again.dispose();
	untrained.dispose();
});
