/**
 * Figures of a population arm on a module or command objective (pbt over checkpointing segments,
 * study/run/population-arm.ts), read from its replayed history (study/population-view.ts): each
 * member's reward curve, the deployed member's schedule of settings, and the lineage. The bandit
 * agent's in-process pbt has no segments; its deployed discount is drawn by tuned-trajectory.ts.
 *
 * Notation
 *   member      one slot of the population; its curve joins the reports of its segments in generation
 *               order, so an exploit shows as a jump where the member continues another's checkpoint
 *   segment     one lifetime of a member from a checkpoint (or a fresh start) to the next interval
 *   exploit     a segment that restored another member's checkpoint: an arrow in the lineage from
 *               (copied member, its generation) to (member, generation)
 *   schedule    the settings of each segment on the deployed member's line (its own and, through each
 *               exploit, those of the members it copied) from the step that segment started at
 */
import type { Params } from '../../core/space.js';
import { isPopulationArm, populationHistory, type Segment, type StoredStudy } from '../../study/view.js';
import { methodLabel, metricTitle, paramTitle, type ReportInput } from './data.js';
import { baseConfig, figure, plotHeight, plotWidth, type FigureOutcome, type VlSpec } from './spec.js';

const schema = 'https://vega.github.io/schema/vega-lite/v6.json';

interface CurvePoint {
	readonly member: string;
	readonly order: number;
	readonly step: number;
	readonly value: number;
}

interface LineageNode {
	readonly member: number;
	readonly generation: number;
	readonly trial: number;
	/** the member whose checkpoint it continued, when it exploited one */
	readonly copied?: number;
}

interface LineageArrow {
	readonly member: number;
	readonly generation: number;
	readonly copied: number;
	readonly copied_generation: number;
	readonly at_step: number;
	readonly trial: number;
	/** what explore changed: `lr 0.01 -> 0.012 (perturb)`, ... */
	readonly explore: string;
}

interface ScheduleRow {
	readonly param: string;
	readonly step: number;
	readonly value: number;
}

export interface PopulationFigureData {
	readonly curves: readonly CurvePoint[];
	readonly nodes: readonly LineageNode[];
	readonly arrows: readonly LineageArrow[];
	readonly schedule: readonly ScheduleRow[];
	readonly deployed: number | undefined;
	readonly members: number;
}

const memberLabel = (m: number) => `member ${m}`;
const short = (v: number) => String(Number(v.toPrecision(4)));

/** What the figures draw of one population arm, from its replayed segments. */
export function populationFigureData(stored: StoredStudy, armName: string): PopulationFigureData {
	const { spec, state } = stored;
	const arm = spec.arms.find((a) => a.name === armName);
	if (arm === undefined) throw new Error(`no arm ${armName} in ${spec.name}`);
	const history = populationHistory(spec, state, arm);
	const curves: CurvePoint[] = [];
	for (const [member, points] of Object.entries(history.curves)) curves.push(...points.map(([step, value], order) => ({ member: memberLabel(Number(member)), order, step, value })));
	const nodes: LineageNode[] = [];
	const arrows: LineageArrow[] = [];
	for (const t of state.latest(arm.name, 'search').values()) {
		const s = t.asked.segment as Segment | undefined;
		if (s === undefined) continue;
		nodes.push({ member: s.member, generation: s.generation, trial: t.asked.trial, ...(s.exploit === undefined ? {} : { copied: s.exploit.member }) });
		if (s.exploit === undefined) continue;
		const source = state.trials[s.exploit.trial]?.asked.segment;
		const explore = Object.entries(s.explore ?? {})
			.map(([p, e]) => `${p} ${typeof e.from === 'number' ? short(e.from) : String(e.from)} -> ${typeof e.to === 'number' ? short(e.to) : String(e.to)} (${e.how})`)
			.join(', ');
		arrows.push({
			member: s.member,
			generation: s.generation,
			copied: s.exploit.member,
			copied_generation: source?.generation ?? s.generation - 1,
			at_step: s.from_step ?? 0,
			trial: t.asked.trial,
			explore,
		});
	}
	nodes.sort((a, b) => a.generation - b.generation || a.member - b.member);
	arrows.sort((a, b) => a.generation - b.generation || a.member - b.member);
	const schedule: ScheduleRow[] = [];
	const lastStep = history.deployed === undefined ? undefined : state.trials[history.deployed.trial]?.reports?.at(-1)?.step;
	const numeric = (params: Params) => Object.entries(params).filter((e): e is [string, number] => typeof e[1] === 'number' && spec.space[e[0]]?.type !== 'fixed');
	for (const { from_step, params } of history.schedule) for (const [param, value] of numeric(params)) schedule.push({ param: paramTitle(stored, param), step: from_step, value });
	const final = history.schedule.at(-1);
	// the last settings hold until the deployed member's last report
	if (final !== undefined && lastStep !== undefined && lastStep > final.from_step)
		for (const [param, value] of numeric(final.params)) schedule.push({ param: paramTitle(stored, param), step: lastStep, value });
	return { curves, nodes, arrows, schedule, deployed: history.deployed?.member, members: history.members };
}

/** The three figures of every population arm of the report, in study then arm order. */
export function populationFigures(input: ReportInput): FigureOutcome[] {
	const out: FigureOutcome[] = [];
	for (const stored of input.studies) {
		for (const arm of stored.spec.arms) {
			if (!isPopulationArm(stored.spec, arm)) continue;
			const data = populationFigureData(stored, arm.name);
			if (data.nodes.length === 0) continue;
			const method = methodLabel(input, stored.spec.name, arm.name);
			const stem = method.toLowerCase().replace(/[^a-z0-9]+/g, '-');
			out.push(memberCurvesFigure(stored, method, stem, data), scheduleFigure(method, stem, data), lineageFigure(method, stem, data));
		}
	}
	return out;
}

