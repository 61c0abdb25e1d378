/**
 * The package installs anywhere (issue 21, item 4), tested the way a user meets it: `npm pack` of a
 * copy of this checkout (its tracked and untracked-but-not-ignored files, as a clone with the working
 * changes would hold them, so `prepare` builds a fresh dist/ there and no test run races a rebuild of
 * the checkout's own), then `npm install <tarball>` into an empty project (`npm init -y`, ESM), where
 * `npx metatune run` runs a study written there, `import ... from 'metatune'` runs, and a strict
 * NodeNext tsconfig type-checks code using the package's types (a deliberate type error is reported).
 *
 * The install omits optional dependencies: `@tensorflow/tfjs-node` (the native bandit backend) runs an
 * install script that downloads libtensorflow, which fails offline (npm then drops it) and is slow
 * online; the test needs none of it. The tarball, the install and the TypeScript compiler's times
 * are logged (`npx ava --verbose test/package.test.ts`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import test from 'ava';
import { tempDir } from './temp.js';

const root = resolve(import.meta.dirname, '..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

interface Ran {
	readonly code: number | null;
	readonly stdout: string;
	readonly stderr: string;
	readonly seconds: number;
}

/**
 * The environment of a child npm: this process's, without the `npm_*` variables an enclosing
 * `npm test` sets (its package, lifecycle and prefix would be taken for the child's own), keeping
 * the ones that say where the registry and the cache are.
 */
const childEnv: NodeJS.ProcessEnv = Object.fromEntries(
	Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || /^npm_config_(cache|registry|userconfig|cafile|proxy|https_proxy|noproxy|strict_ssl)$/i.test(key)),
);

