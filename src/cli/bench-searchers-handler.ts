/** What `metatune bench searchers` does once its flags are parsed (bench-searchers.ts). */
import { benchSearchers as measure, formatTable } from '../bench/bench.js';
import { benchFronts, formatFrontTable } from '../bench/bench-multi.js';
import { multiObjectiveFunctions } from '../bench/functions-multi.js';
import type { MultiObjectiveFunction } from '../bench/test-function.js';
import { builtinFunctions, type TestFunction } from '../bench/functions.js';
import { benchLatency, defaultLatencySizes, formatLatency } from '../bench/latency.js';
import { loadFunctionsModule } from '../bench/module.js';
import { type BenchSearcherKind, benchSearcherKinds } from '../bench/searcher-kinds.js';
import { InputError } from '../core/errors.js';
import { listFlag } from './repeated-flags.js';

export interface Args {
	/** list flags: repeats (`--functions a --functions b`) are merged */
	functions: string | string[] | undefined;
	budget: number;
	seeds: number;
	'first-seed': number;
	searchers: string | string[];
	module: string | undefined;
	format: 'text' | 'json';
	/** with no value: the default sizes */
	latency: string | undefined;
	threshold: number;
	'latency-seeds': number;
}

const list = (value: string | readonly string[]): string[] =>
	listFlag(value)
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s.length > 0);

export async function benchSearchers(args: Args): Promise<void> {
	if (!(Number.isInteger(args.budget) && args.budget >= 1)) throw new InputError(`--budget: expected a positive integer (got ${args.budget})`, undefined, 'budget');
	if (!(Number.isInteger(args.seeds) && args.seeds >= 1)) throw new InputError(`--seeds: expected a positive integer (got ${args.seeds})`, undefined, 'seeds');
	const firstSeed = args['first-seed'];
	if (!(Number.isInteger(firstSeed) && firstSeed >= 0)) throw new InputError(`--first-seed: expected an integer >= 0 (got ${firstSeed})`, undefined, 'first-seed');
	if (!(Number.isFinite(args.threshold) && args.threshold >= 0)) throw new InputError(`--threshold: expected a number >= 0 (got ${args.threshold})`, undefined, 'threshold');
	if (args.latency !== undefined) {
		const sizes = args.latency.trim() === '' ? defaultLatencySizes : list(args.latency).map(Number);
		for (const n of sizes) {
			if (!(Number.isInteger(n) && n >= 2))
				throw new InputError(`--latency: expected integers >= 2, comma-separated, or no value for ${defaultLatencySizes.join(',')} (got '${args.latency}')`, undefined, 'latency');
		}
		const seeds = args['latency-seeds'];
		if (!(Number.isInteger(seeds) && seeds >= 1)) throw new InputError(`--latency-seeds: expected a positive integer (got ${seeds})`, undefined, 'latency-seeds');
		const available: TestFunction[] = [...builtinFunctions, ...(args.module === undefined ? [] : await loadFunctionsModule(args.module))];
		const names = args.functions === undefined ? ['hartmann6'] : list(args.functions);
		const rows = names.flatMap((name) => {
			const fn = available.find((f) => f.name === name);
			if (fn === undefined) throw new InputError(`--functions: unknown function '${name}' (have ${available.map((f) => f.name).join(', ')})`, undefined, 'functions');
			return Array.from({ length: seeds }, (_, seed) =>
				benchLatency({
					fn,
					observations: sizes,
					seed,
					...(args.format === 'text' && process.stderr.isTTY ? { onRow: (r) => process.stderr.write(`done ${r.fn} seed ${r.seed} N = ${r.observations}: ${r.warm.meanMs.toFixed(1)} ms warm\n`) } : {}),
				}),
			).flat();
		});
		process.stdout.write(args.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : `${formatLatency(rows)}\n`);
		return;
	}
	const searchers = list(args.searchers);
	for (const s of searchers) {
		if (!(benchSearcherKinds as readonly string[]).includes(s))
			throw new InputError(`--searchers: unknown searcher '${s}' (expected some of ${benchSearcherKinds.join(', ')})`, undefined, 'searchers');
	}
	if (searchers.length === 0) throw new InputError('--searchers: name at least one searcher', undefined, 'searchers');
	const available: TestFunction[] = [...builtinFunctions, ...(args.module === undefined ? [] : await loadFunctionsModule(args.module))];
	let functions: TestFunction[];
	let fronts: MultiObjectiveFunction[];
	if (args.functions === undefined) {
		functions = available;
		fronts = [...multiObjectiveFunctions];
	} else {
		const names = list(args.functions);
		const known = [...available.map((f) => f.name), ...multiObjectiveFunctions.map((f) => f.name)];
		for (const name of names) if (!known.includes(name)) throw new InputError(`--functions: unknown function '${name}' (have ${known.join(', ')})`, undefined, 'functions');
		functions = available.filter((f) => names.includes(f.name));
		functions.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));
		fronts = multiObjectiveFunctions.filter((f) => names.includes(f.name) && !functions.some((g) => g.name === f.name));
		fronts.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));
	}
	const progress = args.format === 'text' && process.stderr.isTTY ? { onRow: (r: { fn: string; searcher: string }) => process.stderr.write(`done ${r.fn} / ${r.searcher}\n`) } : {};
	const frontRows = fronts.length === 0 ? [] : benchFronts({ functions: fronts, searchers: searchers as BenchSearcherKind[], budget: args.budget, seeds: args.seeds, firstSeed, ...progress });
	const rows =
		functions.length === 0
			? []
			: measure({
					functions,
					searchers: searchers as BenchSearcherKind[],
					budget: args.budget,
					seeds: args.seeds,
					firstSeed,
					threshold: args.threshold,
					...progress,
				});
	if (args.format === 'json') process.stdout.write(`${JSON.stringify([...rows, ...frontRows], null, 2)}\n`);
	else {
		// functions with several objectives: hypervolume instead of regret, in a table of their own
		const tables = [...(rows.length === 0 ? [] : [formatTable(rows)]), ...(frontRows.length === 0 ? [] : [formatFrontTable(frontRows)])];
		process.stdout.write(`${tables.join('\n\n')}\n`);
	}
}
