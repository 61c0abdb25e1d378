/**
 * The meta-gradient of the discount (meta-gradient.ts) against a central finite difference of the
 * meta-objective J'(theta'(eta)) with respect to eta, on a tiny agent (K 2, H 4, T 5, B 4) with a
 * plain SGD inner step and mu = 0:
 *   theta'(eta) = theta - lr grad L(theta; tau, gamma = sigmoid(eta))     (float32 BPTT, FD-checked in a2c.test.ts)
 *   J'(theta')  = (1/N) sum_n A'_n log pi_theta'(a'_n | h'_n)            (float64 replay of tau', A' fixed)
 *   fd          = (J'(theta'(eta + eps)) - J'(theta'(eta - eps))) / (2 eps),   eps = 1e-3
 * Tolerance: |analytic - fd| <= 2e-3 |fd| + 1e-7. A deliberately wrong sign (dG/deta negated) must
 * miss it: the test checks that too, so it can fail.
 */
import test from 'ava';
import { Agent } from '../../../../src/objectives/bandit/learner/agent.js';
import { parseAgentConfig } from '../../../../src/objectives/bandit/learner/agent-config.js';
import { initBackend } from '../../../../src/objectives/bandit/learner/backend.js';
import { metaAdvantages, MetaGradientTuner, type MetaGradientSettings, sigmoid } from '../../../../src/objectives/bandit/lifetimes/meta-gradient.js';
import { runMetaLifetime } from '../../../../src/objectives/bandit/lifetimes/meta-lifetime.js';
import { stepSizes } from '../../../../src/objectives/bandit/learner/optimizer.js';
import { discountedReturns, episodeDiscounts } from '../../../../src/objectives/bandit/learner/returns.js';
import { BanditBatch } from '../../../../src/objectives/bandit/bandits/tasks.js';
import { Rng } from '../../../../src/core/rng.js';
import { referenceLoss } from '../learner/reference.js';

const settings = (over: Partial<MetaGradientSettings> = {}): MetaGradientSettings => ({
	gamma0: 0.7,
	beta: 0,
	mu: 0,
	gammaBar: 1,
	gammaMin: 0.01,
	gammaMax: 0.995,
	updateEvery: 1,
	feedGamma: false,
	...over,
});

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
	let s = 0;
	for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
	return s;
};

interface Check {
	analytic: number;
	wrongSign: number;
	fd: number;
}

async function metaGradientCheck(seed: number): Promise<Check> {
	await initBackend('cpu');
	const lr = 0.5;
	const config = parseAgentConfig({ task: 'independent', horizon: 5, batch: 4, hidden: 4, optimizer: 'sgd', lr, grad_clip: 0, value_coef: 0.5, entropy: 0.01 });
	const agent = new Agent(config, new Rng(seed));
	const init = new Rng(seed + 100);
	for (let i = 0; i < agent.theta.length; i++) agent.theta[i] = init.uniform(-0.8, 0.8);
	agent.invalidate();
	const tuner = new MetaGradientTuner(agent, settings());
	const eta0 = tuner.eta;
	const theta0 = Float64Array.from(agent.theta);
	const ce = 0.01;
	const env = () => new BanditBatch({ kind: 'independent', batch: 4, horizon: 5 }, new Rng(seed + 200));

	// theta'(eta +- eps) from the same batch tau (sampled at theta0; without the gamma input tau does not depend on eta).
	const eps = 1e-3;
	const tau = agent.play(env(), new Rng(seed + 300)).traj;
	const thetaAt = (eta: number): Float64Array => {
		const { grad } = tuner.innerGradients(tau, sigmoid(eta), ce);
		return theta0.map((v, i) => v - lr * (grad[i] as number));
	};
	const up = thetaAt(eta0 + eps);
	const down = thetaAt(eta0 - eps);
	// Wrong sign: the trace built from -u (dG/deta negated).
	const wrongZ = tuner.innerGradients(tau, sigmoid(eta0), ce).u.map((v) => -lr * v);
	const expected = thetaAt(eta0);

	// The tuner's own update on the same batch (same env and action seeds replay tau): theta', z.
	tuner.update(env(), new Rng(seed + 300));
	let maxDiff = 0;
	for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs((agent.theta[i] as number) - (expected[i] as number)));
	if (maxDiff > 1e-5) throw new Error(`the tuner's inner step differs from theta - lr grad by ${maxDiff}`);

	// The next batch tau' at theta', its fixed advantages, and dJ'/dtheta'.
	const next = agent.play(new BanditBatch({ kind: 'independent', batch: 4, horizon: 5 }, new Rng(seed + 400)), new Rng(seed + 500)).traj;
	const gbar = discountedReturns(next.rewards, episodeDiscounts(1, 5), 5, 4);
	const adv = Float64Array.from(metaAdvantages(next, gbar, new Float32Array(next.n)));
	const gJ = tuner.metaObjectiveGradient(next);
	const jPrime = (theta: Float64Array) => -referenceLoss(agent.layout, theta, next, new Float32Array(0), gbar, adv, 0, 0, config.reward_encoding);
	const fd = (jPrime(up) - jPrime(down)) / (2 * eps);
	const result = { analytic: dot(gJ, tuner.z), wrongSign: dot(gJ, wrongZ), fd };
	agent.dispose();
	return result;
}

const withinTolerance = (analytic: number, fd: number) => Math.abs(analytic - fd) <= 2e-3 * Math.abs(fd) + 1e-7;

