import test from 'ava';
import { comparisonRows, type ComparisonRow } from '../../src/report/compare.js';
import { formatComparison } from '../../src/report/compare-format.js';
import { finishedStudy, readCsv } from './helpers.js';

const header = (table: string) => (table.split('\n')[0] ?? '').split(/\s{2,}/);

/** A finished grid study over `space` with the grid `values`; the value peaks at the last grid point. */
function gridStudy(name: string, space: Record<string, unknown>, values: Record<string, unknown[]>, budget: number) {
	return finishedStudy({ name, space, searchers: [{ kind: 'grid', values }], budget, reevaluate: 2 }, (p, c) => ({
		value:
			Object.values(p)
				.filter((v) => typeof v === 'number')
				.reduce((s: number, v) => s + (v as number), 0) +
			(p.opt === 'adam' ? 1 : 0) +
			(c.seed % 5) / 100,
	}));
}

test('space {gamma, lr}: the column is "Chosen" and shows every chosen param, in every format', async (t) => {
	const stored = await gridStudy('two', { gamma: { type: 'float', low: 0.5, high: 0.9 }, lr: { type: 'float', low: 0.01, high: 0.1 } }, { gamma: [0.5, 0.9], lr: [0.01, 0.1] }, 4);
	const rows = comparisonRows(stored);
	const text = formatComparison(rows, 'text');
	t.is(header(text)[1], 'Chosen');
	t.regex(text.split('\n')[2] ?? '', /^grid\s+gamma=0\.9, lr=0\.1\s+/);
	const md = formatComparison(rows, 'markdown').split('\n');
	t.regex(md[0] ?? '', /^\| Method \| Chosen \| /);
	t.regex(md[2] ?? '', /^\| grid \| gamma=0\.9, lr=0\.1 \| /);
	t.is(readCsv(formatComparison(rows, 'csv'))[0]?.chosen_text, 'gamma=0.9, lr=0.1');
	t.is((JSON.parse(formatComparison(rows, 'json')) as ComparisonRow[])[0]?.chosen_text, 'gamma=0.9, lr=0.1');
});

test('space {x, y, opt} without gamma: the header is "Chosen", never "Discount"', async (t) => {
	const stored = await gridStudy(
		'xyz',
		{ x: { type: 'float', low: 0, high: 2 }, y: { type: 'int', low: 1, high: 3 }, opt: { type: 'categorical', choices: ['sgd', 'adam'] } },
		{ x: [1.098], y: [3], opt: ['sgd', 'adam'] },
		2,
	);
	const text = formatComparison(comparisonRows(stored), 'text');
	t.is(header(text)[1], 'Chosen');
	t.notRegex(text, /Discount/);
	t.regex(text, /x=1\.098, y=3, opt=adam/);
	t.notRegex(formatComparison(comparisonRows(stored), 'markdown'), /Discount/);
});

test('a single param other than gamma names the column; its cells still say name=value', async (t) => {
	const stored = await gridStudy('one', { lr: { type: 'float', low: 0.01, high: 0.1 }, hidden: { type: 'fixed', value: 48 } }, { lr: [0.01, 0.1] }, 2);
	const rows = comparisonRows(stored);
	const text = formatComparison(rows, 'text');
	t.is(header(text)[1], 'lr');
	t.regex(text.split('\n')[2] ?? '', /^grid\s+lr=0\.1\s+/);
	t.regex(formatComparison(rows, 'markdown').split('\n')[2] ?? '', /^\| grid \| lr=0\.1 \| /);
});

/** Rows as comparisonRows makes them, with fixed numbers (for byte-exact table checks). */
function row(over: Partial<ComparisonRow> & Pick<ComparisonRow, 'arm' | 'chosen_text'>): ComparisonRow {
	return {
		study: 's',
		kind: 'grid',
		role: 'search',
		metric: 'lifetime_return',
		direction: 'maximize',
		metric_label: 'Lifetime return per episode',
		chosen: { gamma: 0.8955 },
		chosen_basis: 'reevaluated',
		searched_params: ['gamma'],
		searched_label: 'Discount',
		reward: { mean: 17.7775, low: 17.3512, high: 18.2038, n: 5 },
		reward_basis: 'reevaluation',
		best_observed: 18.4812,
		lifetimes: 20,
		reevaluations: 5,
		failed: 0,
		pruned: 0,
		running: 0,
		env_steps: 3814000,
		wall_ms: 68000,
		...over,
	};
}

const gammaRows = [
	row({ arm: 'grid', chosen_text: '0.8955' }),
	row({
		arm: 'metagradient-from-0.3',
		kind: 'metagradient',
		role: 'tune',
		chosen_text: '0.956 [0.932, 0.98] (final)',
		chosen: { gamma: 0.956 },
		chosen_basis: 'tuned (final)',
		tuned_final: { gamma: { mean: 0.956, low: 0.932, high: 0.98, n: 5 } },
		reward: { mean: 18.41, low: 18.26, high: 18.56, n: 5 },
		reward_basis: 'tuner lifetimes',
		reevaluations: 0,
		lifetimes: 5,
		env_steps: 762800,
		wall_ms: 37500,
	}),
];

test('a gamma-only space keeps the "Discount (chosen)" table byte for byte', (t) => {
	t.is(
		formatComparison(gammaRows, 'text'),
		[
			'Method                           Discount (chosen)  Lifetime return per episode (mean, 95% CI)  Best observed  Lifetimes  Env steps  Wall time',
			'---------------------  ---------------------------  ------------------------------------------  -------------  ---------  ---------  ---------',
			'grid                                        0.8955                     17.78 [17.35, 18.2] n=5          18.48     20 + 5  3,814,000      1m08s',
			'metagradient-from-0.3  0.956 [0.932, 0.98] (final)                    18.41 [18.26, 18.56] n=5          18.48          5    762,800      37.5s',
		].join('\n'),
	);
	t.is(
		formatComparison(gammaRows, 'markdown'),
		[
			'| Method | Discount (chosen) | Lifetime return per episode (mean, 95% CI) | Best observed | Lifetimes | Env steps | Wall time |',
			'|---|---|---:|---:|---:|---:|---:|',
			'| grid | 0.8955 | 17.78 [17.35, 18.2] n=5 | 18.48 | 20 + 5 | 3,814,000 | 1m08s |',
			'| metagradient-from-0.3 | 0.956 [0.932, 0.98] (final) | 18.41 [18.26, 18.56] n=5 | 18.48 | 5 | 762,800 | 37.5s |',
		].join('\n'),
	);
});

test('a table mixing a gamma-only study with another space says "Chosen" and names gamma too', (t) => {
	const other = row({ study: 't', arm: 'grid', chosen_text: 'x=1.098, y=3', chosen: { x: 1.098, y: 3 }, searched_params: ['x', 'y'] });
	delete (other as { searched_label?: string }).searched_label;
	const text = formatComparison([...gammaRows, other], 'text').split('\n');
	t.is(header(text.join('\n'))[1], 'Chosen');
	t.regex(text[2] ?? '', /^s\/grid\s+gamma=0\.8955\s/);
	t.regex(text[3] ?? '', /^s\/metagradient-from-0\.3\s+gamma=0\.956 \[0\.932, 0\.98\] \(final\)\s/);
	t.regex(text[4] ?? '', /^t\/grid\s+x=1\.098, y=3\s/);
});
