/**
 * The evaluation table of `agent train`, `agent eval` and `bench agent-tasks`: the agent next to the
 * task's baselines (baselines.ts: random, UCB1, Thompson sampling with a uniform prior and, on the
 * two-point tasks, with the true prior, the Bayes-optimal policy where known, the oracle), every
 * policy on the same bandit draws (the same 'eval-bandits' stream; see lifetime.ts), with mean return
 * and regret against the task's optimal policy (two-armed: the oracle; eleven-armed: Bayes-optimal).
 * Intervals are 95% Student t intervals of the mean over episodes.
 */
import type { AgentConfig } from '../objectives/bandit/learner/agent-config.js';
import type { Agent } from '../objectives/bandit/learner/agent.js';
import { type BaselineKind, baselineLabel, baselinesFor, runBaseline } from '../objectives/bandit/bandits/baselines.js';
import { bayesOptimalRegret } from '../objectives/bandit/bandits/bayes-optimal.js';
import { evaluateAgent, meanStd, type MeanStd } from '../objectives/bandit/lifetimes/lifetime.js';
import { BanditBatch, defaultHorizon, type TaskKind } from '../objectives/bandit/bandits/tasks.js';
import { tQuantile975 } from '../core/stats.js';
import type { Rng } from '../core/rng.js';
import { fixed, textTable } from '../core/format.js';

export interface EvaluationRow {
	/** 'agent' or the baseline */
	readonly kind: 'agent' | BaselineKind;
	/** the row's label */
	readonly policy: string;
	readonly episodes: number;
	readonly ret: MeanStd;
	readonly regret: MeanStd;
}

export interface EvaluationTableOptions {
	readonly config: AgentConfig;
	readonly episodes: number;
	/** root of the evaluation streams ('eval-bandits', 'eval-actions', 'baseline-<kind>') */
	readonly streams: Rng;
	/** evaluate this agent ... */
	readonly agent?: Agent;
	/** ... or take its already computed evaluation (e.g. from runLifetime on the same streams) */
	readonly agentStats?: { readonly evalReturn: MeanStd; readonly evalRegret: MeanStd };
	readonly greedy?: boolean;
}

export function evaluationTable(options: EvaluationTableOptions): EvaluationRow[] {
	const { config, episodes, streams } = options;
	const bandits = () =>
		new BanditBatch(
			{ kind: config.task, batch: config.batch, ...(config.horizon ? { horizon: config.horizon } : {}), fixed: config.fixed },
			streams.split(config.fixed ? 'train-bandits' : 'eval-bandits'),
		);
	const rows: EvaluationRow[] = [];
	if (options.agentStats) {
		rows.push({ kind: 'agent', policy: 'agent', episodes, ret: options.agentStats.evalReturn, regret: options.agentStats.evalRegret });
	} else if (options.agent) {
		const stats = evaluateAgent(options.agent, bandits(), episodes, streams.split('eval-actions'), { greedy: options.greedy ?? false });
		rows.push({ kind: 'agent', policy: 'agent', episodes, ret: meanStd(stats.returns), regret: meanStd(stats.regrets) });
	}
	for (const kind of baselinesFor(config.task)) {
		const stats = runBaseline(kind, bandits(), episodes, streams.split(`baseline-${kind}`));
		rows.push({ kind, policy: baselineLabel(kind, config.task), episodes, ret: meanStd(stats.returns), regret: meanStd(stats.regrets) });
	}
	return rows;
}

/** Half-width of the 95% interval of a mean over n values: Student t with n - 1 degrees of freedom. */
export function halfWidth95(m: MeanStd, n: number): number {
	return (tQuantile975(n - 1) * m.std) / Math.sqrt(n);
}

/**
 * The table, and for the two-armed tasks a line with the Bayes-optimal policy's exact expected
 * regret (its row, where the table has one, is a run on these draws).
 */
export function formatEvaluationTable(rows: readonly EvaluationRow[], task?: TaskKind, horizon?: number): string {
	// rounding error of the oracle's zero regret would print as -0.00
	const f2 = (x: number) => fixed(Math.abs(x) < 0.005 ? 0 : x, 2);
	const ci = (m: MeanStd, n: number) => (n > 1 ? ` ± ${f2(halfWidth95(m, n))}` : '');
	const table = textTable(
		['policy', 'episodes', 'mean return (95% CI)', 'regret (95% CI)'],
		rows.map((r) => [r.policy, String(r.episodes), `${f2(r.ret.mean)}${ci(r.ret, r.episodes)}`, `${f2(r.regret.mean)}${ci(r.regret, r.episodes)}`]),
	);
	const exact = task === undefined ? undefined : bayesOptimalRegret(task, horizon ?? defaultHorizon(task));
	return exact === undefined ? table : `${table}\nbayes-optimal expected regret, exact by dynamic programming over the posterior: ${fixed(exact, 3)}`;
}
