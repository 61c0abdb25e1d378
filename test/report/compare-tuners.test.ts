/**
 * Tuner arms in the comparison table: a pbt arm's chosen settings are the final settings of its best
 * lifetime, re-evaluated as a fixed configuration (no tuner settings reach those lifetimes); the
 * table's reward is the re-evaluation's and a note gives the reward of its own lifetimes. A stand-in
 * objective plays the population: its final discount and return depend on the seed.
 */
import test from 'ava';
import { comparisonRows } from '../../src/report/compare.js';
import { formatComparison } from '../../src/report/compare-format.js';
import { tunedTrajectoryFigure } from '../../src/report/plots/tuned-trajectory.js';
import { finishedStudy, readCsv } from './helpers.js';

const doc = {
	name: 'pbt-table',
	objective: { bandit: { task: 'independent' } },
	space: { gamma: { type: 'float', low: 0.05, high: 0.995 } },
	searchers: [{ kind: 'pbt', name: 'pbt', start: { gamma: 0.99 }, budget: 4 }],
	budget: 4,
	reevaluate: 2,
};

test('pbt: the best lifetime final settings are re-evaluated as a fixed configuration; its own reward is noted', async (t) => {
	const seen: { purpose: string; tuned: boolean; gamma: number }[] = [];
	const stored = await finishedStudy(doc, (p, c) => {
		const tuned = c.tuning !== undefined;
		seen.push({ purpose: tuned ? 'search' : 'reevaluate', tuned, gamma: Number(p.gamma) });
		const final = tuned ? 0.2 + (c.seed % 7) / 10 : Number(p.gamma);
		const value = 60 - 10 * final;
		return {
			value,
			lifetime_return: value,
			...(tuned
				? {
						final_params: { gamma: final },
						param_trajectory: {
							gamma: [
								[0, 0.99],
								[250, final],
							],
						},
					}
				: {}),
		};
	});
	const search = stored.state.trials.filter((tr) => tr?.asked.purpose === 'search');
	const reevals = stored.state.trials.filter((tr) => tr?.asked.purpose === 'reevaluate');
	t.is(search.length, 4);
	t.is(reevals.length, 2);
	t.true(
		search.every((tr) => tr?.asked.params.gamma === 0.99),
		'every tuner lifetime starts from the start configuration',
	);
	const best = search.reduce((a, b) => ((b?.complete?.value ?? -1) > (a?.complete?.value ?? -1) ? b : a));
	const bestFinal = (best?.complete?.fields.final_params as { gamma: number } | undefined)?.gamma;
	t.true(
		reevals.every((tr) => tr?.asked.params.gamma === bestFinal),
		're-evaluations run the best lifetime final settings',
	);
	t.is(seen.filter((s) => s.tuned).length, 4, 'only the search lifetimes get tuner settings');
	const row = comparisonRows(stored)[0];
	t.is(row?.chosen_basis, 'reevaluated');
	t.is(row?.reward_basis, 'reevaluation');
	t.is(row?.online_reward?.n, 4);
	t.is(row?.chosen_text, String(Number((bestFinal ?? Number.NaN).toPrecision(4))));
	const text = formatComparison(comparisonRows(stored), 'text').split('\n');
	t.regex(text.at(-1) ?? '', /^pbt: reward during its own 4 lifetimes \(the deployed settings as they were tuned\): [\d.]+ \[[\d.]+, [\d.]+\] n=4$/);
	t.is(readCsv(formatComparison(comparisonRows(stored), 'csv'))[0]?.online_reward_n, '4');
	const figure = tunedTrajectoryFigure({ studies: [stored] });
	if (figure.kind !== 'figure') return t.fail(figure.skipped.reason);
	t.is(figure.figure.id, 'gamma-trajectories');
	const spec = JSON.stringify(figure.figure.spec);
	t.regex(spec, /"interpolate":"step-after"/, 'population settings are drawn as steps');
	t.is((spec.match(/"step":250/g) ?? []).length, 4, 'one line per tuner lifetime, to its last update');
});

test('a grid of one point shades no best region on the trajectory figure', async (t) => {
	const stored = await finishedStudy(
		{ ...doc, name: 'pbt-one-point', searchers: [{ kind: 'grid', name: 'fixed', values: { gamma: [0.99] } }, ...doc.searchers], budget: 4, repeats: 4, reevaluate: 0 },
		(p, c) => {
			const final = c.tuning ? 0.2 + (c.seed % 7) / 10 : Number(p.gamma);
			return {
				value: 60 - 10 * final,
				lifetime_return: 60 - 10 * final,
				...(c.tuning
					? {
							final_params: { gamma: final },
							param_trajectory: {
								gamma: [
									[0, 0.99],
									[250, final],
								],
							},
						}
					: {}),
			};
		},
	);
	const figure = tunedTrajectoryFigure({ studies: [stored] });
	if (figure.kind !== 'figure') return t.fail(figure.skipped.reason);
	t.notRegex(JSON.stringify(figure.figure.spec), /Grid search/);
	t.regex(figure.figure.caption, /No grid over gamma with three or more points/);
});
