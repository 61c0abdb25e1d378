/** `metatune bench searchers`: simple regret and time per suggestion of each searcher on test functions. */
import type { CommandModule } from 'yargs';
import { benchSearcherKinds, benchSearchers, formatTable, type BenchSearcherKind } from '../bench/bench.js';
import { builtinFunctions, type TestFunction } from '../bench/functions.js';
import { benchLatency, formatLatency } from '../bench/latency.js';
import { loadFunctionsModule } from '../bench/module.js';
import { InputError } from '../core/errors.js';
import { listFlag } from './repeated-flags.js';

interface Args {
	/** list flags: repeats (`--functions a --functions b`) are merged */
	functions: string | string[] | undefined;
	budget: number;
	seeds: number;
	searchers: string | string[];
	module: string | undefined;
	format: 'text' | 'json';
	latency: number | undefined;
	'latency-seeds': number;
}

const list = (value: string | readonly string[]): string[] =>
	listFlag(value)
		.split(',')
		.map((s) => s.trim())
		.filter((s) => s.length > 0);

export const benchSearchersCommand: CommandModule<object, Args> = {
	command: 'searchers',
	describe: 'Searchers on test functions: simple regret (median, quartiles over seeds) and ms per suggestion',
	builder: (y) =>
		y
			.option('functions', { type: 'string', describe: `comma-separated function names, repeats merged (built in: ${builtinFunctions.map((f) => f.name).join(', ')}; default: all, plus the module's)` })
			.option('budget', { type: 'number', default: 50, describe: 'evaluations per run' })
			.option('seeds', { type: 'number', default: 10, describe: 'runs (seeds 0..n-1) per function and searcher' })
			.option('searchers', { type: 'string', default: benchSearcherKinds.join(','), describe: `comma-separated (repeats merged), of: ${benchSearcherKinds.join(', ')}` })
			.option('module', { type: 'string', describe: 'JS module whose default export is an array of {name, space, evaluate(params) => number, minimum}; an evaluate that throws or returns a non-finite value stops the benchmark with one line naming it (exit 2)' })
			.option('latency', { type: 'number', describe: 'instead: ms for one gp suggestion at N observations, warm (during the run) and cold (empty fit cache, as on resume); functions default to hartmann6' })
			.option('latency-seeds', { type: 'number', default: 1, describe: 'with --latency: runs (seeds 0..n-1) per function' })
			.option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'output format' }),
	handler: async (args) => {
		if (!(Number.isInteger(args.budget) && args.budget >= 1)) throw new InputError(`--budget: expected a positive integer (got ${args.budget})`, undefined, 'budget');
		if (!(Number.isInteger(args.seeds) && args.seeds >= 1)) throw new InputError(`--seeds: expected a positive integer (got ${args.seeds})`, undefined, 'seeds');
		if (args.latency !== undefined) {
			if (!(Number.isInteger(args.latency) && args.latency >= 2)) throw new InputError(`--latency: expected an integer >= 2 (got ${args.latency})`, undefined, 'latency');
			const seeds = args['latency-seeds'];
			if (!(Number.isInteger(seeds) && seeds >= 1)) throw new InputError(`--latency-seeds: expected a positive integer (got ${seeds})`, undefined, 'latency-seeds');
			const available: TestFunction[] = [...builtinFunctions, ...(args.module === undefined ? [] : await loadFunctionsModule(args.module))];
			const names = args.functions === undefined ? ['hartmann6'] : list(args.functions);
			const rows = names.flatMap((name) => {
				const fn = available.find((f) => f.name === name);
				if (fn === undefined) throw new InputError(`--functions: unknown function '${name}' (have ${available.map((f) => f.name).join(', ')})`, undefined, 'functions');
				return Array.from({ length: seeds }, (_, seed) => benchLatency({ fn, observations: args.latency as number, seed }));
			});
			process.stdout.write(args.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : `${formatLatency(rows)}\n`);
			return;
		}
		const searchers = list(args.searchers);
		for (const s of searchers) {
			if (!(benchSearcherKinds as readonly string[]).includes(s)) throw new InputError(`--searchers: unknown searcher '${s}' (expected some of ${benchSearcherKinds.join(', ')})`, undefined, 'searchers');
		}
		if (searchers.length === 0) throw new InputError('--searchers: name at least one searcher', undefined, 'searchers');
		const available: TestFunction[] = [...builtinFunctions, ...(args.module === undefined ? [] : await loadFunctionsModule(args.module))];
		let functions: TestFunction[];
		if (args.functions === undefined) functions = available;
		else {
			functions = list(args.functions).map((name) => {
				const fn = available.find((f) => f.name === name);
				if (fn === undefined) throw new InputError(`--functions: unknown function '${name}' (have ${available.map((f) => f.name).join(', ')})`, undefined, 'functions');
				return fn;
			});
		}
		const rows = benchSearchers({
			functions,
			searchers: searchers as BenchSearcherKind[],
			budget: args.budget,
			seeds: args.seeds,
			...(args.format === 'text' && process.stderr.isTTY ? { onRow: (r) => process.stderr.write(`done ${r.fn} / ${r.searcher}\n`) } : {}),
		});
		process.stdout.write(args.format === 'json' ? `${JSON.stringify(rows, null, 2)}\n` : `${formatTable(rows)}\n`);
	},
};
