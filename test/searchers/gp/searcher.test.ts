import test from 'ava';
import { branin } from '../../../src/bench/functions.js';
import { GpSearcher, defaultStartup } from '../../../searchers/gp/searcher.js';
import type { SearcherTrial } from '../../../searchers/searcher.js';
import { NumericalError } from '../../../src/core/errors.js';
import { Rng } from '../../../src/core/rng.js';

const gp = (seed = 0, n_startup?: number) => new GpSearcher({ kind: 'gp', seed, acquisition: 'log_ei', ucb_beta: 2, ...(n_startup === undefined ? {} : { n_startup }) });

/** A sequential run to `budget` trials; `recorded`, when given, is handed to every ask and collects the fits the proposals record (as the journal does). */
function run(searcher: GpSearcher, budget: number, direction: 'minimize' | 'maximize' = 'minimize', recorded?: Map<string, readonly number[]>): SearcherTrial[] {
	const trials: SearcherTrial[] = [];
	while (trials.length < budget) {
		const r = searcher.ask({ space: branin.space, direction, trials, n: 1, ...(recorded === undefined ? {} : { fits: new Map(recorded) }) });
		if (r.kind !== 'proposals') throw new Error('exhausted');
		for (const fit of r.proposals[0]!.fits ?? []) recorded?.set(fit.key, fit.theta);
		const v = branin.evaluate(r.proposals[0]!.params);
		trials.push({ number: trials.length, params: r.proposals[0]!.params, status: 'complete', value: direction === 'minimize' ? v : -v });
	}
	return trials;
}

test('gp: start-up default is max(10, 2 d)', (t) => {
	t.is(defaultStartup(2), 10);
	t.is(defaultStartup(8), 16);
});

test('gp: beats the start-up design quickly on Branin, either direction', (t) => {
	for (const direction of ['minimize', 'maximize'] as const) {
		const trials = run(gp(4), 30, direction);
		const sign = direction === 'minimize' ? 1 : -1;
		const best = Math.min(...trials.map((tr) => sign * tr.value!));
		t.true(best - branin.minimum < 0.01, `${direction}: regret ${best - branin.minimum}`);
	}
});

test('gp: k running trials get k distinct, spread-out proposals (fantasies)', (t) => {
	const trials = run(gp(1), 12);
	const running: SearcherTrial[] = [...trials, { number: 12, params: { x1: Math.PI, x2: 2.275 }, status: 'running' }];
	const r = gp(1).ask({ space: branin.space, direction: 'minimize', trials: running, n: 4 });
	if (r.kind !== 'proposals') return t.fail();
	const pts = [...r.proposals.map((p) => p.params), { x1: Math.PI, x2: 2.275 }].map((p) => [((p.x1 as number) + 5) / 15, (p.x2 as number) / 15]);
	for (let i = 0; i < pts.length; i++)
		for (let j = 0; j < i; j++) {
			const dist = Math.hypot(pts[i]![0]! - pts[j]![0]!, pts[i]![1]! - pts[j]![1]!);
			t.true(dist > 1e-3, `proposals ${i} and ${j} only ${dist} apart`);
		}
});

test('gp: recommend is the evaluated point with the best posterior mean, not the luckiest observation', (t) => {
	// Noisy observations: around x = 0.7 values are ~1.0 (six evaluations); around x = 0.2 they are ~2.0
	// but one lucky draw gave 0.8, the lowest observation.
	const space = { x: { type: 'float', low: 0, high: 1 } } as const;
	const rng = new Rng(5);
	const trials: SearcherTrial[] = [];
	const add = (x: number, value: number) => trials.push({ number: trials.length, params: { x }, status: 'complete', value });
	for (let i = 0; i < 6; i++) add(0.7 + 0.01 * (i - 2.5), 1 + 0.15 * rng.normal());
	for (let i = 0; i < 6; i++) add(0.2 + 0.01 * (i - 2.5), i === 3 ? 0.8 : 2 + 0.15 * rng.normal());
	for (const x of [0, 0.45, 0.95]) add(x, 3);
	const lucky = trials.reduce((a, b) => (b.value! < a.value! ? b : a));
	t.true(Math.abs((lucky.params.x as number) - 0.2) < 0.05);
	const rec = gp().recommend({ space, direction: 'minimize', trials });
	t.is(rec?.basis, 'best posterior mean');
	t.true(Math.abs((rec!.params.x as number) - 0.7) < 0.05, `recommended x = ${String(rec?.params.x)}`);
});