function memberCurvesFigure(stored: StoredStudy, method: string, stem: string, data: PopulationFigureData): FigureOutcome {
	const title = `${method}: each member's reward over steps`;
	const copies = data.arrows.map((a) => {
		const first = data.curves.find((c) => c.member === memberLabel(a.member) && c.step > a.at_step);
		return { member: memberLabel(a.member), step: first?.step ?? a.at_step, value: first?.value ?? 0, copied: memberLabel(a.copied), generation: a.generation };
	});
	const color = { field: 'member', type: 'nominal' as const, title: 'Member' };
	return figure({
		id: `${stem}-member-curves`,
		title,
		caption: `The reports of each of the ${data.members} members of ${method} against the step (one line per member, its segments joined in generation order). A jump is where a member continued another member's checkpoint; the ${copies.length} crosses mark the first report after each exploit.`,
		spec: {
			$schema: schema,
			title: { text: title, subtitle: `${data.members} members, ${copies.length} exploits` },
			config: baseConfig,
			width: plotWidth,
			height: plotHeight,
			layer: [
				{
					data: { values: data.curves },
					mark: { type: 'line', strokeWidth: 1.5, opacity: 0.85 },
					encoding: {
						x: { field: 'step', type: 'quantitative', title: 'Step (as reported)' },
						y: { field: 'value', type: 'quantitative', title: metricTitle(stored), scale: { zero: false } },
						color,
						order: { field: 'order', type: 'quantitative' },
						tooltip: [{ field: 'member' }, { field: 'step' }, { field: 'value', format: '.4g' }],
					},
				},
				{
					data: { values: copies },
					mark: { type: 'point', shape: 'cross', size: 60, filled: true },
					encoding: {
						x: { field: 'step', type: 'quantitative' },
						y: { field: 'value', type: 'quantitative' },
						color: { field: 'member', type: 'nominal' },
						tooltip: [{ field: 'member' }, { field: 'copied', title: 'copied' }, { field: 'generation' }, { field: 'step' }],
					},
				},
			],
		} as VlSpec,
	});
}

function scheduleFigure(method: string, stem: string, data: PopulationFigureData): FigureOutcome {
	const title = `${method}: the deployed member's schedule of settings`;
	const params = [...new Set(data.schedule.map((r) => r.param))];
	return figure({
		id: `${stem}-schedule`,
		title,
		caption: `The settings the deployed member${data.deployed === undefined ? '' : ` (member ${data.deployed})`} of ${method} trained with, one panel per tuned parameter (${params.join(', ')}), against the step each segment on its line started from: its own segments and, through each exploit, those of the members it copied. A setting holds until the next step.`,
		spec: {
			$schema: schema,
			title: { text: title, subtitle: data.deployed === undefined ? 'no member has completed a segment' : `member ${data.deployed}` },
			config: baseConfig,
			data: { values: data.schedule },
			facet: { row: { field: 'param', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left' } } },
			resolve: { scale: { y: 'independent' } },
			spec: {
				width: plotWidth,
				height: Math.round(plotHeight / 2),
				mark: { type: 'line', interpolate: 'step-after', point: { size: 20 }, strokeWidth: 1.8 },
				encoding: {
					x: { field: 'step', type: 'quantitative', title: 'Step (as reported)' },
					y: { field: 'value', type: 'quantitative', title: 'Setting', scale: { zero: false } },
					tooltip: [{ field: 'param' }, { field: 'step' }, { field: 'value', format: '.4g' }],
				},
			},
		} as VlSpec,
	});
}

function lineageFigure(method: string, stem: string, data: PopulationFigureData): FigureOutcome {
	const title = `${method}: lineage (who copied whom, when)`;
	const nodes = data.nodes.map((n) => ({ ...n, kind: n.copied === undefined ? 'kept its own line' : 'exploited another member' }));
	const y = { field: 'member', type: 'ordinal' as const, title: 'Member' };
	const x = { field: 'generation', type: 'quantitative' as const, title: 'Generation (segment)', axis: { tickMinStep: 1, format: 'd' } };
	return figure({
		id: `${stem}-lineage`,
		title,
		caption: `Each segment of ${method} as a dot at (generation, member); each of the ${data.arrows.length} exploits as a line from the member and generation whose checkpoint was copied to the member that continued it (tooltip: the step and what explore changed).`,
		spec: {
			$schema: schema,
			title: { text: title, subtitle: `${data.members} members, ${data.arrows.length} exploits` },
			config: baseConfig,
			width: plotWidth,
			height: Math.max(120, 28 * data.members),
			layer: [
				{
					data: { values: data.arrows },
					mark: { type: 'rule', color: '#e45756', strokeWidth: 1.5, opacity: 0.8 },
					encoding: {
						x: { field: 'copied_generation', type: 'quantitative' },
						x2: { field: 'generation' },
						y: { field: 'copied', type: 'ordinal' },
						y2: { field: 'member' },
						tooltip: [{ field: 'member' }, { field: 'copied' }, { field: 'generation' }, { field: 'at_step', title: 'step' }, { field: 'explore' }],
					},
				},
				{
					data: { values: nodes },
					mark: { type: 'point', filled: true, size: 50 },
					encoding: {
						x,
						y,
						color: { field: 'kind', type: 'nominal', title: 'Segment', scale: { domain: ['kept its own line', 'exploited another member'], range: ['#4c78a8', '#e45756'] } },
						tooltip: [{ field: 'member' }, { field: 'generation' }, { field: 'trial' }, { field: 'copied' }],
					},
				},
			],
		} as VlSpec,
	});
}
