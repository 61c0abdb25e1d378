/**
 * Gradient statistics per parameter tensor, for the policy loss, the value loss (times its
 * coefficient), the entropy term (times its coefficient) alone and for the total loss (a2c.ts), from one
 * batch of B fresh episodes. The loss is linear in the head gradients, so the three parts are computed
 * by the same backward pass and must add up to the total: `maxAbsPartsMinusTotal` reports how closely
 * they do (float32 rounding only).
 */
import type { Rng } from '../../../core/rng.js';
import { type LossPart, lossParts, type LossValues } from './a2c.js';
import type { Agent } from './agent.js';
import type { ParamName } from './network.js';
import type { BanditEnv } from './rollout.js';

interface Stats {
	readonly mean: number;
	readonly median: number;
	readonly std: number;
	readonly min: number;
	readonly max: number;
	readonly sum: number;
}

interface ParamGradStats {
	readonly name: ParamName;
	readonly shape: readonly number[];
	readonly parts: Record<LossPart, Stats>;
}

export interface GradStatsReport {
	readonly params: readonly ParamGradStats[];
	readonly loss: LossValues;
	/** max over all elements of |policy + value + entropy - total| */
	readonly maxAbsPartsMinusTotal: number;
	/** max |total| element, for scale */
	readonly maxAbsTotal: number;
	readonly episodes: number;
}

function describe(values: ArrayLike<number>): Stats {
	const n = values.length;
	if (n === 0) return { mean: Number.NaN, median: Number.NaN, std: Number.NaN, min: Number.NaN, max: Number.NaN, sum: 0 };
	const sorted = Float64Array.from(values as ArrayLike<number>).sort();
	let sum = 0;
	for (let i = 0; i < n; i++) sum += sorted[i] as number;
	const mean = sum / n;
	let v = 0;
	for (let i = 0; i < n; i++) v += ((sorted[i] as number) - mean) ** 2;
	const mid = n >> 1;
	const median = n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
	return { mean, median, std: Math.sqrt(v / n), min: sorted[0] as number, max: sorted[n - 1] as number, sum };
}

/** Play one batch on env (B = env.batch episodes) and report gradient statistics per parameter. */
export function gradientStats(agent: Agent, env: BanditEnv, rng: Rng): GradStatsReport {
	const { traj } = agent.play(env, rng);
	const grads = {} as Record<LossPart, Float32Array>;
	let loss: LossValues | undefined;
	for (const part of lossParts) {
		const g = agent.gradient(traj, part);
		grads[part] = g.grad;
		loss = g.loss;
	}
	let worst = 0;
	let scale = 0;
	const total = grads.total;
	for (let i = 0; i < total.length; i++) {
		const sum = (grads.policy[i] as number) + (grads.value[i] as number) + (grads.entropy[i] as number);
		worst = Math.max(worst, Math.abs(sum - (total[i] as number)));
		scale = Math.max(scale, Math.abs(total[i] as number));
	}
	const params = agent.layout.params.map((p) => {
		const parts = {} as Record<LossPart, Stats>;
		for (const part of lossParts) parts[part] = describe(grads[part].subarray(p.offset, p.offset + p.size));
		return { name: p.name, shape: p.shape, parts };
	});
	return { params, loss: loss!, maxAbsPartsMinusTotal: worst, maxAbsTotal: scale, episodes: env.batch };
}
