/**
 * The comparison table: one row per arm (searcher) of each study.
 *
 *   Method | <chosen> | <reward> (mean, 95% CI) | Best observed | Lifetimes | Env steps | Wall time
 *
 * chosen     the arm's re-evaluated configuration when `reevaluate` trials exist (they carry it),
 *            else the searcher's recommend(), else the best observed configuration
 * <chosen>   "Discount (chosen)" when every row's study searches exactly one param, named gamma
 *            (fixed params do not count): the cell is the chosen gamma's value. Otherwise the header
 *            is that one param's name when every row searches the same single param, else "Chosen",
 *            and the cell names every chosen searchable param, `name=value, ...` (gamma too). The
 *            row's `discount` field (csv/json) holds its study's own form of that cell.
 * reward     mean and 95% CI over the chosen configuration's re-evaluation lifetimes (fresh seeds),
 *            else over its search lifetimes (marked "not re-evaluated": optimistic by selection)
 * meta-gradient arms  each lifetime tunes its own discount, none is selected: the chosen cell is the
 *            mean final discount (95% CI) and the reward the mean over all the arm's lifetimes
 * Lifetimes  complete search lifetimes + complete re-evaluations (failed ones counted apart)
 * Env steps  sum of the lifetimes' `env_steps` field; Wall time: sum of lifetimes' wall_ms
 *
 * One value (n = 1) has no interval: text and markdown show `18.26 n=1` (and `0.85 (final)`), never
 * a zero-width `[18.26, 18.26]`. csv and json carry the numbers as meanCi gives them: mean, low,
 * high and n, with low = high = mean when n = 1 (read n before reading the interval).
 */
import { bestObserved, lossSign } from '../../searchers/common.js';
import type { SearcherConfig } from '../../searchers/config.js';
import { createSearcher } from '../../searchers/index.js';
import type { Searcher } from '../../searchers/searcher.js';
import { textTable, duration } from '../core/format.js';
import { dimensions, type Params, paramsText, paramValueText } from '../core/space.js';
import { armProgress } from '../study/run/scheduler.js';
import { isEnded, type TrialState } from '../study/journal/state.js';
import type { StoredStudy } from '../study/journal/stored.js';
import { meanCi, type MeanCi } from '../core/stats.js';
import { toCsv } from './csv.js';
import type { CompareFormat } from './formats.js';

export interface ComparisonRow {
	readonly study: string;
	readonly arm: string;
	readonly searcher: string;
	readonly metric: string;
	readonly chosen: Params | undefined;
	readonly chosen_basis: 'reevaluated' | 'recommended' | 'final discount' | 'none';
	/** the study's searchable params, in space order (fixed ones left out) */
	readonly searched_params: readonly string[];
	/** the chosen cell in the study's own form: gamma's value alone when gamma is the only searched param, else `name=value, ...` */
	readonly discount: string;
	readonly reward: MeanCi | undefined;
	readonly reward_basis: 'reevaluation' | 'search lifetimes' | 'meta-gradient lifetimes' | 'none';
	/** meta-gradient arms: the final discounts' mean and 95% CI */
	readonly final_discount?: MeanCi;
	readonly best_observed: number | undefined;
	readonly lifetimes: number;
	readonly reevaluations: number;
	readonly failed: number;
	readonly running: number;
	readonly env_steps: number | undefined;
	readonly wall_ms: number;
}

const sameParams = (a: Params, b: Params) => Object.keys(a).every((k) => a[k] === b[k]);

const onlyGamma = (searched: readonly string[]) => searched.length === 1 && searched[0] === 'gamma';

function paramsLabel(searched: readonly string[], chosen: Params | undefined): string {
	if (chosen === undefined || searched.length === 0) return '-';
	return onlyGamma(searched) ? paramValueText(chosen.gamma) : paramsText(Object.fromEntries(searched.map((name) => [name, chosen[name]])));
}

