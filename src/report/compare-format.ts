/**
 * The comparison table from its rows (compare.ts says what each column holds), as text, markdown,
 * csv or json:
 *
 *   Method | <chosen> | <reward> (mean, 95% CI) | Best observed | Lifetimes | Env steps | Wall time
 *
 * <chosen>   "<Label> (chosen)" when every row's study searches exactly one param and its objective
 *            labels it the same way (the bandit agent's gamma: "Discount (chosen)"; fixed params do
 *            not count): the cell is that param's value. Otherwise the header is that one param's
 *            name when every row searches the same single param, else "Chosen", and the cell names
 *            every chosen searchable param, `name=value, ...`. The row's `chosen_text` (csv/json)
 *            holds its study's own form of that cell.
 * Pareto front, Hypervolume   studies with several metrics: in place of the chosen configuration and
 *            its reward, the size of the arm's front and its hypervolume, with the reference point
 *            stated under the table (fronts.ts)
 * Metric    only when the rows' studies optimise different metrics: each row's metric, the reward
 *            column is then headed "Value" and one line under the table names each study's metric
 *
 * csv and json name the arm `arm` (as `metatune export` does) and give chosen params at 15
 * significant digits (what a double holds faithfully), so a log grid's 10^-3 reads 0.001 and not
 * 0.0010000000000000002; the journal keeps the exact double.
 *
 * One value (n = 1) has no interval: text and markdown show `18.26 n=1` (and `0.85 (final)`), never
 * a zero-width `[18.26, 18.26]`. csv and json carry the numbers as meanCi gives them: mean, low,
 * high and n, with low = high = mean when n = 1 (read n before reading the interval).
 */
import { duration, grouped, plainStyle, type TextStyle, textTable } from '../core/format.js';
import { type Params, paramsText } from '../core/space.js';
import type { ComparisonRow } from './compare.js';
import { ciText, num } from './compare-cell-text.js';
import { toCsv } from './csv.js';
import type { CompareFormat } from './formats.js';
import { intervalText } from './fronts.js';

const metricName = (r: ComparisonRow) => r.metric_label ?? r.metric;

/** Whether the rows' studies optimise different metrics (the table then gets a Metric column). */
const mixedMetrics = (rows: readonly ComparisonRow[]) => new Set(rows.map(metricName)).size > 1;

function rewardHeader(rows: readonly ComparisonRow[]): string {
	return `${mixedMetrics(rows) ? 'Value' : metricName(rows[0] as ComparisonRow)} (mean, 95% CI)`;
}

/** The line under a table whose studies optimise different metrics. */
function metricNotes(rows: readonly ComparisonRow[]): string[] {
	if (!mixedMetrics(rows)) return [];
	const perStudy = new Map(rows.map((r) => [r.study, `${metricName(r)}, ${r.direction}`]));
	return [`note: these studies optimise different metrics (${[...perStudy].map(([study, m]) => `${study}: ${m}`).join('; ')}); compare values only within one metric`];
}

/** Chosen params for csv and json: numbers at 15 significant digits, without binary float noise. */
function cleanParams(params: Params | undefined): Params | undefined {
	if (params === undefined) return undefined;
	return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'number' ? Number(v.toPrecision(15)) : v]));
}

/** The chosen column's header, and whether its cells are the labelled param's value alone (see the top comment). */
function chosenColumn(rows: readonly ComparisonRow[]): { header: string; bareValues: boolean } {
	const label = rows[0]?.searched_label;
	const param = rows[0]?.searched_params[0];
	const sameParam = param !== undefined && rows.every((r) => r.searched_params.length === 1 && r.searched_params[0] === param);
	if (label !== undefined && sameParam && rows.every((r) => r.searched_label === label)) return { header: `${label} (chosen)`, bareValues: true };
	return { header: sameParam ? param : 'Chosen', bareValues: false };
}

/** A row whose study labels its only param shows the bare value; in a mixed table it gets the name. */
function chosenCell(r: ComparisonRow, bareValues: boolean): string {
	if (bareValues || r.searched_label === undefined || r.chosen_text === '-') return r.chosen_text;
	return `${r.searched_params[0]}=${r.chosen_text}`;
}

function cells(r: ComparisonRow, multiStudy: boolean, bareValues: boolean, withMetric: boolean): string[] {
	const f = r.front;
	const reward =
		f !== undefined
			? `HV ${intervalText(f.hypervolume)}${f.hypervolume_basis === 're-evaluation seeds' ? '' : ' (not re-evaluated)'}`
			: r.reward === undefined
				? '-'
				: `${ciText(r.reward)} n=${r.reward.n}${r.reward_basis === 'search lifetimes' ? ' (not re-evaluated)' : ''}`;
	const chosenText = f === undefined ? chosenCell(r, bareValues) : `front of ${f.size}${f.infeasible > 0 ? ` (${f.infeasible} infeasible left out)` : ''}`;
	const lifetimes = `${r.lifetimes}${r.reevaluations > 0 ? ` + ${r.reevaluations}` : ''}${r.pruned > 0 ? ` (${r.pruned} pruned)` : ''}${r.failed > 0 ? ` (${r.failed} failed)` : ''}${r.running > 0 ? ` (${r.running} unfinished)` : ''}`;
	return [
		multiStudy ? `${r.study}/${r.arm}` : r.arm,
		...(withMetric ? [metricName(r)] : []),
		chosenText,
		reward,
		num(r.best_observed),
		lifetimes,
		r.env_steps === undefined ? '-' : grouped(r.env_steps),
		duration(r.wall_ms / 1000),
	];
}

