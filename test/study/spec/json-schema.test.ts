/**
 * The JSON Schema of a study file (studies/study.schema.json) and the loader agree: an independent
 * validator (ajv, draft 2020-12) and the zod loader accept every committed study, and both refuse
 * each bad study below. The checks JSON Schema cannot express are the loader's alone: those studies
 * pass the JSON Schema and are refused when they load (the reference lists them).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import test from 'ava';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { InputError } from '../../../src/core/errors.js';
import { validateObjective } from '../../../src/objectives/registry.js';
import { loadStudyFile, readStudyDocument } from '../../../src/study/spec/file.js';
import { root, tempDir } from '../helpers.js';

const schemaFile = join(root, 'studies', 'study.schema.json');
// strictTypes: a schema whose types a validator would have to guess fails to compile
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')));

/** The zod side: the loader's checks, and for the bandit objective its settings and space (what `run` checks before anything runs). */
async function loadWithZod(file: string): Promise<void> {
	const { spec } = loadStudyFile(file);
	if (spec.objective.kind === 'bandit') await validateObjective(spec, { objective: spec.objective, dir: dirname(resolve(file)), file });
}

async function zodError(file: string): Promise<InputError | undefined> {
	try {
		await loadWithZod(file);
		return undefined;
	} catch (error) {
		if (error instanceof InputError) return error;
		throw error;
	}
}

const committed = readdirSync(join(root, 'studies')).filter((f) => /\.(ya?ml|json)$/.test(f) && f !== 'study.schema.json');

test('there are committed studies to check', (t) => {
	t.true(committed.length >= 10, committed.join(', '));
});

for (const name of committed) {
	test(`studies/${name} is accepted by the JSON Schema and by the loader`, async (t) => {
		const file = join(root, 'studies', name);
		t.true(validate(readStudyDocument(file)), JSON.stringify(validate.errors));
		t.is(await zodError(file), undefined);
	});
	if (name.endsWith('.yaml'))
		test(`studies/${name} names the schema on its first line`, (t) => {
			t.is(readFileSync(join(root, 'studies', name), 'utf8').split('\n')[0], '# yaml-language-server: $schema=./study.schema.json');
		});
}

const study = `name: bad
objective: {bandit: {task: eleven-armed, train_episodes: 10}}
space:
  gamma: {type: float, low: 0.05, high: 0.99}
searchers:
  - {kind: random, seed: 0}
budget: 4
`;

/** The base study with `from` replaced by `to` (the replaced text must be there). */
function changed(from: string, to: string): string {
	if (!study.includes(from)) throw new Error(`the base study has no ${from}`);
	return study.replace(from, to);
}