/** A mean with its 95% CI, or the value alone when n = 1. */
function ciText(ci: MeanCi, digits?: number): string {
	return ci.n === 1 ? num(ci.mean, digits) : `${num(ci.mean, digits)} [${num(ci.low, digits)}, ${num(ci.high, digits)}]`;
}

export function comparisonRows(stored: StoredStudy, makeSearcher: (c: SearcherConfig) => Searcher = createSearcher): ComparisonRow[] {
	const { spec, state } = stored;
	const sign = lossSign(spec.direction);
	const searched = dimensions(spec.space).map((d) => d.name);
	return spec.arms.map((arm) => {
		const all = state.trials.filter((t): t is TrialState => t !== undefined && t.asked.arm === arm.name);
		const reevals = [...state.latest(arm.name, 'reevaluate').values()];
		const { groups, trials } = armProgress(spec, state, arm.name);
		let chosen: Params | undefined;
		let chosenBasis: ComparisonRow['chosen_basis'] = 'none';
		if (reevals.length > 0) {
			chosen = reevals[0]?.asked.params;
			chosenBasis = 'reevaluated';
		} else {
			const request = { space: spec.space, direction: spec.direction, trials };
			chosen = (makeSearcher(arm.config).recommend?.(request) ?? bestObserved(request))?.params;
			if (chosen !== undefined) chosenBasis = 'recommended';
		}
		const reevalValues = reevals.map((t) => t.complete?.value).filter((v): v is number => v !== undefined);
		let reward: MeanCi | undefined;
		let rewardBasis: ComparisonRow['reward_basis'] = 'none';
		let finalDiscount: MeanCi | undefined;
		if (arm.config.kind === 'metagradient') {
			const done = all.filter((t) => t.phase === 'complete' && t.asked.purpose === 'search');
			const finals = done.map((t) => t.complete?.fields.final_gamma).filter((v): v is number => typeof v === 'number');
			finalDiscount = meanCi(finals);
			chosen = finalDiscount === undefined ? undefined : { gamma: finalDiscount.mean };
			chosenBasis = chosen === undefined ? 'none' : 'final discount';
			reward = meanCi(done.map((t) => t.complete?.value).filter((v): v is number => v !== undefined));
			if (reward) rewardBasis = 'meta-gradient lifetimes';
		} else if (reevalValues.length > 0) {
			reward = meanCi(reevalValues);
			rewardBasis = 'reevaluation';
		} else if (chosen !== undefined) {
			const group = groups.find((g) => sameParams(g.params, chosen as Params));
			const values = (group?.lifetimes ?? []).map((t) => t.complete?.value).filter((v): v is number => v !== undefined);
			reward = meanCi(values);
			if (reward) rewardBasis = 'search lifetimes';
		}
		let best: number | undefined;
		for (const t of trials) if (t.status === 'complete' && t.value !== undefined && (best === undefined || sign * t.value < sign * best)) best = t.value;
		const complete = all.filter((t) => t.phase === 'complete');
		let envSteps: number | undefined;
		for (const t of complete) {
			const s = t.complete?.fields.env_steps;
			if (typeof s === 'number') envSteps = (envSteps ?? 0) + s;
		}
		return {
			study: spec.name,
			arm: arm.name,
			searcher: arm.config.kind,
			metric: spec.metric,
			chosen,
			chosen_basis: chosenBasis,
			searched_params: searched,
			discount: finalDiscount === undefined ? paramsLabel(searched, chosen) : `${ciText(finalDiscount, 3)} (final)`,
			...(finalDiscount === undefined ? {} : { final_discount: finalDiscount }),
			reward,
			reward_basis: rewardBasis,
			best_observed: best,
			lifetimes: complete.filter((t) => t.asked.purpose === 'search').length,
			reevaluations: reevalValues.length,
			failed: all.filter((t) => t.phase === 'failed' && isEnded(t, spec.retries)).length,
			running: all.filter((t) => t.phase === 'running' || t.phase === 'pending').length,
			env_steps: envSteps,
			wall_ms: all.reduce((s, t) => s + (t.complete?.wall_ms ?? t.failed?.wall_ms ?? 0), 0),
		};
	});
}

