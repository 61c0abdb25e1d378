import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../../cli-capture.js';
import { readStudyDocument } from '../../../src/study/spec/file.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { fixtures, tempDir, writeStudy } from '../helpers.js';

const good = {
	name: 'ok',
	objective: { module: join(fixtures, 'objectives.js'), export: 'quadratic' },
	space: { x: { type: 'float', low: 0, high: 1 } },
	searcher: { kind: 'random', seed: 1 },
	budget: 4,
};

const bandit = { bandit: { task: 'eleven-armed', train_episodes: 10 } };

const twoMetrics = [
	{ name: 'value', direction: 'maximize' },
	{ name: 'env_steps', direction: 'minimize' },
];

const gammaSpace = { gamma: { type: 'float', low: 0.05, high: 0.995 } };

const cases: { title: string; doc?: Record<string, unknown>; text?: string; at?: string; field: string; says: RegExp }[] = [
	{ title: 'bad YAML', text: 'name: [unclosed\nbudget: 3\n', at: ':2:1', field: '', says: /not valid YAML \(.+\); fix the syntax there$/ },
	{ title: 'bad indentation', text: 'name: a\nspace:\n  - x\n  y: 1\n', at: ':4:1', field: '', says: /not valid YAML/ },
	{ title: 'empty file', text: '\n', field: '', says: /the file is empty/ },
	{
		title: 'discount range above 1',
		doc: { ...good, objective: bandit, space: { gamma: { type: 'float', low: 0.05, high: 1.5 } } },
		field: 'space.gamma.high',
		says: /1\.5 is not a valid gamma for the bandit agent/,
	},
	{ title: 'bad fixed agent value', doc: { ...good, objective: bandit, space: { ...gammaSpace, hidden: { type: 'fixed', value: 0 } } }, field: 'space.hidden.value', says: /not a valid hidden/ },
	{
		title: 'metagradient with another searched param',
		doc: { ...good, objective: bandit, space: { ...gammaSpace, lr: { type: 'float', low: 0.001, high: 0.01 } }, searcher: { kind: 'metagradient' } },
		field: 'space.lr',
		says: /tunes only gamma/,
	},
	{
		title: 'metagradient without gamma',
		doc: { ...good, objective: bandit, space: { lr: { type: 'float', low: 0.001, high: 0.01 } }, searcher: { kind: 'metagradient' } },
		field: 'space.gamma',
		says: /needs a float param named gamma/,
	},
	{
		title: 'a seed on a metagradient arm (it makes no draws)',
		doc: { ...good, objective: bandit, space: gammaSpace, searcher: undefined, searchers: [{ kind: 'random' }, { kind: 'metagradient', seed: 3 }] },
		field: 'searchers.1.seed',
		says: /makes no random draws .*remove seed/,
	},
	{ title: 'metagradient with a module objective', doc: { ...good, space: gammaSpace, searcher: { kind: 'metagradient' } }, field: 'searcher.kind', says: /needs objective: \{bandit/ },
	{ title: 'missing name', doc: { ...good, name: undefined }, field: 'name', says: /missing/ },
	{ title: 'unknown searcher', doc: { ...good, searcher: { kind: 'annealing' } }, field: 'searcher.kind', says: /expected one of grid, random, gp, tpe, metagradient/ },
	{
		title: 'unknown task',
		doc: { ...good, objective: { bandit: { task: 'twelve-armed' } }, space: { gamma: { type: 'float', low: 0.5, high: 0.9 } } },
		field: 'objective.bandit.task',
		says: /eleven-armed/,
	},
	{ title: 'low > high', doc: { ...good, space: { gamma: { type: 'float', low: 0.99, high: 0.9 } } }, field: 'space.gamma.low', says: /must be below high \(0.99 >= 0.9\)/ },
	{ title: 'log with low <= 0', doc: { ...good, space: { lr: { type: 'float', low: 0, high: 1, log: true } } }, field: 'space.lr.low', says: /> 0 for a log-scaled/ },
	{ title: 'empty space', doc: { ...good, space: {} }, field: 'space', says: /is empty/ },
	{ title: 'negative budget', doc: { ...good, budget: -3 }, field: 'budget', says: /must be > 0/ },
	{ title: 'unknown field', doc: { ...good, budgett: 3 }, field: 'budgett', says: /unknown field/ },
	{ title: 'unknown param field', doc: { ...good, space: { x: { type: 'float', low: 0, hihg: 1 } } }, field: 'space.x', says: /./ },
	{ title: 'module missing', doc: { ...good, objective: { module: './nope.js' } }, field: 'objective.module', says: /no such file/ },
	{ title: 'module exports no function', doc: { ...good, objective: { module: join(fixtures, 'objectives.js'), export: 'notAFunction' } }, field: 'objective.export', says: /exports no function/ },
	{ title: 'name escaping results', doc: { ...good, name: '../escape' }, field: 'name', says: /letters, digits/ },
	{ title: 'budget not a multiple of repeats', doc: { ...good, repeats: 3 }, field: 'budget', says: /multiple of repeats/ },
	{ title: 'no searcher', doc: { ...good, searcher: undefined }, field: 'searcher', says: /missing/ },
	{ title: 'bandit metric', doc: { ...good, objective: bandit, metric: 'value', space: { gamma: { type: 'float', low: 0.5, high: 0.9 } } }, field: 'metric', says: /lifetime_return, final_return/ },
	{ title: 'bandit space name', doc: { ...good, objective: bandit, space: { gama: { type: 'float', low: 0.5, high: 0.9 } } }, field: 'space.gama', says: /not a setting of the bandit agent/ },
	{ title: 'wrong type', doc: { ...good, budget: 'ten' }, field: 'budget', says: /expected number, got "ten"/ },
	{ title: 'both metric and metrics', doc: { ...good, metric: 'value', metrics: twoMetrics }, field: 'metrics', says: /give either metric \(one\) or metrics \(several\), not both/ },
	{
		title: 'a metrics direction typo',
		doc: { ...good, metrics: [twoMetrics[0], { name: 'env_steps', direction: 'minimise' }] },
		field: 'metrics.1.direction',
		says: /"minimise" is not allowed; did you mean minimize\? expected one of maximize, minimize/,
	},
	{
		title: 'a constraint on a field the bandit never logs',
		doc: { ...good, objective: bandit, space: gammaSpace, constraints: [{ field: 'env_step', max: 1000 }] },
		field: 'constraints.0.field',
		says: /the objective logs no number "env_step"; did you mean env_steps\?/,
	},
	{ title: 'a reference point of the wrong length', doc: { ...good, metrics: twoMetrics, reference_point: [0, 1, 2] }, field: 'reference_point', says: /has 3 values for 2 metrics/ },
];

for (const c of cases) {
	test.serial(`malformed study: ${c.title}`, async (t) => {
		const dir = tempDir();
		const results = join(dir, 'results');
		let file: string;
		if (c.text !== undefined) {
			file = join(dir, 'study.yaml');
			writeFileSync(file, c.text);
		} else file = writeStudy(dir, JSON.parse(JSON.stringify(c.doc)) as Record<string, unknown>);
		const { code, stderr } = await runCli(['run', file, '--results', results, '--quiet']);
		t.log(stderr.trim());
		t.is(code, 2, stderr);
		const lines = stderr.trim().split('\n');
		t.is(lines.length, 1, stderr);
		t.true(lines[0]?.includes(`${file}${c.at ?? ''}: ${c.field}`), lines[0]);
		t.regex(lines[0] ?? '', c.says);
		t.false(existsSync(results) && readdirSync(results).length > 0, 'nothing created under results/');
	});
}

test('a metagradient arm without a seed parses, with the seed 0 committed journals hash', (t) => {
	const spec = parseStudyDocument({ ...good, objective: bandit, space: gammaSpace, searcher: { kind: 'metagradient' } }, 'x.yaml');
	t.is((spec.arms[0]!.config as { seed?: number }).seed, 0);
});

test('a valid study normalises searcher lists and defaults', (t) => {
	const spec = parseStudyDocument({ ...good, searcher: undefined, searchers: [{ kind: 'grid', points: 3 }, { kind: 'grid' }, { kind: 'random', name: 'rs' }], repeats: 2 }, 'x.yaml');
	t.deepEqual(
		spec.arms.map((a) => a.name),
		['grid', 'grid-2', 'rs'],
	);
	t.is(spec.metric, 'value');
	t.is(spec.direction, 'maximize');
	t.is(spec.repeats, 2);
	t.is(spec.reevaluate, 0);
	t.is(spec.arms[0]?.config.kind, 'grid');
});

test('JSON syntax errors name the line and column', (t) => {
	const dir = tempDir();
	const file = join(dir, 'study.json');
	writeFileSync(file, '{\n  "name": "a",\n  "budget": 3\n  "seed": 1\n}\n');
	const error = t.throws(() => readStudyDocument(file));
	t.regex(error?.message ?? '', new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:3: not valid JSON \\(.+\\); fix the syntax there$`));
});

test('JSON study files are accepted', async (t) => {
	const dir = tempDir();
	const file = join(dir, 'study.json');
	writeFileSync(file, JSON.stringify({ ...good, budget: 2 }));
	const { code, stderr } = await runCli(['run', file, '--results', join(dir, 'results'), '--quiet', '--concurrency', '1']);
	t.is(code, 0, stderr);
	t.true(existsSync(join(dir, 'results', 'ok', 'journal.jsonl')));
});

test('an arm may set its own budget, a multiple of repeats', (t) => {
	const base = { name: 'b', objective: { bandit: { task: 'eleven-armed' } }, space: { gamma: { type: 'float', low: 0.1, high: 0.9 } }, budget: 4, repeats: 2 };
	const spec = parseStudyDocument({
		...base,
		searchers: [
			{ kind: 'random', seed: 0 },
			{ kind: 'metagradient', budget: 2 },
		],
	});
	t.is(spec.arms[0]?.budget, undefined);
	t.is(spec.arms[1]?.budget, 2);
	const error = t.throws(() => parseStudyDocument({ ...base, searchers: [{ kind: 'metagradient', budget: 3 }] }, 'studies/b.yaml'));
	t.is(error?.message, 'studies/b.yaml: searchers.0.budget: must be a multiple of repeats (3 lifetimes, 2 per configuration)');
});

test('a study written as a YAML list (or a bare value) says it must be a mapping and how to write one', async (t) => {
	const dir = tempDir();
	const file = join(dir, 'list.yaml');
	writeFileSync(file, '- name: a\n- budget: 2\n');
	const ran = await runCli(['run', file, '--results', join(dir, 'results')]);
	t.is(ran.code, 2);
	t.is(ran.stderr.trim().split('\n').length, 1, ran.stderr);
	t.regex(
		ran.stderr,
		/list\.yaml: the study is a list; it must be a mapping of fields \(name:, objective:, space:, searchers:, budget:\), e\.g\. `name: my-study` on its own line, not `- name: my-study`/,
	);
	t.false(existsSync(join(dir, 'results')));
	t.throws(() => parseStudyDocument('quickstart', 's.yaml'), { message: /^s\.yaml: the study is a string; it must be a mapping/ });
});

test('metrics set the study metric and direction to the first; a single-metric study has no multi-objective fields (its hash is unchanged)', (t) => {
	const multi = parseStudyDocument({
		...good,
		objective: bandit,
		space: gammaSpace,
		metrics: [
			{ name: 'env_steps', direction: 'minimize' },
			{ name: 'param_count', direction: 'minimize' },
		],
		reference_point: [1e6, 1e5],
	});
	t.is(multi.metric, 'env_steps');
	t.is(multi.direction, 'minimize');
	t.deepEqual(
		multi.metrics?.map((m) => m.name),
		['env_steps', 'param_count'],
	);
	t.deepEqual(multi.reference_point, [1e6, 1e5]);
	const single = parseStudyDocument(good);
	t.false('metrics' in single || 'constraints' in single || 'reference_point' in single);
});
