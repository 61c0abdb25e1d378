/**
 * metatune's searchers against Optuna 4.6's multi-objective samplers (TPESampler and NSGAIISampler,
 * defaults but the seed, constraints_func on a constrained function) on the two-objective test
 * functions (src/bench/functions-multi.ts), same seeds and budget. Optuna runs from its source tree
 * through src/bench/reference/optuna_mo.py (one JSON job on stdin) and returns every point it
 * evaluated; the hypervolumes of both sides are computed here by one implementation
 * (src/core/pareto.ts). Before any comparison, Python's values of each function at a few random
 * points must equal ours (the two sides define the functions separately).
 *
 *   git -C <optuna clone> archive v4.6.0 optuna | tar -x -C /tmp/optuna-4.6
 *   npx tsx src/bench/scripts/optuna-mo.ts --optuna /tmp/optuna-4.6 [--seeds 30] [--first-seed 0]
 *     [--budget 100] [--functions zdt1,c2dtlz2] [--searchers tpe,gp,random,tpe-independent] [--samplers tpe,nsga2]
 *     [--python /usr/bin/python3] [--reply optuna.json] [--save-reply optuna.json] [--json out.json]
 *
 * `tpe-independent` is the tpe with `multivariate: false` (one estimator per param, Optuna's default),
 * every other setting the bench's. `--save-reply` keeps Optuna's answer, `--reply` reads one instead of running Python (Optuna takes
 * minutes; the check points are the same on every run).
 *
 * Notation
 *   HV_s          hypervolume of the feasible points of the run with seed s against the function's
 *                 reference point (bench-multi.ts frontHypervolume: the same code for both sides)
 *   med [q1, q3]  median and quartiles of HV_s over the seeds
 *   best          per side, the searcher (sampler) with the highest median
 *   p             two-sided Mann-Whitney U test of HV_s of metatune's best against Optuna's best
 *   s/run         mean wall time of one run of `budget` evaluations (the functions cost nothing)
 *   load          os.loadavg() at the end: the machine may be shared, so read the times beside it
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Params } from '../../core/space.js';
import { Rng } from '../../core/rng.js';
import { type Quartiles, quartiles } from '../bench.js';
import { frontHypervolume, runFront } from '../bench-multi.js';
import { multiObjectiveFunctions } from '../functions-multi.js';
import { mannWhitney } from '../mann-whitney.js';
import { optunaFlags, runReference, seedsOf } from '../optuna-reference.js';
import { type BenchSearcherKind, benchSearcherKinds } from '../searcher-kinds.js';
import type { MultiObjectiveFunction } from '../test-function.js';

const { values: args } = parseArgs({
	options: {
		...optunaFlags,
		functions: { type: 'string', default: 'zdt1,c2dtlz2' },
		searchers: { type: 'string', default: 'tpe,gp,random' },
		samplers: { type: 'string', default: 'tpe,nsga2' },
		reply: { type: 'string' },
		'save-reply': { type: 'string' },
	},
});

const functions = args.functions.split(',').map((name) => {
	const fn = multiObjectiveFunctions.find((f) => f.name === name);
	if (fn === undefined) throw new Error(`unknown function ${name} (have ${multiObjectiveFunctions.map((f) => f.name).join(', ')})`);
	return fn;
});
const { seeds, text: seedText } = seedsOf(args);
const budget = Number(args.budget);
const searchers = args.searchers.split(',');
/** The searcher behind a `--searchers` name: a bench kind, or the tpe with one estimator per param. */
function runOurs(fn: MultiObjectiveFunction, name: string, seed: number): number {
	if (name === 'tpe-independent')
		return runFront(fn, 'tpe', seed, budget, { kind: 'tpe', seed, n_startup: 10, multivariate: false, constant_liar: true, n_ei_candidates: 24, prior_weight: 1 }).hypervolume;
	if (!(benchSearcherKinds as readonly string[]).includes(name)) throw new Error(`unknown searcher ${name}`);
	return runFront(fn, name as BenchSearcherKind, seed, budget).hypervolume;
}
const samplers = args.samplers.split(',');
const samplerLabel: Record<string, string> = { tpe: 'Optuna TPE', nsga2: 'Optuna NSGA-II' };

/** `count` uniform random points of the function's box (every param is a float here). */
function randomPoints(fn: MultiObjectiveFunction, count: number, seed: number): Params[] {
	const rng = new Rng(seed);
	return Array.from({ length: count }, () =>
		Object.fromEntries(
			Object.entries(fn.space).map(([name, p]) => {
				if (p.type !== 'float') throw new Error(`${fn.name}: ${name} is not a float param`);
				return [name, p.low + (p.high - p.low) * rng.next()];
			}),
		),
	);
}

interface Reply {
	optuna: string;
	check: Record<string, number[][]>;
	runs: { fn: string; sampler: string; seed: number; seconds: number; points: number[][] }[];
}

