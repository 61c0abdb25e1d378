/**
 * metatune's tpe against Optuna 4.6's TPESampler on the same test functions, seeds and budget, and the
 * time per suggestion of both at a large history. Optuna runs from its source tree through
 * src/bench/reference/optuna_tpe.py (one JSON job on stdin), with the search spaces sent from here;
 * before anything runs, Python evaluates a few random points of each function and the values must
 * equal ours (the two sides define the functions separately), and Optuna's Parzen estimator and ours,
 * given the same observations, must give the same log densities.
 *
 *   git -C <optuna clone> archive v4.6.0 optuna | tar -x -C /tmp/optuna-4.6
 *   npx tsx src/bench/scripts/optuna-tpe.ts --optuna /tmp/optuna-4.6 [--seeds 30] [--first-seed 0]
 *     [--budget 100] [--functions branin,hartmann6,conditional,styblinski_tang20]
 *     [--speed-functions hartmann6,styblinski_tang20,conditional] [--speed-trials 1000] [--asks 20]
 *     [--python /usr/bin/python3] [--json out.json]
 *
 * Notation
 *   regret_s      best value of the run with seed s - the known minimum (`bench searchers`' runOnce)
 *   med [q1, q3]  median and quartiles of regret_s over the seeds
 *   ms/ask        mean wall (and CPU) time of one suggestion with `--speed-trials` complete trials in
 *                 the history (uniform random points, the same ones on both sides), after 3 untimed
 *                 asks: our ask(n = 1); for Optuna, study.ask() plus the suggest calls (where its
 *                 sampler runs)
 *   p             two-sided Mann-Whitney U test of the two samples of regrets (normal approximation,
 *                 average ranks for ties): how likely a difference in location this large is by chance
 *   diff [lo, hi] median(metatune regrets) - median(Optuna regrets), and its 95% percentile bootstrap
 *                 interval: each side's regrets resampled with replacement (the two runs of a seed
 *                 share no randomness, so the samples are treated as independent), 10,000 times, Rng(0)
 *   load          os.loadavg() at the end: the machine may be shared, so read the figures beside it
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { quantile } from 'simple-statistics';
import { activationOrder } from '../../core/conditions.js';
import { Rng } from '../../core/rng.js';
import type { Params, Space } from '../../core/space.js';
import type { SearcherTrial } from '../../../searchers/searcher.js';
import { toInternal, tpeSpace } from '../../../searchers/tpe/groups.js';
import { Parzen } from '../../../searchers/tpe/parzen.js';
import { TpeSearcher } from '../../../searchers/tpe/searcher.js';
import { observationWeights } from '../../../searchers/tpe/split.js';
import { type Quartiles, quartiles, runOnce } from '../bench.js';
import { mannWhitney } from '../mann-whitney.js';
import { optunaFlags, runReference, seedsOf } from '../optuna-reference.js';
import { builtinFunctions, type TestFunction } from '../functions.js';

const { values: args } = parseArgs({
	options: {
		...optunaFlags,
		functions: { type: 'string', default: 'branin,hartmann6,conditional,styblinski_tang20' },
		'speed-functions': { type: 'string', default: 'hartmann6,styblinski_tang20,conditional' },
		'speed-trials': { type: 'string', default: '1000' },
		asks: { type: 'string', default: '20' },
	},
});

const byName = (name: string): TestFunction => {
	const fn = builtinFunctions.find((f) => f.name === name);
	if (fn === undefined) throw new Error(`unknown function ${name} (have ${builtinFunctions.map((f) => f.name).join(', ')})`);
	return fn;
};
const functions = args.functions.split(',').map(byName);
const speedFunctions = args['speed-functions']
	.split(',')
	.filter((s) => s !== '')
	.map(byName);
const { seeds, text: seedText } = seedsOf(args);
const budget = Number(args.budget);
const speedTrials = Number(args['speed-trials']);
const asks = Number(args.asks);

/** `count` uniform random configurations of the function's space (the tpe's start-up draws: conditions respected). */
function randomPoints(fn: TestFunction, count: number, seed: number): Params[] {
	const searcher = new TpeSearcher({ kind: 'tpe', seed, n_startup: Number.MAX_SAFE_INTEGER, multivariate: true, constant_liar: false, n_ei_candidates: 24, prior_weight: 1 });
	const result = searcher.ask({ space: fn.space, direction: 'minimize', trials: [], n: count });
	if (result.kind !== 'proposals') throw new Error('unexpected exhausted');
	return result.proposals.map((p) => p.params);
}

