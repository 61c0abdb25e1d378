/**
 * How an objective names what it measures and what it takes, for tables and figures: the label of a
 * param (the bandit agent's `gamma` is the "Discount", symbol γ) and of a metric. Plain data, so a
 * report loads no objective code (and no TensorFlow.js) to label a column.
 */
import type { ObjectiveSpec } from './objective.js';

export interface ParamLabel {
	/** e.g. "Discount" */
	readonly name: string;
	/** e.g. "γ" */
	readonly symbol?: string;
}

const banditParams: Readonly<Record<string, ParamLabel>> = { gamma: { name: 'Discount', symbol: 'γ' } };
/**
 * Table labels of the bandit metrics, named for what they hold: lifetime_return is the mean
 * undiscounted episode return over every training episode of the lifetime, final_return the mean
 * episode return of the trained agent on `eval_episodes` fresh bandits. (The lifetime's sum of
 * rewards is the logged field `cumulative_reward`, not a metric.)
 */
const banditMetrics: Readonly<Record<string, string>> = { lifetime_return: 'Lifetime return per episode', final_return: 'Evaluation return per episode' };
const banditMetricAxes: Readonly<Record<string, string>> = { lifetime_return: 'Lifetime return (per episode)', final_return: 'Final return (eval., per episode)' };

/** The objective's label for a param, or undefined when it has none (the param's own name serves). */
export function paramLabel(objective: ObjectiveSpec, name: string): ParamLabel | undefined {
	switch (objective.kind) {
		case 'bandit':
			return banditParams[name];
		case 'module':
		case 'command':
		case 'function':
			return undefined;
	}
}

/** The objective's label for a metric, or undefined when it has none. */
export function metricLabel(objective: ObjectiveSpec, metric: string): string | undefined {
	switch (objective.kind) {
		case 'bandit':
			return banditMetrics[metric];
		case 'module':
		case 'command':
		case 'function':
			return undefined;
	}
}

/** A param's axis title: "Discount γ", or the param's name. */
export function axisTitle(objective: ObjectiveSpec, name: string): string {
	const label = paramLabel(objective, name);
	return label === undefined ? name : `${label.name}${label.symbol ? ` ${label.symbol}` : ''}`;
}

/** A metric's axis title: the objective's (e.g. "Lifetime return (per episode)"), or the metric's name. */
export function metricAxisTitle(objective: ObjectiveSpec, metric: string): string {
	switch (objective.kind) {
		case 'bandit':
			return banditMetricAxes[metric] ?? metric;
		case 'module':
		case 'command':
		case 'function':
			return metric;
	}
}

/** One line naming the objective, for status and the report's settings. */
export function objectiveText(objective: ObjectiveSpec): string {
	switch (objective.kind) {
		case 'bandit':
			return `bandit agent: ${Object.entries(objective.settings)
				.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
				.join(', ')}`;
		case 'module':
			return `module ${objective.module}${objective.export ? ` (export ${objective.export})` : ''}`;
		case 'command':
			return `command ${objective.command.join(' ')}`;
		case 'function':
			return 'a function given in-process (runStudy or ask/tell)';
	}
}
