import test from 'ava';
import { logNormCdf, normCdf } from '../../../searchers/gp/acquisition.js';
import { logFeasible } from '../../../searchers/gp/feasibility.js';
import { GpSearcher } from '../../../searchers/gp/searcher.js';
import type { SearcherTrial } from '../../../searchers/searcher.js';
import type { Params, Space } from '../../../src/core/space.js';

const gp = (seed: number) => new GpSearcher({ kind: 'gp', seed, acquisition: 'log_ei', ucb_beta: 2 });
const space: Space = { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } };
/** Toy constrained problem: the unconstrained minimum (0.9, 0.9) is infeasible; under x + y <= 1 the minimum is (0.5, 0.5). */
const loss = (p: Params) => (Number(p.x) - 0.9) ** 2 + (Number(p.y) - 0.9) ** 2;
const violation = (p: Params) => Math.max(0, Number(p.x) + Number(p.y) - 1);

/** A sequential run; `constrained: false` hides the violations and the infeasible trials from the searcher. */
function run(seed: number, budget: number, constrained: boolean, recorded?: Map<string, readonly number[]>): { trials: SearcherTrial[]; proposed: Params[] } {
	const trials: SearcherTrial[] = [];
	const proposed: Params[] = [];
	while (proposed.length < budget) {
		const seen = constrained ? trials : trials.filter((tr) => tr.violation === undefined);
		const r = gp(seed).ask({ space, direction: 'minimize', trials: seen, n: 1, ...(recorded === undefined ? {} : { fits: new Map(recorded) }) });
		if (r.kind !== 'proposals') throw new Error('exhausted');
		const p = r.proposals[0]!;
		for (const fit of p.fits ?? []) recorded?.set(fit.key, fit.theta);
		proposed.push(p.params);
		const v = violation(p.params);
		trials.push({ number: trials.length, params: p.params, status: 'complete', value: loss(p.params), ...(v > 0 ? { violation: v } : {}) });
	}
	return { trials, proposed };
}

test('feasibility: log Phi and its derivative, into the far lower tail', (t) => {
	for (const z of [-60, -12, -3.5, -2.9, -1, 0, 1.5, 4]) {
		const { value, dz } = logNormCdf(z);
		if (z > -30) t.true(Math.abs(Math.exp(value) - normCdf(z)) <= 1e-12 * normCdf(z) + 1e-300, `value at ${z}`);
		t.true(Number.isFinite(value) && Number.isFinite(dz), `finite at ${z}`);
		const h = 1e-6;
		const numeric = (logNormCdf(z + h).value - logNormCdf(z - h).value) / (2 * h);
		t.true(Math.abs(numeric - dz) < 1e-5 * Math.max(1, Math.abs(dz)), `derivative at ${z}: ${numeric} vs ${dz}`);
	}
	const out = { dMu: 0, dS2: 0 };
	const base = logFeasible(0.3, -0.2, 0.5, out);
	const h = 1e-6;
	t.true(Math.abs((logFeasible(0.3, -0.2 + h, 0.5, { dMu: 0, dS2: 0 }) - base) / h - out.dMu) < 1e-4);
	t.true(Math.abs((logFeasible(0.3, -0.2, 0.5 + h, { dMu: 0, dS2: 0 }) - base) / h - out.dS2) < 1e-4);
});

test('feasibility: the model-based proposals stay in the feasible region; the same GP without the violation model leaves it', (t) => {
	let inside = 0;
	let insideBlind = 0;
	let total = 0;
	for (const seed of [1, 2, 3]) {
		const startup = 10;
		const withModel = run(seed, 22, true).proposed.slice(startup);
		const blind = run(seed, 22, false).proposed.slice(startup);
		total += withModel.length;
		inside += withModel.filter((p) => violation(p) <= 1e-9).length;
		insideBlind += blind.filter((p) => violation(p) <= 1e-9).length;
	}
	t.log(inside, insideBlind, total);
	t.true(inside >= 0.8 * total, `feasible model-based proposals with the violation GP: ${inside} of ${total}`);
	t.true(insideBlind <= 0.5 * total, `without it: ${insideBlind} of ${total}`);
});

test('feasibility: a fresh process given the recorded fits (violation GP included) runs no fit and proposes the same', async (t) => {
	const { clearFitCache, fitCount } = await import('../../../searchers/gp/model.js');
	const recorded = new Map<string, readonly number[]>();
	const { trials } = run(4, 20, true, recorded);
	t.true(
		trials.slice(0, 19).some((tr) => tr.violation !== undefined),
		'some trials were infeasible',
	);
	// the last ask of the run saw the first 19 trials: its fits are recorded
	const request = { space, direction: 'minimize' as const, trials: trials.slice(0, 19), n: 2, fits: new Map(recorded) };
	const warm = gp(4).ask(request);
	clearFitCache();
	const before = fitCount();
	const cold = gp(4).ask(request);
	t.is(fitCount() - before, 0, 'both fits read from the records');
	t.deepEqual(cold, warm);
	clearFitCache();
	const unrecorded = gp(4).ask({ ...request, fits: new Map() });
	if (unrecorded.kind !== 'proposals') return t.fail('exhausted');
	const keys = unrecorded.proposals.flatMap((p) => p.fits ?? []).map((f) => f.key);
	t.is(new Set(keys).size, keys.length, 'the objective and violation fits have distinct keys');
	t.true(keys.length >= 2, `both models' fits to record: ${keys.length}`);
	t.true(
		keys.every((k) => recorded.has(k)),
		'the running process recorded the same keys',
	);
});