test('gp: start-up points are quasi-random and a failed trial does not stop the search', (t) => {
	const s = gp(2, 5);
	const trials: SearcherTrial[] = [];
	for (let i = 0; i < 8; i++) {
		const r = s.ask({ space: branin.space, direction: 'minimize', trials, n: 1 });
		if (r.kind !== 'proposals') return t.fail();
		const p = r.proposals[0]!;
		t.is(p.note, undefined);
		trials.push(i === 2 ? { number: i, params: p.params, status: 'failed' } : { number: i, params: p.params, status: 'complete', value: branin.evaluate(p.params) });
	}
	const xs = trials.slice(0, 5).map((tr) => tr.params.x1 as number);
	t.is(new Set(xs).size, 5);
});

test('gp: a fresh process (empty fit cache) proposes exactly what the running one did', async (t) => {
	const { clearFitCache } = await import('../../../searchers/gp/model.js');
	const trials = run(gp(6), 22);
	const warm = gp(6).ask({ space: branin.space, direction: 'minimize', trials, n: 2 });
	clearFitCache();
	const cold = gp(6).ask({ space: branin.space, direction: 'minimize', trials, n: 2 });
	t.deepEqual(cold, warm);
});

test('gp: a fresh process given the recorded fits runs no kernel fit and proposes exactly what the running one did', async (t) => {
	const { clearFitCache, fitCount } = await import('../../../searchers/gp/model.js');
	const recorded = new Map<string, readonly number[]>();
	const trials = run(gp(6), 80, 'minimize', recorded);
	// anchors 4 and 8, every c from 10 (the first model-based ask) to 64, then 71 and 79: each once
	t.is(recorded.size, 2 + 55 + 2);
	const request = { space: branin.space, direction: 'minimize' as const, trials, n: 2, fits: new Map(recorded) };
	const warm = gp(6).ask(request);
	clearFitCache();
	const before = fitCount();
	const cold = gp(6).ask(request);
	t.is(fitCount() - before, 0, 'the fit at refit point 79 is read, not recomputed');
	t.deepEqual(cold, warm);
	if (cold.kind !== 'proposals') return t.fail('exhausted');
	t.true(
		cold.proposals.every((p) => p.fits === undefined),
		'nothing new to record',
	);
	clearFitCache();
	const unrecorded = gp(6).ask({ ...request, fits: new Map() });
	t.is(fitCount() - before, 6, 'without records: the fit at 79 and its anchors 64, 32, 16, 8, 4');
	if (unrecorded.kind !== 'proposals') return t.fail('exhausted');
	t.deepEqual(
		unrecorded.proposals.map((p) => p.params),
		cold.proposals.map((p) => p.params),
	);
	t.is(unrecorded.proposals[0]?.fits?.length, 6, 'the six fits it ran, to record');
	t.deepEqual(
		unrecorded.proposals[0]?.fits?.map((f) => recorded.get(f.key)),
		unrecorded.proposals[0]?.fits?.map((f) => f.theta),
		'the same keys and parameters the running process recorded',
	);
});

test('gp: when the model fit fails it falls back to a quasi-random point and says so in the note', (t) => {
	const failing = () => {
		throw new NumericalError('Cholesky failed even with jitter 1e-2');
	};
	const history = run(gp(3, 5), 8);
	const searcher = new GpSearcher({ kind: 'gp', seed: 3, acquisition: 'log_ei', ucb_beta: 2, n_startup: 5 }, failing);
	const ask = () => searcher.ask({ space: branin.space, direction: 'minimize', trials: history, n: 2 });
	const r = ask();
	if (r.kind !== 'proposals') return t.fail('exhausted');
	t.is(r.proposals.length, 2);
	const seen = new Set(history.map((tr) => JSON.stringify(tr.params)));
	for (const p of r.proposals) {
		t.regex(p.note ?? '', /model fit failed \(Cholesky failed even with jitter 1e-2\); quasi-random point instead/);
		const { x1, x2 } = p.params as { x1: number; x2: number };
		t.true(x1 >= -5 && x1 <= 10 && x2 >= 0 && x2 <= 15, JSON.stringify(p.params));
		t.false(seen.has(JSON.stringify(p.params)), 'not a duplicate of an evaluated point');
		seen.add(JSON.stringify(p.params));
	}
	t.deepEqual(ask(), r, 'deterministic');
	// Other errors are not swallowed.
	const broken = new GpSearcher({ kind: 'gp', seed: 3, acquisition: 'log_ei', ucb_beta: 2, n_startup: 5 }, () => {
		throw new TypeError('a bug');
	});
	t.throws(() => broken.ask({ space: branin.space, direction: 'minimize', trials: history, n: 1 }), { instanceOf: TypeError });
});
