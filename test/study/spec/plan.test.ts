/**
 * Search plans the budget cuts short: a grid with more points than the budget runs (visited in
 * order unless shuffled) and a gp arm that never leaves its start-up design are warned about when
 * `metatune run` opens the study; plans the budget covers are not.
 */
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../../cli-capture.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { searchPlanNotes } from '../../../src/study/spec/plan.js';
import { fixtures, tempDir, writeStudy } from '../helpers.js';

const space = { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } };
const spec = (searchers: unknown[], budget: number, repeats = 1) => parseStudyDocument({ name: 'plan', objective: { module: 'unused.js' }, space, searchers, budget, repeats });

test('run warns when a grid is larger than the budget, names the clustering and suggests shuffle', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, { name: 'cut', objective: { module: join(fixtures, 'objectives.js'), export: 'quadratic' }, space, searchers: [{ kind: 'grid', points: 4 }], budget: 5 });
	const run = await runCli(['run', file, '--results', join(dir, 'results'), '--quiet']);
	t.is(run.code, 0, run.stderr);
	t.regex(run.stderr, /warning: .*study\.yaml: arm grid: the budget runs the first 5 of the grid's 16 points in order .*x takes only 2 of its 4 values.*add shuffle: true .*raise budget to 16/);
});

test('a shuffled partial grid is noted without suggesting shuffle; a covered grid is not noted', (t) => {
	const [shuffled] = searchPlanNotes(spec([{ kind: 'grid', points: 4, shuffle: true }], 5));
	t.regex(shuffled ?? '', /runs 5 of the grid's 16 points \(a seeded shuffle of them\); raise budget to 16/);
	t.deepEqual(searchPlanNotes(spec([{ kind: 'grid', points: 4 }], 16)), []);
	t.deepEqual(searchPlanNotes(spec([{ kind: 'grid', points: 2 }], 8, 2)), []);
	t.regex(searchPlanNotes(spec([{ kind: 'grid', points: 2 }], 6, 2))[0] ?? '', /runs the first 3 of the grid's 4 points.*raise budget to 8/);
});

test('a grid cut short after its first param took every value names the value the cut falls in, not "3 of its 3"', (t) => {
	// 3 x 3 grid, 8 of 9 points: x takes every value, and x = 1 runs with 2 of the 3 values of y
	const [note] = searchPlanNotes(spec([{ kind: 'grid', points: 3 }], 8));
	t.notRegex(note ?? '', /takes only 3 of its 3/);
	t.regex(note ?? '', /runs the first 8 of the grid's 9 points in order \(the last parameter varies fastest, so x = 1 runs with only 2 of the 3 settings of the other parameters\)/);
	// 5 of 9: x takes 2 of its 3 values, as before
	t.regex(searchPlanNotes(spec([{ kind: 'grid', points: 3 }], 5))[0] ?? '', /x takes only 2 of its 3 values/);
});

test('a gp arm whose budget is within its start-up design is noted; one with room to fit is not', (t) => {
	const [note] = searchPlanNotes(spec([{ kind: 'gp' }], 10));
	t.regex(note ?? '', /^arm gp: the budget runs 10 configurations, all within the gp's 10 quasi-random start-up points .*never fits a model/);
	t.deepEqual(searchPlanNotes(spec([{ kind: 'gp' }], 11)), []);
	t.deepEqual(searchPlanNotes(spec([{ kind: 'gp', n_startup: 4 }], 6)), []);
	t.regex(searchPlanNotes(spec([{ kind: 'gp', n_startup: 6 }, { kind: 'random' }], 6))[0] ?? '', /within the gp's 6 quasi-random start-up points \(n_startup\)/);
});

test('a tpe arm whose budget is within its random start-up is noted; one with room to model is not', (t) => {
	const [note] = searchPlanNotes(spec([{ kind: 'tpe' }], 10));
	t.regex(note ?? '', /^arm tpe: the budget runs 10 configurations, all within the tpe's 10 random start-up points \(n_startup\), so it never fits its estimators/);
	t.deepEqual(searchPlanNotes(spec([{ kind: 'tpe' }], 11)), []);
	t.deepEqual(searchPlanNotes(spec([{ kind: 'tpe', n_startup: 4 }], 6)), []);
});

test('a pruner whose first rung or warm-up is past the bandit lifetime is noted; one inside it is not', (t) => {
	const bandit = (pruner: unknown) =>
		parseStudyDocument({
			name: 'p',
			objective: { bandit: { task: 'dependent-easy', train_episodes: 3000 } },
			space: { gamma: { type: 'float', low: 0.1, high: 0.99 } },
			searcher: { kind: 'random' },
			pruner,
			budget: 4,
		});
	t.deepEqual(searchPlanNotes(bandit({ kind: 'asha', min_resource: 300 })), []);
	t.deepEqual(searchPlanNotes(bandit({ kind: 'asha', min_resource: 3000 })), [
		'arm random: pruner.min_resource is 3000 but a lifetime trains 3000 episodes, so no lifetime is ever pruned; lower min_resource',
	]);
	t.regex(searchPlanNotes(bandit({ kind: 'median', warmup_steps: 5000 }))[0] ?? '', /pruner\.warmup_steps is 5000 .*lower warmup_steps/);
});