/** Each bad study; `field`: what the loader's one-line message names first, after the file. */
const rejectedByBoth: { title: string; text: string; field: RegExp }[] = [
	{ title: 'an unknown top-level field', text: `${study}budgte: 5\n`, field: /^budgte:/ },
	{ title: 'an unknown param type', text: changed('type: float', 'type: double'), field: /^space\.gamma\.type:/ },
	{ title: 'a categorical param without choices', text: changed('{type: float, low: 0.05, high: 0.99}', '{type: categorical}'), field: /^space\.gamma\.choices:/ },
	{ title: 'a categorical param with no choice', text: changed('{type: float, low: 0.05, high: 0.99}', '{type: categorical, choices: []}'), field: /^space\.gamma\.choices:/ },
	{ title: 'a float bound written as a string', text: changed('low: 0.05', 'low: "0.05"'), field: /^space\.gamma\.low:/ },
	{ title: 'an int step of 0', text: changed('high: 0.99}\n', 'high: 0.99}\n  hidden: {type: int, low: 8, high: 64, step: 0}\n'), field: /^space\.hidden\.step:/ },
	{ title: 'an empty space', text: changed('space:\n  gamma: {type: float, low: 0.05, high: 0.99}', 'space: {}'), field: /^space:/ },
	{ title: 'a param name that is not an identifier', text: changed('  gamma:', '  learning-rate:'), field: /^space\./ },
	{ title: 'an unknown searcher kind', text: changed('kind: random', 'kind: cmaes'), field: /^searchers\.0\.kind:/ },
	{ title: 'a misspelt tpe option', text: changed('{kind: random, seed: 0}', '{kind: tpe, n_start_up: 5}'), field: /^searchers\.0\.n_start_up:/ },
	{ title: 'a negative tpe n_startup', text: changed('{kind: random, seed: 0}', '{kind: tpe, n_startup: -1}'), field: /^searchers\.0\.n_startup:/ },
	{ title: 'a tpe with no EI candidates', text: changed('{kind: random, seed: 0}', '{kind: tpe, n_ei_candidates: 0}'), field: /^searchers\.0\.n_ei_candidates:/ },
	{ title: 'a tpe constant_liar that is not a boolean', text: changed('{kind: random, seed: 0}', '{kind: tpe, constant_liar: yes please}'), field: /^searchers\.0\.constant_liar:/ },
	{ title: 'a misspelt gp option', text: changed('{kind: random, seed: 0}', '{kind: gp, n_start_up: 5}'), field: /^searchers\.0\.n_start_up:/ },
	{ title: 'a gp acquisition that does not exist', text: changed('{kind: random, seed: 0}', '{kind: gp, acquisition: ei}'), field: /^searchers\.0\.acquisition:/ },
	{ title: 'an unknown pruner kind', text: `${study}pruner: {kind: sha, min_resource: 10}\n`, field: /^pruner\.kind:/ },
	{ title: 'a median pruner with min_trials 0', text: `${study}pruner: {kind: median, min_trials: 0}\n`, field: /^pruner\.min_trials:/ },
	{ title: 'a hyperband pruner without max_resource', text: `${study}pruner: {kind: hyperband, min_resource: 10}\n`, field: /^pruner\.max_resource:/ },
	{ title: 'a direction that does not exist', text: `${study}direction: max\n`, field: /^direction:/ },
	{ title: 'a module objective without its module', text: changed('{bandit: {task: eleven-armed, train_episodes: 10}}', '{export: quadratic}'), field: /^objective/ },
	{ title: 'a command objective whose command is not a list', text: changed('{bandit: {task: eleven-armed, train_episodes: 10}}', '{command: python3 train.py}'), field: /^objective/ },
	{ title: 'a study without a budget', text: changed('budget: 4\n', ''), field: /^budget:/ },
	{ title: 'a budget that is not a whole number', text: changed('budget: 4', 'budget: 2.5'), field: /^budget:/ },
	{ title: 'a name that would leave the results folder', text: changed('name: bad', 'name: ../bad'), field: /^name:/ },
	{ title: 'both searcher and searchers', text: `${study}searcher: {kind: grid}\n`, field: /^searchers:/ },
	{ title: 'no searcher at all', text: changed('searchers:\n  - {kind: random, seed: 0}\n', ''), field: /^searcher:/ },
	{ title: 'an empty list of searchers', text: changed('searchers:\n  - {kind: random, seed: 0}\n', 'searchers: []\n'), field: /^searchers:/ },
	{ title: 'a pbt population above 64', text: changed('{kind: random, seed: 0}', '{kind: pbt, population: 65}'), field: /^searchers\.0\.population:/ },
	{ title: 'a misspelt bandit setting', text: changed('train_episodes: 10', 'train_episodes: 10, optimiser: adam'), field: /^objective\.bandit\.optimiser:/ },
	{ title: 'a bandit setting out of range', text: changed('train_episodes: 10', 'train_episodes: 10, hidden: 0'), field: /^objective\.bandit\.hidden:/ },
	{ title: 'a bandit task that does not exist', text: changed('task: eleven-armed', 'task: twelve-armed'), field: /^objective\.bandit\.task:/ },
];

