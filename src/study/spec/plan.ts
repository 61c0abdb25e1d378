/**
 * Notes on a study's search plan that is valid but probably not what was meant, printed as warnings
 * when a study file is opened (open.ts):
 *
 *   - a grid arm whose budget runs fewer configurations than the grid has points: the grid is
 *     visited in order (the last parameter fastest), so the configurations it runs cluster at the
 *     first values of the first parameters unless `shuffle: true`;
 *   - a gp arm whose configurations all fall in its quasi-random start-up design: it never fits a
 *     model, so it is a quasi-random search (likewise a tpe arm within its random start-up);
 *   - a pruner that can never judge a bandit lifetime: its first rung (or median warm-up) is at or
 *     past the lifetime's training episodes, so nothing is ever pruned.
 */
import { defaultStartup } from '../../../searchers/gp/searcher.js';
import { buildGrid } from '../../../searchers/grid.js';
import { dimensions, gridValues, paramValueText } from '../../core/space.js';
import { banditObjectiveSchema } from '../../objectives/bandit/settings.js';
import { type Arm, armBudget, armPruner, armRole, type StudySpec } from './spec.js';

export function searchPlanNotes(spec: StudySpec): string[] {
	const notes: string[] = [];
	for (const arm of spec.arms) {
		const configs = Math.floor(armBudget(spec, arm) / spec.repeats);
		const note = armNote(spec, arm, configs);
		if (note !== undefined) notes.push(`arm ${arm.name}: ${note}`);
		const pruning = prunerNote(spec, arm);
		if (pruning !== undefined) notes.push(`arm ${arm.name}: ${pruning}`);
	}
	return notes;
}

function armNote(spec: StudySpec, arm: Arm, configs: number): string | undefined {
	const role = armRole(arm);
	if (role.role !== 'search') return undefined;
	const config = role.config;
	if (config.kind === 'grid') {
		const grid = buildGrid(spec.space, config);
		if (configs >= grid.size) return undefined;
		const budget = grid.size * spec.repeats;
		if (config.shuffle) return `the budget runs ${configs} of the grid's ${grid.size} points (a seeded shuffle of them); raise budget to ${budget} to cover the grid`;
		const first = dimensions(spec.space)[0];
		let values = '';
		if (first !== undefined) {
			const axis = config.values?.[first.name] ?? gridValues(first.param, config.points);
			const seen = new Map<string, number>();
			for (let k = 0; k < configs; k++) {
				const v = paramValueText(grid.point(k)[first.name]);
				seen.set(v, (seen.get(v) ?? 0) + 1);
			}
			if (seen.size < axis.length) values = `, so ${first.name} takes ${seen.size === 1 ? `only the value ${[...seen.keys()][0]}` : `only ${seen.size}`} of its ${axis.length} values`;
			else {
				// every value of the first param ran: the cut falls inside its last value's block
				const [last, runs] = [...seen].at(-1) as [string, number];
				values = `, so ${first.name} = ${last} runs with only ${runs} of the ${grid.size / axis.length} settings of the other parameters`;
			}
		}
		return `the budget runs the first ${configs} of the grid's ${grid.size} points in order (the last parameter varies fastest${values}); add shuffle: true to spread them over the grid, or raise budget to ${budget}`;
	}
	if (config.kind === 'gp') {
		const startup = config.n_startup ?? defaultStartup(dimensions(spec.space).length);
		if (configs > startup) return undefined;
		return `the budget runs ${configs} configurations, all within the gp's ${startup} quasi-random start-up points (n_startup${config.n_startup === undefined ? ', default max(10, 2 x searched params)' : ''}), so it never fits a model; raise budget above ${startup * spec.repeats} or set n_startup below ${configs}`;
	}
	if (config.kind === 'tpe') {
		if (configs > config.n_startup) return undefined;
		return `the budget runs ${configs} configurations, all within the tpe's ${config.n_startup} random start-up points (n_startup), so it never fits its estimators; raise budget above ${config.n_startup * spec.repeats} or set n_startup below ${configs}`;
	}
	return undefined;
}

/** A pruner whose first decision point lies at or past a bandit lifetime's training episodes. */
function prunerNote(spec: StudySpec, arm: Arm): string | undefined {
	const pruner = armPruner(spec, arm);
	if (pruner === undefined || spec.objective.kind !== 'bandit') return undefined;
	const parsed = banditObjectiveSchema.safeParse(spec.objective.settings);
	if (!parsed.success) return undefined; // the objective's own check reports it
	const episodes = parsed.data.train_episodes;
	const [field, first] = pruner.kind === 'median' ? ['warmup_steps', pruner.warmup_steps] : ['min_resource', pruner.min_resource];
	if (first < episodes) return undefined;
	return `pruner.${field} is ${first} but a lifetime trains ${episodes} episodes, so no lifetime is ever pruned; lower ${field}`;
}
