import test from 'ava';
import { renderSvg, scopeSvgIds, type VlSpec } from '../../../src/report/plots/render.js';
import { runCurveSvg } from '../../../src/report/plots/run-curve.js';
import { randomPolicyReturn, taskLevels } from '../../../src/report/plots/task-levels.js';

const spec: VlSpec = {
	data: {
		values: [
			{ x: 1, y: 2, m: 'a' },
			{ x: 2, y: 3, m: 'b' },
		],
	},
	mark: 'line',
	encoding: { x: { field: 'x', type: 'quantitative', title: 'X axis' }, y: { field: 'y', type: 'quantitative', title: 'Y axis' }, color: { field: 'm', type: 'nominal', title: 'Method' } },
};

test('renderSvg compiles Vega-Lite and renders SVG with the axis and legend titles', async (t) => {
	const svg = await renderSvg(spec);
	t.true(svg.startsWith('<svg'));
	t.true(svg.trimEnd().endsWith('</svg>'));
	for (const text of ['X axis', 'Y axis', 'Method']) t.true(svg.includes(`>${text}</text>`), text);
	t.regex(svg, /role-legend/);
});

test('scopeSvgIds prefixes ids and the references to them, nothing else', (t) => {
	const svg = '<svg><defs><clipPath id="clip1"><rect/></clipPath></defs><g clip-path="url(#clip1)"><use href="#clip1"/><path fill="url(#other)"/></g></svg>';
	t.is(scopeSvgIds(svg, 'fig'), '<svg><defs><clipPath id="fig-clip1"><rect/></clipPath></defs><g clip-path="url(#fig-clip1)"><use href="#fig-clip1"/><path fill="url(#other)"/></g></svg>');
	t.is(scopeSvgIds('<svg><g/></svg>', 'x'), '<svg><g/></svg>');
});

test('task levels match the DESIGN reference figures', (t) => {
	const [optimal, random] = taskLevels('eleven-armed');
	t.is(optimal?.value.toFixed(2), '20.55');
	t.is(random?.value.toFixed(2), '7.02');
	// two-armed, 100 pulls: random regret = optimum - 50 (16.7 independent, 25.0 dependent uniform)
	t.is((taskLevels('independent')[0]!.value - randomPolicyReturn('independent')).toFixed(1), '16.7');
	t.is((taskLevels('dependent-uniform')[0]!.value - randomPolicyReturn('dependent-uniform')).toFixed(1), '25.0');
});

test('a single run curve renders with its reference levels and update axis', async (t) => {
	const curve = Array.from({ length: 500 }, (_, u) => 7 + 10 * (1 - Math.exp(-u / 100)));
	const svg = await runCurveSvg(curve, { task: 'eleven-armed', label: 'agent (γ=0.9, seed 1)' });
	for (const text of ['Training update', 'Mean return per episode', 'Bayes-optimal policy (20.55)', 'uniform random policy (7.02)', 'agent (γ=0.9, seed 1)'])
		t.true(svg.includes(`>${text}</text>`), text);
});