/** What JSON Schema cannot express: the loader alone refuses these (the reference's "Checked when the study loads"). */
const loaderOnly: { title: string; text: string; field: RegExp }[] = [
	{
		title: 'a bandit pbt population above 8 (its members train side by side in one lifetime)',
		text: changed('{kind: random, seed: 0}', '{kind: pbt, population: 9}'),
		field: /^population: the bandit's pbt/,
	},
	{ title: 'a float param with low above high', text: changed('low: 0.05, high: 0.99', 'low: 0.99, high: 0.05'), field: /^space\.gamma\.low:/ },
	{ title: 'a log param from 0', text: changed('low: 0.05, high: 0.99', 'low: 0, high: 0.99, log: true'), field: /^space\.gamma\.low:/ },
	{ title: 'a space of fixed params only', text: changed('{type: float, low: 0.05, high: 0.99}', '{type: fixed, value: 0.9}'), field: /^space:/ },
	{ title: 'two arms of one name', text: changed('  - {kind: random, seed: 0}\n', '  - {kind: random, name: a}\n  - {kind: grid, name: a}\n'), field: /^searchers\.1\.name:/ },
	{ title: 'a budget that is not a multiple of repeats', text: `${study}repeats: 3\n`, field: /^budget:/ },
	{ title: 'an asha pruner whose max_resource is not above min_resource', text: `${study}pruner: {kind: asha, min_resource: 10, max_resource: 10}\n`, field: /^pruner\.max_resource:/ },
	{ title: 'a pruner on a tuner arm', text: changed('{kind: random, seed: 0}', '{kind: metagradient, pruner: {kind: median}}'), field: /^searchers\.0\.pruner:/ },
	{ title: 'a bandit metric that does not exist', text: `${study}metric: value\n`, field: /^metric:/ },
	{
		title: 'both metric and metrics',
		text: `${study}metric: final_return\nmetrics: [{name: final_return, direction: maximize}, {name: env_steps, direction: minimize}]\n`,
		field: /^metrics: give either metric/,
	},
	{
		title: 'a reference point of the wrong length',
		text: `${study}metrics: [{name: final_return, direction: maximize}, {name: env_steps, direction: minimize}]\nreference_point: [0]\n`,
		field: /^reference_point: has 1 value for 2 metrics/,
	},
	{ title: 'a constraint on a field the bandit does not log', text: `${study}constraints: [{field: wall, max: 10}]\n`, field: /^constraints\.0\.field:/ },
	{ title: 'a space param that is not a bandit setting', text: changed('  gamma:', '  gama:'), field: /^space\.gama:/ },
	{ title: 'a discount range above 1', text: changed('high: 0.99', 'high: 1.5'), field: /^space\.gamma\.high:/ },
	{
		title: 'a condition naming a param not in the space',
		text: changed('high: 0.99}', 'high: 0.99, when: {optimiser: adam}}\n  optimizer: {type: categorical, choices: [adam, rmsprop]}'),
		field: /^space\.gamma\.when\.optimiser: no param optimiser in the space; did you mean optimizer\?/,
	},
	{
		title: 'a condition on a float param',
		text: changed('high: 0.99}', 'high: 0.99}\n  lr: {type: float, low: 0.001, high: 0.1, when: {gamma: 0.5}}'),
		field: /^space\.lr\.when\.gamma: gamma is a float param/,
	},
	{
		title: 'a condition value outside the choices',
		text: changed('high: 0.99}', 'high: 0.99, when: {optimizer: nadam}}\n  optimizer: {type: categorical, choices: [adam, rmsprop]}'),
		field: /^space\.gamma\.when\.optimizer: "nadam" is not one of the choices/,
	},
	{
		title: 'a cycle of conditions',
		text: changed(
			'high: 0.99}',
			'high: 0.99}\n  optimizer: {type: categorical, choices: [adam, rmsprop], when: {batch: 16}}\n  batch: {type: categorical, choices: [16, 32], when: {optimizer: adam}}',
		),
		field: /^space\.optimizer\.when: conditions form a cycle \(optimizer -> batch -> optimizer\)/,
	},
	{
		title: 'an rbf reward encoding with high below low',
		text: changed('train_episodes: 10', 'train_episodes: 10, reward_encoding: {kind: rbf, low: 1, high: 0}'),
		field: /^objective\.bandit\.reward_encoding\.high:/,
	},
];

function write(text: string): string {
	const file = join(tempDir(), 'study.yaml');
	writeFileSync(file, text);
	return file;
}

test('the base of the bad studies is a good study', async (t) => {
	const file = write(study);
	t.true(validate(readStudyDocument(file)), JSON.stringify(validate.errors));
	t.is(await zodError(file), undefined);
});

for (const { title, text, field } of rejectedByBoth) {
	test(`refused by the JSON Schema and by the loader: ${title}`, async (t) => {
		const file = write(text);
		t.false(validate(readStudyDocument(file)), 'the JSON Schema accepts it');
		const error = await zodError(file);
		t.truthy(error, 'the loader accepts it');
		t.regex(error?.message.slice(file.length + 2) ?? '', field);
	});
}

for (const { title, text, field } of loaderOnly) {
	test(`accepted by the JSON Schema, refused when the study loads: ${title}`, async (t) => {
		const file = write(text);
		t.true(validate(readStudyDocument(file)), JSON.stringify(validate.errors));
		const error = await zodError(file);
		t.truthy(error, 'the loader accepts it');
		t.regex(error?.message.slice(file.length + 2) ?? '', field);
	});
}
