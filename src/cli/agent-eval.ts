/**
 * The evaluation table of `agent train` and `agent eval`: the agent next to random, UCB1, Thompson
 * sampling and the optimal policy, every policy on the same bandit draws (the same 'eval-bandits'
 * stream; see lifetime.ts), with mean return and regret against the task's optimal policy.
 */
import type { AgentConfig } from '../objectives/bandit/agent-config.js';
import type { Agent } from '../objectives/bandit/agent.js';
import { baselineKinds, runBaseline } from '../objectives/bandit/baselines.js';
import { evaluateAgent, meanStd, type MeanStd } from '../objectives/bandit/lifetime.js';
import { BanditBatch } from '../objectives/bandit/tasks.js';
import type { Rng } from '../core/rng.js';
import { fixed, textTable } from '../core/format.js';

export interface EvaluationRow {
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
		rows.push({ policy: 'agent', episodes, ret: options.agentStats.evalReturn, regret: options.agentStats.evalRegret });
	} else if (options.agent) {
		const stats = evaluateAgent(options.agent, bandits(), episodes, streams.split('eval-actions'), { greedy: options.greedy ?? false });
		rows.push({ policy: 'agent', episodes, ret: meanStd(stats.returns), regret: meanStd(stats.regrets) });
	}
	for (const kind of baselineKinds) {
		const stats = runBaseline(kind, bandits(), episodes, streams.split(`baseline-${kind}`));
		rows.push({ policy: kind, episodes, ret: meanStd(stats.returns), regret: meanStd(stats.regrets) });
	}
	return rows;
}

export function formatEvaluationTable(rows: readonly EvaluationRow[]): string {
	const se = (m: MeanStd, n: number) => (n > 1 ? ` ± ${fixed((1.96 * m.std) / Math.sqrt(n), 2)}` : '');
	return textTable(
		['policy', 'episodes', 'mean return (95% CI)', 'regret (95% CI)'],
		rows.map((r) => [r.policy, String(r.episodes), `${fixed(r.ret.mean, 2)}${se(r.ret, r.episodes)}`, `${fixed(r.regret.mean, 2)}${se(r.regret, r.episodes)}`]),
	);
}
