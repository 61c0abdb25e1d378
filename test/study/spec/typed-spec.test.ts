/**
 * The library's types (issue 16, item 18): `parseStudySpec` checks a document at compile time and
 * types the params from its space; `objective` may be left out when `runStudy` gets a function. The
 * `@ts-expect-error` lines are checked by `npm test`'s tsc: if a typo compiled, tsc would fail here.
 * The library page's example (docs/library.md) is type-checked and run as written.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../../cli-capture.js';
import { InputError, parseStudySpec, runStudy, Study } from '../../../src/index.js';
import { root, tempDir, writeStudy } from '../helpers.js';

const space = {
	gamma: { type: 'float', low: 0.5, high: 0.99 },
	opt: { type: 'categorical', choices: ['adam', 'sgd'] },
	hidden: { type: 'fixed', value: 48 },
} as const;

function typoChecks(): void {
	// @ts-expect-error a misspelt top-level field
	parseStudySpec({ name: 'x', space, searchers: [{ kind: 'grid' }], budgt: 5 });
	// @ts-expect-error a misspelt searcher setting
	parseStudySpec({ name: 'x', space, searchers: [{ kind: 'grid', pionts: 3 }], budget: 5 });
	// @ts-expect-error a float param without high
	parseStudySpec({ name: 'x', space: { gamma: { type: 'float', low: 0, hihg: 1 } }, searchers: [{ kind: 'grid' }], budget: 5 });
	// @ts-expect-error budget is a number
	parseStudySpec({ name: 'x', space, searchers: [{ kind: 'grid' }], budget: '5' });
}
void typoChecks;

test('a spec without objective runs with a function; params are typed from the space', async (t) => {
	const spec = parseStudySpec({ name: 'typed', space, searchers: [{ kind: 'random', seed: 1 }], budget: 4 });
	t.deepEqual(spec.objective, { kind: 'function' });
	t.is(spec.metric, 'value');
	const study = await Study.open(spec, { resultsDir: tempDir('metatune-typed-') });
	try {
		const seen: ('adam' | 'sgd')[] = [];
		const summary = await runStudy(study, {
			concurrency: 1,
			objective: (params) => {
				const gamma: number = params.gamma; // a number, no Number(...) needed
				const hidden: 48 = params.hidden;
				seen.push(params.opt);
				return gamma + hidden / 1000;
			},
		});
		t.is(summary.completed, 4);
		t.true(seen.every((o) => o === 'adam' || o === 'sgd'));
	} finally {
		study.close();
	}
});

test('without a function, runStudy and metatune run refuse a study that names no objective, in one line', async (t) => {
	const dir = tempDir('metatune-typed-');
	const study = await Study.open(parseStudySpec({ name: 'bare', space, searchers: [{ kind: 'random' }], budget: 2 }), { resultsDir: join(dir, 'lib') });
	try {
		await t.throwsAsync(runStudy(study), { instanceOf: InputError, message: /^runStudy: study bare names no objective; pass runStudy\(study, \{objective: / });
	} finally {
		study.close();
	}
	const file = writeStudy(dir, { name: 'bare', space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random' }, budget: 2 });
	const ran = await runCli(['run', file, '--results', join(dir, 'results')]);
	t.is(ran.code, 2);
	t.regex(ran.stderr, /study\.yaml: objective: missing; add objective: \{module: \.\/my-objective\.js\} or \{bandit: \{\.\.\.\}\}/);
	t.is(ran.stderr.trim().split('\n').length, 1, ran.stderr);
	t.false(existsSync(join(dir, 'results')), 'nothing created');
});

function node(args: readonly string[], cwd: string): Promise<{ code: number | null; output: string }> {
	const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (d: Buffer) => (output += d.toString()));
	child.stderr.on('data', (d: Buffer) => (output += d.toString()));
	return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

test("docs/library.md's example type-checks (strict) and runs as written", async (t) => {
	const page = readFileSync(join(root, 'docs', 'library.md'), 'utf8');
	const example = /```ts\n([\s\S]*?)```/.exec(page)?.[1];
	if (example === undefined) return t.fail('docs/library.md: no ts block');
	t.notRegex(example, /unused\.js|Number\(/, 'no dummy module, no Number(...) around typed params');
	const dir = tempDir('metatune-readme-');
	const file = join(dir, 'example.ts');
	writeFileSync(join(dir, 'package.json'), '{"type": "module"}\n');
	writeFileSync(file, `${example.replace(/from 'metatune'/g, `from '${join(root, 'src/index.js')}'`)}\nexport {};\n`);
	const tsc = await node(
		[
			join(root, 'node_modules/typescript/bin/tsc'),
			'--noEmit',
			'--strict',
			'--exactOptionalPropertyTypes',
			'--noUncheckedIndexedAccess',
			'--target',
			'ES2022',
			'--module',
			'NodeNext',
			'--moduleResolution',
			'NodeNext',
			'--skipLibCheck',
			'--types',
			'node',
			'--typeRoots',
			join(root, 'node_modules/@types'),
			file,
		],
		dir,
	);
	t.is(tsc.code, 0, tsc.output);
	const run = await node(['--import', import.meta.resolve('tsx'), file], dir);
	t.is(run.code, 0, run.output);
	t.regex(run.output, /\| grid \|/);
});

test('a conditional param is optional in the typed params, and absent while inactive', async (t) => {
	const conditional = {
		opt: { type: 'categorical', choices: ['adam', 'sgd'] },
		beta: { type: 'float', low: 0.8, high: 0.99, when: { opt: 'adam' } },
	} as const;
	const spec = parseStudySpec({ name: 'typed-when', space: conditional, searchers: [{ kind: 'random', seed: 0 }], budget: 6 });
	const study = await Study.open(spec, { resultsDir: tempDir('metatune-typed-') });
	try {
		const seen: [string, number | undefined][] = [];
		await runStudy(study, {
			concurrency: 1,
			objective: (params) => {
				// @ts-expect-error beta may be absent: it is number | undefined
				const beta: number = params.beta;
				seen.push([params.opt, beta]);
				return params.opt === 'adam' ? (params.beta ?? 0) : 0;
			},
		});
		t.is(seen.length, 6);
		for (const [opt, beta] of seen) t.is(beta === undefined, opt === 'sgd');
		t.true(seen.some(([opt]) => opt === 'sgd') && seen.some(([opt]) => opt === 'adam'), JSON.stringify(seen));
	} finally {
		study.close();
	}
});