/**
 * The estimator check: our Parzen estimator and Optuna's `_ParzenEstimator` on the same 40 observations
 * of a mixed space (float, log float, int with a step, categorical), their log densities at 20 points.
 */
const estimatorSpace: Space = {
	x: { type: 'float', low: -2, high: 3 },
	lr: { type: 'float', low: 1e-4, high: 1e-1, log: true },
	k: { type: 'int', low: 2, high: 10, step: 2 },
	c: { type: 'categorical', choices: ['a', 'b', 'c'] },
};
const estimatorDims = tpeSpace(estimatorSpace, true).groups[0]!;
const estimatorObs = randomPoints({ name: 'estimator', space: estimatorSpace, evaluate: () => 0, minimum: 0 }, 40, 31);
const estimatorPts = randomPoints({ name: 'estimator', space: estimatorSpace, evaluate: () => 0, minimum: 0 }, 20, 32);
/** Rows in our estimator's coordinates (log value for log params) or Optuna's (the value; it takes the log itself); a choice's index in both. */
const estimatorRows = (points: readonly Params[], ours: boolean): number[][] =>
	points.map((p) => estimatorDims.map((dim) => (ours || dim.kind === 'categorical' ? (toInternal(dim, p[dim.name]) as number) : (p[dim.name] as number))));

const wire = (fn: TestFunction) => ({ name: fn.name, space: fn.space, order: activationOrder(fn.space) });

/** Mean wall and CPU ms of `asks` asks of our tpe with `trials` complete random trials in the history. */
function ourSpeed(fn: TestFunction, history: readonly [Params, number][]): { wall: number; cpu: number } {
	const trials: SearcherTrial[] = history.map(([params, value], i) => ({ number: i, params, status: 'complete', value }));
	let wall = 0;
	let cpu = 0;
	// untimed asks first (as on the Python side): JIT compilation is not a suggestion's cost
	for (let k = 0; k < 3; k++)
		new TpeSearcher({ kind: 'tpe', seed: 1000 + k, n_startup: 10, multivariate: true, constant_liar: true, n_ei_candidates: 24, prior_weight: 1 }).ask({
			space: fn.space,
			direction: 'minimize',
			trials,
			n: 1,
		});
	for (let k = 0; k < asks; k++) {
		const searcher = new TpeSearcher({ kind: 'tpe', seed: k, n_startup: 10, multivariate: true, constant_liar: true, n_ei_candidates: 24, prior_weight: 1 });
		const t0 = performance.now();
		const c0 = process.cpuUsage();
		searcher.ask({ space: fn.space, direction: 'minimize', trials, n: 1 });
		const used = process.cpuUsage(c0);
		wall += performance.now() - t0;
		cpu += (used.user + used.system) / 1000;
	}
	return { wall: wall / asks, cpu: cpu / asks };
}

const check = Object.fromEntries(functions.map((fn) => [fn.name, randomPoints(fn, 5, 12345)]));
const histories = speedFunctions.map((fn) => randomPoints(fn, speedTrials, 777).map((p): [Params, number] => [p, fn.evaluate(p)]));
const job = {
	functions: functions.map(wire),
	seeds,
	budget,
	check,
	estimator: { space: estimatorSpace, observations: estimatorRows(estimatorObs, false), points: estimatorRows(estimatorPts, false) },
	speed: speedFunctions.map((fn, i) => ({ fn: wire(fn), trials: histories[i], asks })),
};

process.stderr.write(`optuna: ${functions.length} functions x ${seeds.length} seeds x ${budget} evaluations ...\n`);
const reply = runReference('optuna_tpe.py', job, args) as {
	optuna: string;
	check: Record<string, number[]>;
	estimator: number[];
	runs: { fn: string; seed: number; best: number }[];
	speed: { function: string; trials: number; asks: number; ms_per_ask: number; cpu_ms_per_ask: number }[];
};