function run(command: string, args: readonly string[], cwd: string): Promise<Ran> {
	const started = performance.now();
	const child = spawn(command, args, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
	child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	return new Promise((done, fail) => {
		child.on('error', fail);
		child.on('close', (code) => done({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
	});
}

/** Throw (with its output) unless the command exited 0. */
async function must(command: string, args: readonly string[], cwd: string): Promise<Ran> {
	const ran = await run(command, args, cwd);
	if (ran.code !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${ran.code}:\n${ran.stdout}\n${ran.stderr}`);
	return ran;
}

/** Copy what a clone of the checkout plus its working changes holds; node_modules is linked, not copied. */
function copyCheckout(to: string): void {
	const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\0');
	for (const file of files) {
		if (file === '' || !existsSync(join(root, file))) continue; // a tracked file deleted in the work tree
		mkdirSync(dirname(join(to, file)), { recursive: true });
		copyFileSync(join(root, file), join(to, file));
	}
	symlinkSync(join(root, 'node_modules'), join(to, 'node_modules'), 'dir');
}

/**
 * The .js files the build makes of `dir` (relative to `base`): each .ts file compiled, except the
 * benchmark scripts (tsconfig.build.json leaves out src/bench/scripts/, run from a clone with tsx),
 * and the page's own scripts under src/serve/assets/, copied as they are.
 */
function compiledNames(base: string, dir: string): string[] {
	return readdirSync(join(base, dir), { recursive: true, encoding: 'utf8' })
		.filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('bench/scripts/')) || (f.startsWith('serve/assets/') && f.endsWith('.js')))
		.map((f) => `dist/${dir}/${f.replace(/\.ts$/, '.js')}`);
}

interface Packed {
	readonly tarball: string;
	readonly files: readonly string[];
	readonly size: number;
	readonly unpackedSize: number;
	/** the .js files the copy's sources compile to */
	readonly expectedJs: readonly string[];
	readonly packSeconds: number;
}

interface Installed extends Packed {
	readonly project: string;
	readonly installSeconds: number;
}

async function pack(): Promise<Packed> {
	const checkout = tempDir('metatune-pack-checkout-');
	const out = tempDir('metatune-pack-out-');
	copyCheckout(checkout);
	// the output of a source deleted since the last build: `prepack` must empty dist/ before `prepare` builds
	mkdirSync(join(checkout, 'dist/src'), { recursive: true });
	writeFileSync(join(checkout, 'dist/src/deleted-source.js'), 'export {};\n');
	const packed = await must('npm', ['pack', '--json', '--pack-destination', out], checkout);
	// `prepare`'s build logs to stdout before the JSON
	const json = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('\n[') + 1)) as [{ filename: string; size: number; unpackedSize: number; files: { path: string }[] }];
	const [info] = json;
	return {
		tarball: join(out, info.filename),
		files: info.files.map((f) => f.path),
		size: info.size,
		unpackedSize: info.unpackedSize,
		expectedJs: [...compiledNames(checkout, 'src'), ...compiledNames(checkout, 'searchers')],
		packSeconds: packed.seconds,
	};
}

async function install(): Promise<Installed> {
	const packed = await pack();
	const project = tempDir('metatune-pack-project-');
	await must('npm', ['init', '-y'], project);
	await must('npm', ['pkg', 'set', 'type=module'], project);
	// @types/node as a TypeScript project on Node has it (the version this checkout uses: it is in the npm cache)
	const typesNode = (JSON.parse(readFileSync(join(root, 'node_modules/@types/node/package.json'), 'utf8')) as { version: string }).version;
	const installed = await must('npm', ['install', packed.tarball, `@types/node@${typesNode}`, '--omit=optional', '--prefer-offline', '--no-audit', '--no-fund'], project);
	return { ...packed, project, installSeconds: installed.seconds };
}

let installing: Promise<Installed> | undefined;
/** One pack and install, shared by the tests of this file. */
const installedOnce = (): Promise<Installed> => (installing ??= install());

test('the tarball holds the fresh build (with the native addon when it was compiled), the CLI and the example studies; no tests, results, sources or source maps', async (t) => {
	const { files, size, unpackedSize, expectedJs, packSeconds } = await installedOnce();
	t.log(`tarball: ${files.length} files, ${(size / 1024).toFixed(0)} kB (${(unpackedSize / 1024).toFixed(0)} kB unpacked); npm pack with its build: ${packSeconds.toFixed(1)} s`);
	for (const path of files) {
		t.notRegex(path, /^(test|results|\.ci|node_modules|src|searchers)\//, `${path} is not part of the package`);
		t.false(path.endsWith('.map'), `${path}: source maps point at sources the package does not hold`);
		t.regex(path, /^(dist\/(src|searchers)\/|dist\/native\/agent-kernels\.node$|bin\/metatune\.js$|studies\/|docs\/.*\.md$|package\.json$|README\.md$|LICENSE$)/, `${path}: unexpected in the package`);
	}
	const js = files.filter((f) => f.endsWith('.js') && f.startsWith('dist/')).sort();
	t.false(files.includes('dist/src/deleted-source.js'), 'a stale build output');
	t.deepEqual(js, [...expectedJs].sort(), 'dist/ is exactly the build of the sources: nothing stale, nothing missing');
	t.true(files.includes('dist/src/index.d.ts') && files.includes('dist/src/report/index.d.ts'), 'the types of both entry points');
	t.true(size < 1024 * 1024, `the tarball is ${size} bytes`);
});

test('npx metatune run runs a study written in the new project; --help needs no devDependency', async (t) => {
	const { project, installSeconds } = await installedOnce();
	t.log(`npm install <tarball> --omit=optional: ${installSeconds.toFixed(1)} s`);
	t.false(existsSync(join(project, 'node_modules/tsx')), 'tsx (a devDependency) is not installed');
	t.false(existsSync(join(project, 'node_modules/metatune/src')), 'no TypeScript sources to fall back to');
	const help = await run('npx', ['--no-install', 'metatune', '--help'], project);
	t.is(help.code, 0, help.stderr);
	t.regex(help.stdout, /metatune run/);
	writeFileSync(join(project, 'objective.js'), 'export default function objective(params) {\n\treturn { value: 1 - (params.x - 0.3) ** 2, env_steps: 10 };\n}\n');
	writeFileSync(
		join(project, 'study.yaml'),
		[
			'name: packaged',
			'objective: { module: ./objective.js }',
			'space:',
			'  x: { type: float, low: 0, high: 1 }',
			'searchers:',
			'  - { kind: grid, points: 3 }',
			'  - { kind: random, seed: 1 }',
			'budget: 3',
			'concurrency: 2',
			'',
		].join('\n'),
	);
	const ran = await run('npx', ['--no-install', 'metatune', 'run', 'study.yaml'], project);
	t.is(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
	t.regex(ran.stdout, /^grid\s+x=0\.5\s/m, 'the comparison table, grid row');
	t.regex(ran.stdout, /^random\s+x=/m, 'the comparison table, random row');
	const journal = join(project, 'results/packaged/journal.jsonl');
	t.true(existsSync(journal), `${ran.stdout}\n${ran.stderr}`);
	t.is(
		readFileSync(journal, 'utf8')
			.split('\n')
			.filter((line) => line.includes('"complete"')).length,
		6,
	);
});

test("import from 'metatune' runs, and a strict NodeNext project type-checks against the package's types", async (t) => {
	const { project } = await installedOnce();
	writeFileSync(
		join(project, 'library.mjs'),
		`import { parseStudySpec, Study, runStudy } from 'metatune';
import { writeReport } from 'metatune/report';
const spec = parseStudySpec({ name: 'lib', space: { x: { type: 'float', low: 0, high: 1 } }, searchers: [{ kind: 'random', seed: 2 }], budget: 3 });
const study = await Study.open(spec, { resultsDir: 'lib-results' });
const summary = await runStudy(study, { concurrency: 1, objective: (params) => params.x });
study.close();
console.log(JSON.stringify({ completed: summary.completed, report: typeof writeReport }));
`,
	);
	const lib = await run(process.execPath, ['library.mjs'], project);
	t.is(lib.code, 0, lib.stderr);
	t.deepEqual(JSON.parse(lib.stdout), { completed: 3, report: 'function' });

	// the library page's examples, as written
	const libraryPage = readFileSync(join(root, 'docs', 'library.md'), 'utf8');
	const blocks = [...libraryPage.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
	t.true(blocks.length >= 2, 'docs/library.md: its ts blocks');
	writeFileSync(join(project, 'readme-example.ts'), `${blocks.join('\n')}\nexport {};\n`);
	writeFileSync(
		join(project, 'uses.ts'),
		`import { InputError, parseStudySpec, runStudy, Study, type RunSummary, type StudySpec } from 'metatune';
const spec = parseStudySpec({ name: 'uses', space: { opt: { type: 'categorical', choices: ['adam', 'sgd'] } }, searchers: [{ kind: 'grid' }], budget: 2 });
const untyped: StudySpec = spec;
const study = await Study.open(spec);
const summary: RunSummary = await runStudy(study, { objective: (params) => (params.opt === 'adam' ? 1 : 0) });
console.log(summary.completed, untyped.name, new InputError('x') instanceof Error);
`,
	);
	const typo = [
		"import { parseStudySpec, runStudy, Study } from 'metatune';",
		"const space = { gamma: { type: 'float', low: 0.5, high: 0.99 } } as const;",
		"parseStudySpec({ name: 'typo', space, searchers: [{ kind: 'grid' }], budgt: 4 });",
		"const study = await Study.open(parseStudySpec({ name: 'typo', space, searchers: [{ kind: 'grid' }], budget: 4 }));",
		'await runStudy(study, { objective: (params) => params.gamma.toUpperCase() });',
		'',
	];
	writeFileSync(join(project, 'typo.ts'), typo.join('\n'));
	writeFileSync(
		join(project, 'tsconfig.json'),
		JSON.stringify({
			compilerOptions: {
				target: 'ES2022',
				module: 'NodeNext',
				moduleResolution: 'NodeNext',
				lib: ['ES2023'],
				types: ['node'],
				strict: true,
				exactOptionalPropertyTypes: true,
				noUncheckedIndexedAccess: true,
				noEmit: true,
				// checked too, so that metatune's own .d.ts files are (their errors would show below)
				skipLibCheck: false,
			},
			include: ['*.ts'],
		}),
	);
	const checked = await run(process.execPath, [tsc, '-p', '.'], project);
	t.log(`tsc -p . in the project: ${checked.seconds.toFixed(1)} s`);
	const errors = checked.stdout.split('\n').filter((line) => / error TS\d+/.test(line));
	const about = (file: string) => errors.filter((line) => line.startsWith(file));
	t.deepEqual(about('uses.ts'), []);
	t.deepEqual(about('readme-example.ts'), []);
	t.deepEqual(about('node_modules/metatune/'), [], "the package's declarations check");
	t.deepEqual(
		about('typo.ts').map((line) => /^typo\.ts\((\d+),/.exec(line)?.[1]),
		['3', '5'],
		`the misspelt field and the number used as a string are reported:\n${about('typo.ts').join('\n')}`,
	);
	// what is left is Vega's own typings, which need the DOM library (skipLibCheck: true hides them)
	t.deepEqual(
		errors.filter((line) => !line.startsWith('uses.ts') && !line.startsWith('readme-example.ts') && !line.startsWith('typo.ts') && !/^node_modules\/vega/.test(line)),
		[],
	);
});