const check = Object.fromEntries(functions.map((fn) => [fn.name, randomPoints(fn, 5, 12345)]));
const job = { functions: functions.map((fn) => ({ name: fn.name, space: fn.space, constrained: fn.name !== 'zdt1' })), seeds, budget, samplers, check };
let reply: Reply;
if (args.reply !== undefined) reply = JSON.parse(readFileSync(args.reply, 'utf8')) as Reply;
else {
	process.stderr.write(`optuna: ${functions.length} functions x ${samplers.length} samplers x ${seeds.length} seeds x ${budget} evaluations ...\n`);
	reply = runReference('optuna_mo.py', job, args) as Reply;
	if (args['save-reply'] !== undefined) writeFileSync(args['save-reply'], `${JSON.stringify(reply)}\n`);
}

for (const fn of functions) {
	(check[fn.name] as Params[]).forEach((p, i) => {
		const { values, violation } = fn.evaluate(p);
		const theirs = reply.check[fn.name]?.[i];
		const ours = [...values, violation];
		const theirsNormalised = theirs === undefined ? undefined : [theirs[0]!, theirs[1]!, Math.max(0, theirs[2]!)];
		if (theirsNormalised === undefined || ours.some((v, k) => Math.abs(v - theirsNormalised[k]!) > 1e-9 * Math.max(1, Math.abs(v))))
			throw new Error(`${fn.name} differs between the two definitions at ${JSON.stringify(p)}: ${ours} here, ${theirs} in Python`);
	});
}
process.stderr.write(`function definitions agree (${functions.length} x 5 points)\n`);

type Summary = Quartiles;
const fmt = (s: Summary) => `${s.median.toFixed(4)} [${s.q1.toFixed(4)}, ${s.q3.toFixed(4)}]`;

interface Side {
	readonly label: string;
	readonly hvs: number[];
	readonly seconds: number;
}

const rows = functions.map((fn) => {
	const ours: Side[] = searchers.map((kind) => {
		const t0 = performance.now();
		const hvs = seeds.map((seed) => {
			process.stderr.write(`metatune ${kind} ${fn.name} seed ${seed}\n`);
			return runOurs(fn, kind, seed);
		});
		return { label: `metatune ${kind}`, hvs, seconds: (performance.now() - t0) / 1000 / Math.max(1, seeds.length) };
	});
	const theirs: Side[] = samplers.map((kind) => {
		const runs = seeds.map((seed) => {
			const run = reply.runs.find((r) => r.fn === fn.name && r.sampler === kind && r.seed === seed);
			if (run === undefined) throw new Error(`the reply lacks ${kind} on ${fn.name} seed ${seed}`);
			return run;
		});
		const hvs = runs.map((r) =>
			frontHypervolume(
				fn,
				r.points.map((pt) => ({ values: [pt[0]!, pt[1]!], violation: Math.max(0, pt[2]!) })),
			),
		);
		return { label: samplerLabel[kind] ?? kind, hvs, seconds: runs.reduce((a, r) => a + r.seconds, 0) / Math.max(1, runs.length) };
	});
	const best = (sides: Side[]) => sides.reduce((a, b) => (quartiles(b.hvs).median > quartiles(a.hvs).median ? b : a));
	const ourBest = best(ours);
	const theirBest = best(theirs);
	return { fn, ours, theirs, ourBest, theirBest, p: mannWhitney(ourBest.hvs, theirBest.hvs) };
});

const sides = rows[0] === undefined ? [] : [...rows[0].ours, ...rows[0].theirs].map((s) => s.label);
const lines = [
	`Hypervolume of the feasible points after ${budget} evaluations, seeds ${seedText}: median [q1, q3]; Optuna ${reply.optuna} samplers at their defaults (seed set)`,
	'',
	`| function (reference point) | ${sides.join(' | ')} | best vs best | p |`,
	`|---|${sides.map(() => '---|').join('')}---|---|`,
	...rows.map((r) => {
		const verdict = quartiles(r.ourBest.hvs).median >= quartiles(r.theirBest.hvs).median ? '>=' : '<';
		return `| ${r.fn.name} ([${r.fn.reference.join(', ')}]) | ${[...r.ours, ...r.theirs].map((s) => fmt(quartiles(s.hvs))).join(' | ')} | ${r.ourBest.label} ${verdict} ${r.theirBest.label} | ${r.p.toFixed(3)} |`;
	}),
	'',
	`Seconds per run of ${budget} evaluations (load average ${loadavg()[0]!.toFixed(2)})`,
	'',
	`| function | ${sides.join(' | ')} |`,
	`|---|${sides.map(() => '---|').join('')}`,
	...rows.map((r) => `| ${r.fn.name} | ${[...r.ours, ...r.theirs].map((s) => s.seconds.toFixed(2)).join(' | ')} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (args.json !== undefined)
	writeFileSync(
		args.json,
		`${JSON.stringify({ optuna: reply.optuna, seeds, budget, rows: rows.map((r) => ({ fn: r.fn.name, reference: r.fn.reference, sides: [...r.ours, ...r.theirs], ourBest: r.ourBest.label, theirBest: r.theirBest.label, p: r.p })) }, null, 2)}\n`,
	);
