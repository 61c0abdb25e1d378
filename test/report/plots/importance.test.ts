/**
 * The importance chart next to the noise: on a study whose lifetimes differ only by seed noise
 * (every value within 48.5-50.7, chance 50) it shows the noise share and says the effect is
 * indistinguishable from noise; where one parameter matters it still says so.
 */
import test from 'ava';
import { importanceFigure } from '../../../src/report/plots/importance.js';
import type { Figure, FigureOutcome } from '../../../src/report/plots/render.js';
import { finishedStudy } from '../helpers.js';
import { Rng } from '../../../src/core/rng.js';
import type { Params } from '../../../src/core/space.js';

const drawn = (o: FigureOutcome | undefined): Figure => {
	if (o?.kind !== 'figure') throw new Error(`expected a figure, got ${JSON.stringify(o)}`);
	return o.figure;
};
const bars = (f: Figure) => (f.spec as { data: { values: { name: string; share: number }[] } }).data.values;
const subtitle = (f: Figure) => ((f.spec as { title: { subtitle: string[] } }).title.subtitle ?? []).join(' | ');

const space = { lr: { type: 'float', low: 1e-3, high: 1e-1, log: true }, entropy: { type: 'float', low: 1e-3, high: 1e-1, log: true } };
/** a lifetime's seed noise: uniform in [-1.1, 1.1], drawn from its seed and params (as a real lifetime's would be) */
const noise = (seed: number, params: Params) => new Rng(seed).split(JSON.stringify(params)).uniform(-1.1, 1.1);

test('a study of pure seed noise: the chart shows the noise share and says the signal is indistinguishable from noise', async (t) => {
	const stored = await finishedStudy(
		{
			name: 'chance',
			space,
			searchers: [
				{ kind: 'random', seed: 3 },
				{ kind: 'grid', points: 4 },
			],
			budget: 16,
			reevaluate: 4,
		},
		(p, c) => ({
			value: 49.6 + noise(c.seed, p),
		}),
	);
	const f = drawn(importanceFigure({ studies: [stored] }, stored));
	const noiseBar = bars(f).find((b) => b.name === '(noise)');
	t.truthy(noiseBar, JSON.stringify(bars(f)));
	t.true((noiseBar?.share ?? 0) > 0.5, JSON.stringify(bars(f)));
	const sum = bars(f).reduce((s, b) => s + b.share, 0);
	t.true(Math.abs(sum - 1) < 1e-9 || sum < 1, `shares sum to ${sum}`);
	t.regex(subtitle(f), /indistinguishable from noise \(F test p = /);
	t.regex(f.caption, /seed-to-seed noise \(\d+ degrees of freedom from configurations run on several seeds/);
});

test('a parameter that matters far above the noise keeps most of the variance and no noise verdict', async (t) => {
	const stored = await finishedStudy(
		{
			name: 'signal',
			space,
			searchers: [
				{ kind: 'random', seed: 3 },
				{ kind: 'grid', points: 4 },
			],
			budget: 16,
			reevaluate: 4,
		},
		(p, c) => ({
			value: 40 + 20 * Math.log10(Number(p.lr) / 1e-3) + noise(c.seed, p) / 5,
		}),
	);
	const f = drawn(importanceFigure({ studies: [stored] }, stored));
	const values = bars(f);
	t.is(values[0]?.name, 'lr');
	t.true((values[0]?.share ?? 0) > 0.8, JSON.stringify(values));
	t.true((values.find((b) => b.name === '(noise)')?.share ?? 1) < 0.05, JSON.stringify(values));
	t.notRegex(subtitle(f), /indistinguishable/);
	t.regex(subtitle(f), /F test of an effect: p = /);
});
