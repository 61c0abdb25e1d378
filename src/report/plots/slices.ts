/**
 * Slice plots (Optuna's plot_slice): for a study with several searched parameters, the value of
 * every complete search lifetime against one parameter at a time, coloured by method. Each panel
 * marginalises over the other parameters by showing all lifetimes, so a clear trend means the
 * parameter matters on its own; the importance chart (importance.ts) puts a number on that.
 * Lifetimes the pruner stopped are drawn too (they were searched) but as crosses: their value
 * is the partial one they had reached, so a cluster of them is not a cluster of bad configurations.
 * A conditional parameter (`when`) has no value in lifetimes where its condition was false: its panel
 * shows only the lifetimes where it was active, and its caption says so.
 */
import { dimensions, type Dimension } from '../../core/space.js';
import type { StoredStudy } from '../../study/view.js';
import { methods, metricTitle, paramTitle, studyLifetimes, type ReportInput } from './data.js';
import { baseConfig, figure, methodColor, skipped, type FigureOutcome, type VlSpec } from './spec.js';

/** How a lifetime ended, the shape's legend: a pruned lifetime's value is partial. */
const fates = ['complete', 'pruned (partial value)'] as const;

interface SlicePoint {
	readonly method: string;
	readonly fate: (typeof fates)[number];
	readonly x: number | string | boolean;
	readonly value: number;
	readonly trial: number;
}

const slug = (s: string) =>
	s
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

function slicePoints(input: ReportInput, stored: StoredStudy, dim: Dimension): SlicePoint[] {
	return studyLifetimes(input, stored).flatMap((l) => {
		const x = l.params[dim.name];
		return l.purpose === 'search' && l.role === 'search' && x !== undefined ? [{ method: l.method, fate: l.pruned_at === undefined ? fates[0] : fates[1], x, value: l.value, trial: l.trial }] : [];
	});
}

/** For a conditional parameter: the caption's sentence saying which lifetimes its panel shows. */
function activeOnly(dim: Dimension): string {
	const when = dim.param.when;
	if (when === undefined) return '';
	const condition = Object.entries(when)
		.map(([parent, values]) => `${parent} ${values.length === 1 ? `= ${String(values[0])}` : `in {${values.map(String).join(', ')}}`}`)
		.join(' and ');
	return ` Only lifetimes where ${dim.name} is active (${condition}) are shown: it has no value in the others.`;
}

/** One figure per searched parameter; none when the study searches a single parameter. */
export function sliceFigures(input: ReportInput, stored: StoredStudy): FigureOutcome[] {
	const dims = dimensions(stored.spec.space);
	if (dims.length < 2) return [];
	const prefix = input.studies.length > 1 ? `${slug(stored.spec.name)}-` : '';
	return dims.map((dim) => {
		const id = `slice-${prefix}${slug(dim.name)}`;
		const title = `Slice: ${paramTitle(stored, dim.name)}${input.studies.length > 1 ? ` (${stored.spec.name})` : ''}`;
		const points = slicePoints(input, stored, dim);
		if (points.length === 0) return skipped(id, title, 'no complete search lifetimes yet');
		const stopped = points.filter((q) => q.fate === fates[1]).length;
		const counted = stopped === 0 ? `${points.length} complete search lifetimes` : `${points.length - stopped} complete search lifetimes and ${stopped} pruned ones`;
		const p = dim.param;
		const x =
			p.type === 'categorical'
				? { field: 'x', type: 'nominal' as const, title: paramTitle(stored, dim.name), sort: p.choices.map(String) }
				: { field: 'x', type: 'quantitative' as const, title: `${paramTitle(stored, dim.name)}${p.log ? ' (log scale)' : ''}`, scale: p.log ? { type: 'log' as const } : { zero: false } };
		return figure({
			id,
			title,
			caption: `Value of ${counted} against ${dim.name}, all other parameters varying as searched; coloured by method.${activeOnly(dim)}${stopped === 0 ? '' : ' Crosses: lifetimes the pruner stopped, at the partial value they had reached.'}`,
			spec: {
				$schema: 'https://vega.github.io/schema/vega-lite/v6.json',
				title: { text: title, subtitle: `${counted}; other parameters vary` },
				config: baseConfig,
				width: 380,
				height: 260,
				data: { values: points },
				mark: { type: 'point', filled: true, size: 40, opacity: 0.8 },
				encoding: {
					x,
					y: { field: 'value', type: 'quantitative', title: metricTitle(stored), scale: { zero: false } },
					color: methodColor(
						methods(input),
						points.map((p) => p.method),
					),
					shape: { field: 'fate', type: 'nominal', title: 'Lifetime', scale: { domain: [...fates], range: ['circle', 'cross'] } },
					tooltip: [{ field: 'method' }, { field: 'trial' }, { field: 'fate' }, { field: 'x' }, { field: 'value', format: '.4g' }],
				},
			} as VlSpec,
		});
	});
}