const num = (x: number | undefined, digits = 4) => (x === undefined ? '-' : String(Number(x.toPrecision(digits))));

function rewardHeader(rows: readonly ComparisonRow[]): string {
	const metrics = new Set(rows.map((r) => r.metric));
	const only = metrics.size === 1 ? [...metrics][0] : undefined;
	const name = only === 'lifetime_return' || only === 'final_return' ? 'Undiscounted cumulative reward' : only === undefined ? 'Reward' : only;
	return `${name} (mean, 95% CI)`;
}

/** The chosen column's header, and whether its cells are gamma's value alone (see the top comment). */
function chosenColumn(rows: readonly ComparisonRow[]): { header: string; gammaValues: boolean } {
	if (rows.every((r) => onlyGamma(r.searched_params))) return { header: 'Discount (chosen)', gammaValues: true };
	const single = rows[0]?.searched_params.length === 1 ? rows[0].searched_params[0] : undefined;
	const same = single !== undefined && rows.every((r) => r.searched_params.length === 1 && r.searched_params[0] === single);
	return { header: same ? single : 'Chosen', gammaValues: false };
}

function chosenCell(r: ComparisonRow, gammaValues: boolean): string {
	if (gammaValues || !onlyGamma(r.searched_params) || r.discount === '-') return r.discount;
	return `gamma=${r.discount}`;
}

function cells(r: ComparisonRow, multiStudy: boolean, gammaValues: boolean): string[] {
	const reward = r.reward === undefined ? '-' : `${ciText(r.reward)} n=${r.reward.n}${r.reward_basis === 'search lifetimes' ? ' (not re-evaluated)' : ''}`;
	const lifetimes = `${r.lifetimes}${r.reevaluations > 0 ? ` + ${r.reevaluations}` : ''}${r.failed > 0 ? ` (${r.failed} failed)` : ''}${r.running > 0 ? ` (${r.running} unfinished)` : ''}`;
	return [
		multiStudy ? `${r.study}/${r.arm}` : r.arm,
		chosenCell(r, gammaValues),
		reward,
		num(r.best_observed),
		lifetimes,
		r.env_steps === undefined ? '-' : r.env_steps.toLocaleString('en-US'),
		duration(r.wall_ms / 1000),
	];
}

export function formatComparison(rows: readonly ComparisonRow[], format: CompareFormat): string {
	const multiStudy = new Set(rows.map((r) => r.study)).size > 1;
	const chosen = chosenColumn(rows);
	const header = ['Method', chosen.header, rewardHeader(rows), 'Best observed', 'Lifetimes', 'Env steps', 'Wall time'];
	switch (format) {
		case 'text':
			return textTable(header, rows.map((r) => cells(r, multiStudy, chosen.gammaValues)));
		case 'markdown': {
			const esc = (c: string) => c.replace(/\|/g, '\\|');
			return [
				`| ${header.map(esc).join(' | ')} |`,
				`|${header.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
				...rows.map((r) => `| ${cells(r, multiStudy, chosen.gammaValues).map(esc).join(' | ')} |`),
			].join('\n');
		}
		case 'csv':
			return toCsv(
				rows.map((r) => ({
					study: r.study,
					method: r.arm,
					searcher: r.searcher,
					discount: r.discount,
					chosen: r.chosen === undefined ? '' : JSON.stringify(r.chosen),
					metric: r.metric,
					reward_mean: r.reward?.mean,
					reward_ci_low: r.reward?.low,
					reward_ci_high: r.reward?.high,
					reward_n: r.reward?.n,
					reward_basis: r.reward_basis,
					best_observed: r.best_observed,
					lifetimes: r.lifetimes,
					reevaluations: r.reevaluations,
					failed: r.failed,
					env_steps: r.env_steps,
					wall_ms: r.wall_ms,
				})),
			);
		case 'json':
			return JSON.stringify(rows, null, 2);
	}
}
