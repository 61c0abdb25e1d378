/**
 * The A2C gradient (rollout.ts + a2c.ts + bptt.ts) against central finite differences of an
 * independent float64 re-implementation of the loss on a tiny network (K 2, H 3, E 1, T 4, B 2, three
 * RBF reward features),
 * replaying the trajectory's actions and rewards (advantages held constant, as in the loss).
 * Tolerance: |analytic - fd| <= 1e-6 + 1e-4 |fd| per element (float32 forward/backward on cpu; the
 * correct code sits ~100x inside it, a 1% error in one gate derivative fails it ~40x).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { Rng } from '../../../../src/core/rng.js';
import { Agent } from '../../../../src/objectives/bandit/learner/agent.js';
import { parseAgentConfig } from '../../../../src/objectives/bandit/learner/agent-config.js';
import { initBackend } from '../../../../src/objectives/bandit/learner/backend.js';
import { discountedReturns } from '../../../../src/objectives/bandit/learner/returns.js';
import { BanditBatch } from '../../../../src/objectives/bandit/bandits/tasks.js';
import { referenceLoss } from './reference.js';

test('A2C gradient matches central finite differences of a float64 reference', async (t) => {
	await initBackend('cpu');
	const config = parseAgentConfig({
		task: 'independent',
		horizon: 4,
		batch: 2,
		hidden: 3,
		extra_inputs: 1,
		gamma: 0.8,
		value_coef: 0.5,
		entropy: 0.1,
		reward_encoding: { kind: 'rbf', features: 3, low: 0, high: 1 },
	});
	const agent = new Agent(config, new Rng(3));
	// Larger weights than the default init so every path carries gradient.
	const init = new Rng(9);
	for (let i = 0; i < agent.theta.length; i++) agent.theta[i] = init.uniform(-0.8, 0.8);
	agent.invalidate();
	const extras = new Float32Array([0.8]);
	const env = new BanditBatch({ kind: 'independent', batch: 2, horizon: 4 }, new Rng(5));
	const { traj } = agent.play(env, new Rng(6), { extras });
	const { grad } = agent.gradient(traj, 'total', 0.1);
	const returns = discountedReturns(traj.rewards, agent.discounts, traj.steps, traj.batch);
	const advantages = new Float64Array(traj.n);
	for (let n = 0; n < traj.n; n++) advantages[n] = returns[n]! - traj.values[n]!;
	const theta = Float64Array.from(agent.theta);
	const eps = 1e-5;
	let worst = 0;
	for (let i = 0; i < theta.length; i++) {
		const keep = theta[i]!;
		theta[i] = keep + eps;
		const up = referenceLoss(agent.layout, theta, traj, extras, returns, advantages, 0.5, 0.1, config.reward_encoding);
		theta[i] = keep - eps;
		const down = referenceLoss(agent.layout, theta, traj, extras, returns, advantages, 0.5, 0.1, config.reward_encoding);
		theta[i] = keep;
		const fd = (up - down) / (2 * eps);
		const err = Math.abs(grad[i]! - fd) / (1e-6 + 1e-4 * Math.abs(fd));
		worst = Math.max(worst, err);
	}
	t.log(`worst scaled error ${worst}`);
	t.true(worst <= 1, `worst scaled error ${worst}`);
	// The gradient is not trivially zero.
	t.true(Math.max(...grad.map(Math.abs)) > 1e-3);
	agent.dispose();
});

test('bptt.ts says which tests check it, and they exist and check it', (t) => {
	const root = join(import.meta.dirname, '../../../..');
	const header = readFileSync(join(root, 'src/objectives/bandit/learner/bptt.ts'), 'utf8').split('*/')[0] ?? '';
	const named = [...header.matchAll(/test\/[\w/.-]+\.test\.ts/g)].map((m) => m[0]);
	t.true(named.length > 0, 'bptt.ts names its tests');
	for (const file of named) t.regex(readFileSync(join(root, file), 'utf8'), /finite difference/i, file);
	// a claim of an autodiff check needs a test that takes a tfjs gradient
	const autodiffClaimed = /checked against[^.]*autodiff/i.test(header.replace(/\s*\*\s*/g, ' ')) && !/not against tfjs autodiff/i.test(header.replace(/\s*\*\s*/g, ' '));
	const autodiffTested = named.some((f) => /\b(tf\.grads?|variableGrads|valueAndGrads?)\(/.test(readFileSync(join(root, f), 'utf8')));
	t.false(autodiffClaimed && !autodiffTested, 'bptt.ts claims a tfjs autodiff check no test makes');
});
