import test from 'ava';
import { comparisonRows } from '../../src/report/compare.js';
import { formatComparison } from '../../src/report/compare-format.js';
import { finishedStudy, readCsv } from './helpers.js';

const space = { gamma: { type: 'float', low: 0.6, high: 1 } };

test('n = 1, not re-evaluated: the value without an interval in text and markdown; csv low = high = mean', async (t) => {
	const stored = await finishedStudy({ name: 'once', space, searchers: [{ kind: 'grid', values: { gamma: [0.6, 0.8] } }], budget: 2, reevaluate: 0 }, (p, c) => ({
		value: 18 + Number(p.gamma) / 10 + (c.seed % 7) / 100,
	}));
	const rows = comparisonRows(stored);
	t.is(rows[0]?.reward?.n, 1);
	const text = formatComparison(rows, 'text').split('\n')[2] ?? '';
	// a module objective labels no param: the column is named gamma and its cells say gamma=value
	t.regex(text, /^grid\s+gamma=0\.8\s+[\d.]+ n=1 \(not re-evaluated\)\s/);
	t.notRegex(text, /\[/);
	const md = formatComparison(rows, 'markdown').split('\n')[2] ?? '';
	t.regex(md, /^\| grid \| gamma=0\.8 \| [\d.]+ n=1 \(not re-evaluated\) \|/);
	const csv = readCsv(formatComparison(rows, 'csv'))[0];
	t.is(csv?.reward_n, '1');
	t.is(csv?.reward_ci_low, csv?.reward_mean);
	t.is(csv?.reward_ci_high, csv?.reward_mean);
});

test('n = 1 re-evaluation and one meta-gradient lifetime: no zero-width intervals', async (t) => {
	const stored = await finishedStudy(
		{
			name: 'single',
			objective: { bandit: {} },
			space,
			searchers: [
				{ kind: 'grid', values: { gamma: [0.6, 0.8] } },
				{ kind: 'metagradient', name: 'mg', gamma0: 0.7, budget: 1 },
			],
			budget: 2,
			reevaluate: 1,
		},
		(_p, c) => ({ value: 0.009618 + (c.seed % 7) / 1e5, lifetime_return: 0.009618 + (c.seed % 7) / 1e5, ...(c.tuning?.kind === 'metagradient' ? { final_gamma: 0.85 } : {}) }),
	);
	const rows = comparisonRows(stored);
	const text = formatComparison(rows, 'text').split('\n');
	t.regex(text[2] ?? '', /^grid\s+0\.[68]\s+0\.0096\d* n=1\s/);
	t.regex(text[3] ?? '', /^mg\s+0\.85 \(final\)\s+0\.0096\d* n=1\s/);
	t.false(text.some((l) => l.includes('[')));
	t.deepEqual(rows[1]?.tuned_final, { gamma: { mean: 0.85, low: 0.85, high: 0.85, n: 1 } });
	t.regex(formatComparison(rows, 'markdown'), /\| mg \| 0\.85 \(final\) \| 0\.0096\d* n=1 \|/);
});