for (const fn of functions) {
	(check[fn.name] as Params[]).forEach((p, i) => {
		const ours = fn.evaluate(p);
		const theirs = reply.check[fn.name]?.[i];
		if (theirs === undefined || Math.abs(ours - theirs) > 1e-9 * Math.max(1, Math.abs(ours)))
			throw new Error(`${fn.name} differs between the two definitions at ${JSON.stringify(p)}: ${ours} here, ${theirs} in Python`);
	});
}
const ourEstimator = new Parzen(estimatorDims, Float64Array.from(estimatorRows(estimatorObs, true).flat()), observationWeights(estimatorObs.length), { priorWeight: 1, multivariate: true });
const ourLogPdf = ourEstimator.logPdf(Float64Array.from(estimatorRows(estimatorPts, true).flat()), estimatorPts.length);
const estimatorGap = Math.max(...reply.estimator.map((v, i) => Math.abs(v - ourLogPdf[i]!)));
if (!(estimatorGap < 1e-9)) throw new Error(`the Parzen estimators differ: log densities up to ${estimatorGap} apart`);
process.stderr.write(
	`function definitions agree (${functions.length} x 5 points); the Parzen estimators' log densities agree to ${estimatorGap.toExponential(1)} (40 observations, 20 points)\nmetatune tpe ...\n`,
);

/** The median difference a - b and its 95% percentile bootstrap interval (independent resampling of each side). */
function medianDifference(a: readonly number[], b: readonly number[]): { diff: number; lo: number; hi: number } {
	const rng = new Rng(0);
	const resample = (xs: readonly number[]) => Array.from({ length: xs.length }, () => xs[rng.int(xs.length)]!);
	const diffs = Array.from({ length: 10_000 }, () => quantile(resample(a), 0.5) - quantile(resample(b), 0.5)).sort((x, y) => x - y);
	return { diff: quantile([...a], 0.5) - quantile([...b], 0.5), lo: quantile(diffs, 0.025), hi: quantile(diffs, 0.975) };
}

const ours = functions.map((fn) => seeds.map((seed) => runOnce(fn, 'tpe', seed, budget)));
const fmt = (s: Quartiles) => `${s.median.toExponential(2)} [${s.q1.toExponential(2)}, ${s.q3.toExponential(2)}]`;
const rows =
	seeds.length === 0
		? []
		: functions.map((fn, f) => {
				const mine = quartiles(ours[f]!.map((r) => r.regret));
				const theirs = quartiles(reply.runs.filter((r) => r.fn === fn.name).map((r) => Math.max(0, r.best - fn.minimum)));
				const theirRegrets = reply.runs.filter((r) => r.fn === fn.name).map((r) => Math.max(0, r.best - fn.minimum));
				const p = mannWhitney(
					ours[f]!.map((r) => r.regret),
					theirRegrets,
				);
				const difference = medianDifference(
					ours[f]!.map((r) => r.regret),
					theirRegrets,
				);
				return { fn: fn.name, tpe: mine, optuna: theirs, p, difference, verdict: mine.median <= theirs.median ? 'tpe <= optuna' : 'tpe > optuna' };
			});
const speed = speedFunctions.map((fn, i) => {
	const ours = ourSpeed(fn, histories[i]!);
	return { fn: fn.name, trials: speedTrials, tpeMs: ours.wall, tpeCpuMs: ours.cpu, optunaMs: reply.speed[i]!.ms_per_ask, optunaCpuMs: reply.speed[i]!.cpu_ms_per_ask };
});

const lines = [
	`Regret after ${budget} evaluations, seeds ${seedText}: median [q1, q3]; metatune tpe vs Optuna ${reply.optuna} TPESampler(multivariate=True, group=True where conditional)`,
	'',
	'| function | metatune tpe | Optuna TPE | median | p | median difference [95% bootstrap] |',
	'|---|---|---|---|---|---|',
	...rows.map(
		(r) =>
			`| ${r.fn} | ${fmt(r.tpe)} | ${fmt(r.optuna)} | ${r.verdict} | ${r.p.toFixed(2)} | ${r.difference.diff.toExponential(2)} [${r.difference.lo.toExponential(2)}, ${r.difference.hi.toExponential(2)}] |`,
	),
	'',
	`Time per suggestion with ${speedTrials} complete trials (mean of ${asks} asks; load average ${loadavg()[0]!.toFixed(2)})`,
	'',
	'| function | metatune tpe ms (CPU ms) | Optuna ms (CPU ms) |',
	'|---|---|---|',
	...speed.map((s) => `| ${s.fn} | ${s.tpeMs.toFixed(2)} (${s.tpeCpuMs.toFixed(2)}) | ${s.optunaMs.toFixed(2)} (${s.optunaCpuMs.toFixed(2)}) |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
if (args.json !== undefined)
	writeFileSync(
		args.json,
		`${JSON.stringify({ optuna: reply.optuna, seeds, budget, rows, speed, runs: { ours: ours.map((rs, f) => ({ fn: functions[f]!.name, regrets: rs.map((r) => r.regret) })), optuna: reply.runs } }, null, 2)}\n`,
	);
