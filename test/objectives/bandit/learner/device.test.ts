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

test.serial("a training step, whose backward pass writes dz over the rollout's gates, gives the bits of play, gradient and applyGradient, which keep them", async (t) => {
	await initBackend('wasm');
	for (const options of [
		{ task: 'dependent-uniform', batch: 4, hidden: 8, horizon: 6 },
		{ task: 'eleven-armed', batch: 3, hidden: 6, horizon: 5 },
	] as const) {
		const config = parseAgentConfig(options);
		const agents = [new Agent(config, new Rng(3)), new Agent(config, new Rng(3))] as const;
		const envs = agents.map((a) => new BanditBatch({ kind: options.task, batch: options.batch, horizon: a.horizon }, new Rng(4)));
		const rngs = [new Rng(5), new Rng(5)];
		for (let i = 0; i < 4; i++) {
			agents[0].train(envs[0] as BanditBatch, rngs[0] as Rng);
			const { traj } = agents[1].play(envs[1] as BanditBatch, rngs[1] as Rng);
			// twice from one rollout: the first gradient must leave the trajectory whole
			const first = Float32Array.from(agents[1].gradient(traj).grad);
			const { grad } = agents[1].gradient(traj);
			t.deepEqual(grad, first);
			agents[1].applyGradient(grad, options.batch);
		}
		t.truthy(agents[0].device.direct);
		t.deepEqual(agents[0].theta, agents[1].theta, options.task);
		// train's trajectory is play's buffer: after a training step it may not be backpropagated again
		const { traj } = agents[0].play(envs[0] as BanditBatch, rngs[0] as Rng);
		agents[0].train(envs[0] as BanditBatch, rngs[0] as Rng);
		t.throws(() => agents[0].gradient(traj), { message: /consumed/ });
		for (const a of agents) a.dispose();
	}
});
