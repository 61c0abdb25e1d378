/**
 * Conditional params in study files (`when`): normalised to lists, refused with one line naming the
 * field when they cannot be decided (exit 2, nothing written), and part of the spec's hash only when
 * present.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../../cli-capture.js';
import { specHash } from '../../../src/study/spec/hash.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { readStudyDocument } from '../../../src/study/spec/file.js';
import { fixtures, root, tempDir, writeStudy } from '../helpers.js';

const space = {
	optimizer: { type: 'categorical', choices: ['adam', 'sgd'] },
	lr: { type: 'float', low: 0, high: 1 },
	beta: { type: 'float', low: 0.8, high: 0.99, when: { optimizer: 'adam' } },
	momentum: { type: 'float', low: 0, high: 0.9, when: { optimizer: ['sgd'] } },
};
const good = {
	name: 'cond',
	objective: { module: join(fixtures, 'objectives.js'), export: 'conditional' },
	space,
	searcher: { kind: 'random', seed: 1 },
	budget: 4,
};

test('a condition is normalised to a list of values', (t) => {
	const spec = parseStudyDocument(good, 'x.yaml');
	t.deepEqual(spec.space.beta?.when, { optimizer: ['adam'] });
	t.deepEqual(spec.space.momentum?.when, { optimizer: ['sgd'] });
	t.false('when' in (spec.space.lr ?? {}), 'a param without a condition is kept as written');
});

test('when changes the hash; a space without conditions hashes as before', (t) => {
	const flat = { ...good, space: { ...space, beta: { type: 'float', low: 0.8, high: 0.99 }, momentum: { type: 'float', low: 0, high: 0.9 } } };
	const withWhen = specHash(parseStudyDocument(good, 'x.yaml'));
	const without = specHash(parseStudyDocument(flat, 'x.yaml'));
	t.not(withWhen, without);
	// the same study written with one value or a list of one is the same study
	const listed = { ...good, space: { ...space, beta: { ...space.beta, when: { optimizer: ['adam'] } } } };
	t.is(specHash(parseStudyDocument(listed, 'x.yaml')), withWhen);
});

for (const name of ['discount-comparison', 'pruning-gp-choice']) {
	test(`committed study ${name} (no conditions) hashes as its journal says`, (t) => {
		const first = JSON.parse(readFileSync(join(root, 'results', name, 'journal.jsonl'), 'utf8').split('\n')[0] as string) as { hash: string };
		const spec = parseStudyDocument(readStudyDocument(join(root, 'studies', `${name}.yaml`)), `${name}.yaml`);
		t.is(specHash(spec), first.hash);
	});
}

const bad: { title: string; space: Record<string, unknown>; field: string; says: RegExp }[] = [
	{
		title: 'a parent that does not exist (a typo)',
		space: { ...space, beta: { ...space.beta, when: { optimiser: 'adam' } } },
		field: 'space.beta.when.optimiser',
		says: /no param optimiser in the space; did you mean optimizer\?/,
	},
	{
		title: 'a parent that does not exist',
		space: { ...space, beta: { ...space.beta, when: { depth: 2 } } },
		field: 'space.beta.when.depth',
		says: /no param depth in the space; a condition names one of optimizer, lr, beta, momentum/,
	},
	{
		title: 'a value outside the choices',
		space: { ...space, beta: { ...space.beta, when: { optimizer: 'nadam' } } },
		field: 'space.beta.when.optimizer',
		says: /"nadam" is not one of the choices \["adam","sgd"\]/,
	},
	{
		title: 'a value off an int parent',
		space: { ...space, layers: { type: 'int', low: 1, high: 5, step: 2 }, beta: { ...space.beta, when: { layers: [3, 4] } } },
		field: 'space.beta.when.layers',
		says: /4 is not a value of layers \(1 to 5 step 2\)/,
	},
	{
		title: 'a value other than a fixed parent',
		space: { ...space, kind: { type: 'fixed', value: 'a' }, beta: { ...space.beta, when: { kind: 'b' } } },
		field: 'space.beta.when.kind',
		says: /"b" is not the fixed value "a"/,
	},
	{
		title: 'a float parent',
		space: { ...space, beta: { ...space.beta, when: { lr: 0.5 } } },
		field: 'space.beta.when.lr',
		says: /lr is a float param; a condition names a categorical, int or fixed param/,
	},
	{
		title: 'a cycle',
		space: { a: { type: 'categorical', choices: [1, 2], when: { b: 1 } }, b: { type: 'categorical', choices: [1, 2], when: { a: 2 } }, lr: space.lr },
		field: 'space.a.when',
		says: /conditions form a cycle \(a -> b -> a\)/,
	},
	{ title: 'a param depending on itself', space: { ...space, optimizer: { ...space.optimizer, when: { optimizer: 'adam' } } }, field: 'space.optimizer.when.optimizer', says: /depends on itself/ },
	{ title: 'an empty condition', space: { ...space, beta: { ...space.beta, when: {} } }, field: 'space.beta.when', says: /is empty/ },
];

for (const c of bad) {
	test.serial(`refused: ${c.title} (one line naming the field, exit 2, nothing written)`, async (t) => {
		const dir = tempDir();
		const results = join(dir, 'results');
		const file = writeStudy(dir, { ...good, space: c.space });
		const { code, stderr } = await runCli(['run', file, '--results', results, '--quiet']);
		t.log(stderr.trim());
		t.is(code, 2, stderr);
		const lines = stderr.trim().split('\n');
		t.is(lines.length, 1, stderr);
		t.true(lines[0]?.includes(`${file}: ${c.field}:`), lines[0]);
		t.regex(lines[0] ?? '', c.says);
		t.false(existsSync(results) && readdirSync(results).length > 0, 'nothing created under results/');
	});
}

test('a tuner arm refuses a conditional space', (t) => {
	const doc = {
		name: 'tuned',
		objective: { bandit: { task: 'eleven-armed' } },
		space: { gamma: { type: 'float', low: 0.5, high: 0.99 }, optimizer: { type: 'fixed', value: 'adam' }, adam_beta1: { type: 'fixed', value: 0.9, when: { optimizer: 'adam' } } },
		searcher: { kind: 'metagradient' },
		budget: 2,
	};
	t.throws(() => parseStudyDocument(doc, 'x.yaml'), { message: /^x\.yaml: space\.adam_beta1\.when: the metagradient arm "metagradient" tunes every param in every lifetime/ });
});