for (const seed of [1, 2, 3]) {
	test(`meta-gradient dJ'/deta matches a central finite difference (seed ${seed}); a wrong sign does not`, async (t) => {
		const { analytic, wrongSign, fd } = await metaGradientCheck(seed);
		t.log(`analytic ${analytic.toExponential(6)}  fd ${fd.toExponential(6)}  wrong sign ${wrongSign.toExponential(6)}`);
		t.true(Math.abs(fd) > 1e-5, `the meta-gradient is not trivially zero (fd ${fd})`);
		t.true(withinTolerance(analytic, fd), `analytic ${analytic} vs fd ${fd}`);
		t.false(withinTolerance(wrongSign, fd), 'a wrong sign must fail the check');
	});
}

test('a meta-gradient lifetime keeps gamma inside its bounds, logs the trajectory and is deterministic', async (t) => {
	const config = parseAgentConfig({ task: 'dependent-easy', horizon: 20, batch: 8, hidden: 8 });
	const run = () =>
		runMetaLifetime({ config, seed: 4, trainEpisodes: 400, evalEpisodes: 16, backend: 'cpu', meta: settings({ gamma0: 0.5, beta: 0.05, feedGamma: true, gammaMin: 0.3, gammaMax: 0.9 }) });
	const a = await run();
	const b = await run();
	t.deepEqual(a.gammaTrajectory, b.gammaTrajectory);
	t.is(a.evalReturn.mean, b.evalReturn.mean);
	t.is(a.gammaTrajectory[0]![1], 0.5);
	t.is(a.gammaTrajectory.at(-1)![0], 50);
	t.is(a.finalGamma, a.gammaTrajectory.at(-1)![1]);
	for (const [, g] of a.gammaTrajectory) t.true(g >= 0.3 - 1e-12 && g <= 0.9 + 1e-12);
	t.not(a.finalGamma, 0.5, 'gamma moved');
});

/**
 * The trace over several updates: after each inner update z = mu z_prev + alpha o u, with u computed
 * on that update's batch at the parameters before it and alpha the step sizes of that update (Adam
 * here, so alpha carries the bias corrections). Replays each batch with the same env and action seeds
 * to compute u independently of the tuner's own bookkeeping.
 */
for (const mu of [0, 0.5]) {
	test(`the trace follows z <- mu z + alpha o u over three Adam updates (mu ${mu})`, async (t) => {
		await initBackend('cpu');
		const config = parseAgentConfig({ task: 'independent', horizon: 5, batch: 4, hidden: 4, optimizer: 'adam', lr: 0.05, grad_clip: 0, value_coef: 0.5, entropy: 0.01 });
		const agent = new Agent(config, new Rng(7));
		const tuner = new MetaGradientTuner(agent, settings({ mu, beta: 0 }));
		let previous = new Float32Array(agent.layout.size);
		for (let k = 0; k < 3; k++) {
			const env = () => new BanditBatch({ kind: 'independent', batch: 4, horizon: 5 }, new Rng(50 + k));
			const tau = agent.play(env(), new Rng(60 + k)).traj;
			const { u } = tuner.innerGradients(tau, tuner.gamma, 0.01);
			tuner.update(env(), new Rng(60 + k));
			const alpha = stepSizes(agent.optimizer, config.lr, 1, agent.mask, new Float32Array(agent.layout.size));
			let worst = 0;
			for (let i = 0; i < u.length; i++) {
				const expected = mu * (previous[i] as number) + (alpha[i] as number) * (u[i] as number);
				worst = Math.max(worst, Math.abs((tuner.z[i] as number) - expected) / (Math.abs(expected) + 1e-9));
			}
			t.true(worst < 1e-4, `update ${k + 1}: trace off by ${worst} (relative)`);
			previous = Float32Array.from(tuner.z);
		}
		agent.dispose();
	});
}

test('a replay with the same extras reproduces the played outputs; other extras change them', async (t) => {
	await initBackend('cpu');
	const config = parseAgentConfig({ task: 'independent', horizon: 5, batch: 4, hidden: 4, extra_inputs: 1 });
	const agent = new Agent(config, new Rng(3));
	const env = new BanditBatch({ kind: 'independent', batch: 4, horizon: 5 }, new Rng(8));
	const rng = new Rng(9);
	const played = agent.play(env, rng, { extras: Float32Array.of(0.7) }).traj;
	const probs = Float32Array.from(played.probs);
	const values = Float32Array.from(played.values);
	const same = agent.replay(played, env, Float32Array.of(0.7));
	t.deepEqual(same.actions, played.actions);
	t.deepEqual(same.rewards, played.rewards);
	t.deepEqual(same.probs, probs);
	t.deepEqual(same.values, values);
	const other = agent.replay(played, env, Float32Array.of(1));
	t.deepEqual(other.actions, played.actions);
	t.notDeepEqual(Float32Array.from(other.values), values, 'conditioned on another discount, the outputs differ');
	agent.dispose();
});

test("metaInput reference scores J' on the batch replayed with gamma_bar as input: another meta-gradient than current", async (t) => {
	await initBackend('cpu');
	const config = parseAgentConfig({ task: 'independent', horizon: 5, batch: 4, hidden: 4, extra_inputs: 1, optimizer: 'sgd', lr: 0.5, grad_clip: 0, entropy: 0.01 });
	const gradients = (metaInput: 'current' | 'reference') => {
		const agent = new Agent(config, new Rng(5));
		const tuner = new MetaGradientTuner(agent, settings({ feedGamma: true, metaInput, gamma0: 0.6 }));
		for (let k = 0; k < 2; k++) tuner.update(new BanditBatch({ kind: 'independent', batch: 4, horizon: 5 }, new Rng(20 + k)), new Rng(30 + k));
		agent.dispose();
		return tuner.lastMetaGradient;
	};
	const current = gradients('current');
	const reference = gradients('reference');
	t.true(Number.isFinite(current) && Number.isFinite(reference));
	t.not(current, reference);
});
