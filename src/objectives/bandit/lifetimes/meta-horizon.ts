/**
 * What the one-step meta-gradient sees against what a fixed discount does over longer horizons
 * (`metatune bench metagradient`).
 *
 * For each discount gamma of a list and each seed s: a fresh agent (the same initial parameters for
 * every gamma) trains for U updates with gamma held fixed, through a MetaGradientTuner with beta = 0
 * (gamma fed as the input, as in a meta-gradient lifetime; nothing adapts), on the environment and
 * action streams of seed s (common random numbers across the discounts). Reported per gamma:
 *   truth     for each horizon h: the mean undiscounted episode return over the first h updates, and
 *             its paired difference to the first gamma of the list (mean over seeds, 95% CI)
 *   estimate  the one-step meta-gradient dJ'/dgamma = (dJ'/deta) / (gamma (1 - gamma)) averaged over
 *             the same first h updates (mean over seeds of the per-seed mean, 95% CI)
 * A positive estimate says "raise gamma"; the truth says whether a lower or higher discount would
 * have earned more over h updates from the start of a lifetime.
 */
import { meanCi, type MeanCi } from '../../../core/stats.js';
import { Rng } from '../../../core/rng.js';
import { Agent } from '../learner/agent.js';
import { type AgentConfig, parseAgentConfig } from '../learner/agent-config.js';
import type { BackendChoice } from '../learner/backend-choices.js';
import { initBackend } from '../learner/backend.js';
import { MetaGradientTuner } from './meta-gradient.js';
import { BanditBatch } from '../bandits/tasks.js';

export interface MetaHorizonOptions {
	/** agent settings (task, entropy, lr, ...) as in a study file's objective */
	readonly agent: Record<string, unknown>;
	readonly gammas: readonly number[];
	/** horizons in updates, ascending; the runs last the longest */
	readonly horizons: readonly number[];
	readonly seeds: number;
	readonly backend: BackendChoice;
	/** called after each finished run */
	readonly onRun?: (done: number, total: number) => void;
}

interface MetaHorizonCell {
	readonly horizon: number;
	/** mean undiscounted episode return over the first `horizon` updates */
	readonly meanReturn: MeanCi;
	/** paired difference to the first gamma's run on the same seed */
	readonly vsFirst: MeanCi;
	/** one-step meta-gradient dJ'/dgamma averaged over the same updates */
	readonly metaGradient: MeanCi;
}

interface MetaHorizonRow {
	readonly gamma: number;
	readonly cells: readonly MetaHorizonCell[];
}

export interface MetaHorizonReport {
	readonly task: string;
	readonly backend: string;
	readonly batch: number;
	readonly rows: readonly MetaHorizonRow[];
}

interface RunTrace {
	readonly returns: Float64Array;
	readonly metaGradients: Float64Array;
}

/** One fixed-gamma run: per update, the batch's mean return and the one-step meta-gradient dJ'/dgamma. */
export function fixedDiscountRun(config: AgentConfig, gamma: number, seed: number, updates: number): RunTrace {
	const agent = new Agent({ ...config, gamma, extra_inputs: Math.max(1, config.extra_inputs) }, new Rng(seed).split('agent-init'));
	const tuner = new MetaGradientTuner(agent, { gamma0: gamma, beta: 0, mu: 0, gammaBar: 1, gammaMin: Math.min(gamma, 1e-3), gammaMax: Math.max(gamma, 0.999), updateEvery: 1, feedGamma: true });
	const env = new BanditBatch({ kind: config.task, batch: config.batch, horizon: agent.horizon }, new Rng(seed).split('env'));
	const rng = new Rng(seed).split('actions');
	const returns = new Float64Array(updates);
	const metaGradients = new Float64Array(updates).fill(Number.NaN);
	try {
		for (let u = 0; u < updates; u++) {
			returns[u] = tuner.update(env, rng).meanReturn;
			metaGradients[u] = tuner.lastMetaGradient / (gamma * (1 - gamma));
		}
	} finally {
		agent.dispose();
	}
	return { returns, metaGradients };
}

function meanOver(values: Float64Array, count: number): number {
	let sum = 0;
	let n = 0;
	for (let i = 0; i < count; i++) {
		const v = values[i] as number;
		if (Number.isNaN(v)) continue;
		sum += v;
		n += 1;
	}
	return n > 0 ? sum / n : Number.NaN;
}

export async function metaHorizon(options: MetaHorizonOptions): Promise<MetaHorizonReport> {
	const { gammas, horizons, seeds } = options;
	if (gammas.length === 0 || horizons.length === 0 || !(Number.isInteger(seeds) && seeds >= 1)) throw new RangeError('metaHorizon: need at least one discount, one horizon and one seed');
	const backend = await initBackend(options.backend);
	const config = parseAgentConfig(options.agent);
	const updates = Math.max(...horizons);
	const traces = gammas.map(() => [] as RunTrace[]);
	const total = gammas.length * seeds;
	let done = 0;
	for (let s = 1; s <= seeds; s++) {
		for (const [i, gamma] of gammas.entries()) {
			traces[i]?.push(fixedDiscountRun(config, gamma, s, updates));
			done += 1;
			options.onRun?.(done, total);
		}
	}
	const first = traces[0] ?? [];
	const rows = gammas.map((gamma, i) => {
		const runs = traces[i] ?? [];
		const cells = horizons.map((h) => {
			const means = runs.map((r) => meanOver(r.returns, h));
			const firstMeans = first.map((r) => meanOver(r.returns, h));
			const ci = (values: number[]) => meanCi(values) as MeanCi;
			return {
				horizon: h,
				meanReturn: ci(means),
				vsFirst: ci(means.map((m, s) => m - (firstMeans[s] as number))),
				metaGradient: ci(runs.map((r) => meanOver(r.metaGradients, h))),
			};
		});
		return { gamma, cells };
	});
	return { task: config.task, backend, batch: config.batch, rows };
}
