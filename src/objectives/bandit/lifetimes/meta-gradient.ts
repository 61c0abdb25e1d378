/**
 * Online meta-gradient tuning of the discount (Xu, van Hasselt & Silver 2018), first order, on top
 * of the A2C agent's pieces (rollout, returns, a2c output gradients, the one BPTT routine).
 *
 * Notation (row n = t B + b, N = T B rows of one batch; theta the flat parameters, P = |theta|)
 *   eta          scalar meta-parameter;  gamma = sigmoid(eta), clamped to [gamma_min, gamma_max]
 *   tau_k        the batch of B episodes sampled with theta_k (and gamma_k as an input, see below)
 *   G_n, dG_n    returns with gamma and dG_n/deta = (dG_n/dgamma) gamma (1 - gamma)   (learner/returns.ts)
 *   f            the inner update theta' = theta + f(tau, theta, eta) = theta - alpha o grad L
 *   u  [P]       sum_n (1/N) dG_n [grad log pi(a_n|s_n) + c_v grad V(s_n)]  (one BPTT with dOut
 *                rows dlogit_k = dG_n (1[k = a_n] - pi_k) / N, dV = c_v dG_n / N)
 *   alpha [P]    the optimiser's step sizes (learner/optimizer.ts `stepSizes`): lr for SGD; for RMSProp and
 *                Adam the diagonal preconditioner lr s / (sqrt(v) + eps) (Adam also (1 - b1)/(1 - b1^k)),
 *                holding v and the clip factor s fixed. Since grad L depends on eta only through G
 *                (L_pi = -(1/N) sum A log pi with A = G - V; L_v = c_v/(2N) sum (G - V)^2):
 *   df/deta      = alpha o u
 *   z [P]        trace: z <- mu z + df/deta  (mu = 0: only the last update's dependence)
 *   J'           meta-objective on the next batch tau_{k+1} at theta_{k+1}: the policy-gradient
 *                surrogate (1/N) sum A'_n log pi(a_n|s_n) with returns Gbar of the reference discount
 *                gamma_bar (1: undiscounted) and A'_n = Gbar_n - (mean of Gbar at step t over the other
 *                B - 1 episodes; V_n when B = 1), held constant. One BPTT with dlogit_k = A' (1[k=a] - pi_k) / N.
 *   g_eta        dJ'/deta = (dJ'/dtheta') . z;  eta <- eta + beta Adam(g_eta), every `updateEvery`
 *                updates with the mean g_eta since the last meta step (meta-gradient ascent).
 * Per inner update: one rollout (no second forward pass: J' reuses the batch that the next inner
 * update trains on) and three BPTT passes (J' gradient, grad L, u). Order within `update`: play tau_k
 * (gamma_k as input), meta step on tau_k, then the inner update on tau_k with the new gamma.
 * Not differentiated (first order): the clipping factor's and the optimiser statistics' dependence on
 * eta, and the path through the gamma input.
 *
 * Discount-conditioned agent: with `feedGamma` the network gets gamma as its extra input (the paper's
 * embedding of eta), so the value function follows the moving discount. The input path is not
 * differentiated (as in the paper); the tests check the maths with the input off.
 *
 * What J' cannot see: a cost of the discount that shows only over hundreds of updates (when the agent
 * breaks out of uniform exploration); meta-horizon.ts / `metatune bench metagradient` measures it.
 */
import type { Rng } from '../../../core/rng.js';
import type { LossValues } from '../learner/a2c.js';
import { type Agent, batchReturns, type UpdateStats } from '../learner/agent.js';
import { entropyCoefAt } from '../learner/agent-config.js';
import { backward, bpttScratch, type BpttScratch } from '../learner/bptt.js';
import { clipScale, stepSizes } from '../learner/optimizer.js';
import { discountedReturns, episodeDiscounts, returnsGammaDerivative } from '../learner/returns.js';
import type { BanditEnv } from '../learner/rollout.js';
import type { Trajectory } from '../learner/trajectory.js';