/** A line per tuner arm whose chosen settings were re-evaluated: the reward during its own lifetimes; a line per population arm: its members, env steps and the deployed member's schedule. */
function onlineNotes(rows: readonly ComparisonRow[], multiStudy: boolean): string[] {
	return rows.flatMap((r) => {
		const name = multiStudy ? `${r.study}/${r.arm}` : r.arm;
		const p = r.population;
		if (p !== undefined) {
			const schedule = p.schedule.map((e) => `${paramsText(Object.fromEntries(r.searched_params.map((n) => [n, e.params[n]])))} from step ${grouped(e.from_step)}`).join('; ');
			const deployed = r.online_reward === undefined ? '' : ` reached ${ciText(r.online_reward)} during training;`;
			return [
				`${name}: ${p.members} members trained in ${p.segments} segments (${p.exploits} exploits) over ${grouped(p.steps)} reported steps;${deployed} deployed member ${p.deployed_member ?? '-'} followed ${schedule === '' ? '-' : schedule}`,
			];
		}
		return r.online_reward === undefined
			? []
			: [`${name}: reward during its own ${r.lifetimes} lifetimes (the deployed settings as they were tuned): ${ciText(r.online_reward)} n=${r.online_reward.n}`];
	});
}

/** How many leading columns of the table hold text (the rest hold numbers, right-aligned). */
export function textColumns(rows: readonly ComparisonRow[]): number {
	return mixedMetrics(rows) ? 3 : 2;
}

/** `style`: what a terminal colours in the text table (its header); the other formats are never styled. */
export function formatComparison(rows: readonly ComparisonRow[], format: CompareFormat, style: TextStyle = plainStyle): string {
	const multiStudy = new Set(rows.map((r) => r.study)).size > 1;
	const chosen = chosenColumn(rows);
	const withMetric = mixedMetrics(rows);
	const fronts = rows.length > 0 && rows.every((r) => r.front !== undefined);
	const header = [
		'Method',
		...(withMetric ? ['Metric'] : []),
		fronts ? 'Pareto front' : chosen.header,
		fronts ? 'Hypervolume (mean, 95% CI)' : rewardHeader(rows),
		'Best observed',
		'Lifetimes',
		'Env steps',
		'Wall time',
	];
	const notes = [...metricNotes(rows), ...onlineNotes(rows, multiStudy), ...new Set(rows.flatMap((r) => (r.front === undefined ? [] : [r.front.note])))];
	switch (format) {
		case 'text':
			return [
				textTable(
					header,
					rows.map((r) => cells(r, multiStudy, chosen.bareValues, withMetric)),
					withMetric ? ['left', 'left'] : [],
					{ style },
				),
				...notes,
			].join('\n');
		case 'markdown': {
			const esc = (c: string) => c.replace(/\|/g, '\\|');
			return [
				`| ${header.map(esc).join(' | ')} |`,
				`|${header.map((_, i) => (i < textColumns(rows) ? '---' : '---:')).join('|')}|`,
				...rows.map((r) => `| ${cells(r, multiStudy, chosen.bareValues, withMetric).map(esc).join(' | ')} |`),
				...notes.map((n) => `\n${n}`),
			].join('\n');
		}
		case 'csv':
			return toCsv(
				rows.map((r) => ({
					study: r.study,
					arm: r.arm,
					kind: r.kind,
					role: r.role,
					chosen_text: r.chosen_text,
					chosen: r.chosen === undefined ? '' : JSON.stringify(cleanParams(r.chosen)),
					metric: r.metric,
					direction: r.direction,
					reward_mean: r.reward?.mean,
					reward_ci_low: r.reward?.low,
					reward_ci_high: r.reward?.high,
					reward_n: r.reward?.n,
					reward_basis: r.reward_basis,
					...(r.online_reward === undefined
						? {}
						: { online_reward_mean: r.online_reward.mean, online_reward_ci_low: r.online_reward.low, online_reward_ci_high: r.online_reward.high, online_reward_n: r.online_reward.n }),
					best_observed: r.best_observed,
					...(r.front === undefined
						? {}
						: {
								front_size: r.front.size,
								hypervolume_mean: r.front.hypervolume?.mean,
								hypervolume_ci_low: r.front.hypervolume?.low,
								hypervolume_ci_high: r.front.hypervolume?.high,
								hypervolume_n: r.front.hypervolume?.n,
								reference_point: JSON.stringify(r.front.reference),
							}),
					lifetimes: r.lifetimes,
					reevaluations: r.reevaluations,
					failed: r.failed,
					pruned: r.pruned,
					env_steps: r.env_steps,
					wall_ms: r.wall_ms,
				})),
			);
		case 'json':
			return JSON.stringify(
				rows.map((r) => ({ ...r, chosen: cleanParams(r.chosen) })),
				null,
				2,
			);
	}
}