export interface MetaGradientSettings {
	readonly gamma0: number;
	/** meta learning rate (Adam on eta) */
	readonly beta: number;
	/** trace decay */
	readonly mu: number;
	/** reference discount of the meta-objective */
	readonly gammaBar: number;
	readonly gammaMin: number;
	readonly gammaMax: number;
	/** inner updates per meta step */
	readonly updateEvery: number;
	/** feed gamma to the network as its (first) extra input */
	readonly feedGamma: boolean;
	/**
	 * The discount the network is conditioned on when J' scores the next batch (with `feedGamma`):
	 * 'current' scores the batch as it was played (conditioned on the current gamma); 'reference'
	 * replays its actions and rewards conditioned on gamma_bar, as Xu et al. condition the meta-objective
	 * on the reference meta-parameters. Default 'current' (docs/research/meta-gradient.md has the measurement).
	 */
	readonly metaInput?: 'current' | 'reference';
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const logit = (p: number): number => Math.log(p / (1 - p));

/** dlogit/dV rows for sum_n w_n (1/N) [grad log pi(a_n) + cv grad V_n] (linear in w). */
function scoreOutputGrads(traj: Trajectory, weights: ArrayLike<number>, valueCoef: number, dOutT: Float32Array): Float32Array {
	const K = traj.layout.shape.arms;
	const N = traj.n;
	const inv = 1 / N;
	for (let n = 0; n < N; n++) {
		const w = (weights[n] as number) * inv;
		const a = traj.actions[n] as number;
		for (let k = 0; k < K; k++) dOutT[k * N + n] = w * ((k === a ? 1 : 0) - (traj.probs[n * K + k] as number));
		dOutT[K * N + n] = w * valueCoef;
	}
	return dOutT;
}

/** Advantages Gbar_n - baseline_n of the meta-objective (leave-one-out batch mean per step; V when B = 1). */
export function metaAdvantages(traj: Trajectory, gbar: ArrayLike<number>, out: Float32Array): Float32Array {
	const B = traj.batch;
	for (let t = 0; t < traj.steps; t++) {
		let sum = 0;
		for (let b = 0; b < B; b++) sum += gbar[t * B + b] as number;
		for (let b = 0; b < B; b++) {
			const n = t * B + b;
			const base = B > 1 ? (sum - (gbar[n] as number)) / (B - 1) : (traj.values[n] as number);
			out[n] = (gbar[n] as number) - base;
		}
	}
	return out;
}

function dot(a: Float32Array, b: Float32Array): number {
	let s = 0;
	for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
	return s;
}

/** Drives an Agent's inner updates and adapts its discount online. */
export class MetaGradientTuner {
	eta: number;
	readonly z: Float32Array;
	private readonly alpha: Float32Array;
	/** the last meta-gradient dJ'/deta (NaN before the first) */
	lastMetaGradient = Number.NaN;
	private readonly gammaBarDiscounts: Float32Array;
	private readonly metaAdam = { m: 0, v: 0, step: 0 };
	private gAccum = 0;
	private gCount = 0;
	private hasTrace = false;
	private readonly extras: Float32Array;
	private readonly buffers = new Map<number, { scratch: BpttScratch; dOutT: Float32Array; returns: Float32Array; dG: Float32Array; gbar: Float32Array; adv: Float32Array }>();

	constructor(
		readonly agent: Agent,
		readonly settings: MetaGradientSettings,
	) {
		const { gamma0, gammaMin, gammaMax, feedGamma } = settings;
		if (!(gammaMin > 0 && gammaMin < gammaMax && gammaMax < 1)) throw new RangeError(`meta-gradient: need 0 < gamma_min < gamma_max < 1 (got ${gammaMin}, ${gammaMax})`);
		if (feedGamma && agent.layout.shape.extra < 1) throw new RangeError('meta-gradient: feeding gamma needs an agent with extra_inputs >= 1');
		this.eta = logit(Math.min(gammaMax, Math.max(gammaMin, gamma0)));
		this.z = new Float32Array(agent.layout.size);
		this.alpha = new Float32Array(agent.layout.size);
		this.gammaBarDiscounts = episodeDiscounts(settings.gammaBar, agent.horizon);
		this.extras = new Float32Array(agent.layout.shape.extra);
	}

	get gamma(): number {
		return sigmoid(this.eta);
	}

	/** The extra inputs for the current discount (gamma first, if fed; zeros otherwise). */
	currentExtras(): Float32Array | undefined {
		if (this.extras.length === 0) return undefined;
		if (this.settings.feedGamma) this.extras[0] = this.gamma;
		return this.extras;
	}

	/** The extra inputs with the reference discount gamma_bar in place of gamma (a fresh array). */
	private referenceExtras(): Float32Array {
		const extras = Float32Array.from(this.currentExtras() ?? []);
		extras[0] = this.settings.gammaBar;
		return extras;
	}

	/** InnerLoop: evaluation runs with the final discount as input. */
	evalExtras(): Float32Array | undefined {
		const extras = this.currentExtras();
		return extras ? Float32Array.from(extras) : undefined;
	}

	private buffersFor(traj: Trajectory) {
		let buf = this.buffers.get(traj.batch);
		if (!buf) {
			const n = traj.n;
			buf = {
				scratch: bpttScratch(this.agent.layout, n),
				dOutT: new Float32Array((this.agent.layout.shape.arms + 1) * n),
				returns: new Float32Array(n),
				dG: new Float32Array(n),
				gbar: new Float32Array(n),
				adv: new Float32Array(n),
			};
			this.buffers.set(traj.batch, buf);
		}
		return buf;
	}

	/** Gradient of J' (ascent direction) at the agent's current parameters on `traj`. */
	metaObjectiveGradient(traj: Trajectory): Float32Array {
		const buf = this.buffersFor(traj);
		discountedReturns(traj.rewards, this.gammaBarDiscounts, traj.steps, traj.batch, buf.gbar);
		metaAdvantages(traj, buf.gbar, buf.adv);
		scoreOutputGrads(traj, buf.adv, 0, buf.dOutT);
		return Float32Array.from(backward(this.agent.layout, this.agent.theta, this.agent.device, traj, buf.dOutT, buf.scratch));
	}

	/**
	 * grad L at gamma (the inner A2C gradient) and u (see the notation) on `traj`, at the agent's
	 * current parameters. Both are fresh arrays.
	 */
	innerGradients(traj: Trajectory, gamma: number, entropyCoef: number): { grad: Float32Array; u: Float32Array; loss: LossValues } {
		const agent = this.agent;
		const buf = this.buffersFor(traj);
		const discounts = episodeDiscounts(gamma, traj.steps);
		const { grad, loss } = agent.gradient(traj, 'total', entropyCoef, discounts);
		discountedReturns(traj.rewards, discounts, traj.steps, traj.batch, buf.returns);
		returnsGammaDerivative(buf.returns, discounts, traj.steps, traj.batch, buf.dG);
		const dgammaDeta = gamma * (1 - gamma);
		for (let n = 0; n < traj.n; n++) buf.dG[n] = (buf.dG[n] as number) * dgammaDeta;
		scoreOutputGrads(traj, buf.dG, agent.config.value_coef, buf.dOutT);
		const u = Float32Array.from(backward(agent.layout, agent.theta, agent.device, traj, buf.dOutT, buf.scratch));
		return { grad, u, loss };
	}

	/** One Adam ascent step of eta on g (meta-gradient), kept inside the gamma bounds. */
	private metaStep(g: number): void {
		const a = this.metaAdam;
		a.step += 1;
		a.m = 0.9 * a.m + 0.1 * g;
		a.v = 0.999 * a.v + 0.001 * g * g;
		const mHat = a.m / (1 - 0.9 ** a.step);
		const vHat = a.v / (1 - 0.999 ** a.step);
		const eta = this.eta + (this.settings.beta * mHat) / (Math.sqrt(vHat) + 1e-8);
		this.eta = Math.min(logit(this.settings.gammaMax), Math.max(logit(this.settings.gammaMin), eta));
	}

	/** One inner A2C update on B fresh episodes, preceded by the meta step that scores the last update on them. */
	update(env: BanditEnv, rng: Rng): UpdateStats {
		const agent = this.agent;
		const extras = this.currentExtras();
		const { traj, returns: episodeReturns } = agent.play(env, rng, extras ? { extras } : {});
		if (this.hasTrace) {
			const scored = this.settings.metaInput === 'reference' && this.settings.feedGamma ? agent.replay(traj, env, this.referenceExtras()) : traj;
			this.lastMetaGradient = dot(this.metaObjectiveGradient(scored), this.z);
			this.gAccum += this.lastMetaGradient;
			this.gCount += 1;
			if (this.gCount >= this.settings.updateEvery) {
				this.metaStep(this.gAccum / this.gCount);
				this.gAccum = 0;
				this.gCount = 0;
			}
		}
		const entropyCoef = entropyCoefAt(agent.config, agent.episodesTrained);
		const gamma = this.gamma;
		const { grad, u, loss } = this.innerGradients(traj, gamma, entropyCoef);
		const norm = agent.applyGradient(grad, env.batch);
		stepSizes(agent.optimizer, agent.config.lr, clipScale(norm, agent.config.grad_clip), agent.mask, this.alpha, agent.config);
		const mu = this.settings.mu;
		const z = this.z;
		for (let i = 0; i < z.length; i++) z[i] = mu * (z[i] as number) + (this.alpha[i] as number) * (u[i] as number);
		this.hasTrace = true;
		return { ...batchReturns(episodeReturns, env.batch), loss, gradNorm: norm, entropyCoef };
	}
}
