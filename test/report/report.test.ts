import { join } from 'node:path';
import test from 'ava';
import { comparisonRows } from '../../src/report/compare.js';
import { formatComparison } from '../../src/report/compare-format.js';
import { formatExport, lifetimeRows } from '../../src/report/export.js';
import { loadStoredStudy } from '../../src/study/stored.js';
import { meanCi } from '../../src/core/stats.js';
import { studyStatus } from '../../src/report/status.js';
import { runStudy } from '../../src/study/run/runner.js';
import { parseStudyDocument } from '../../src/study/spec/spec.js';
import { Study } from '../../src/study/study.js';
import { tempDir } from '../study/helpers.js';

/** A finished two-arm study with known values: value = 10 - 10 (gamma - 0.8)^2 + (seed % 7) / 100. */
async function finished(results: string, reevaluate = 3) {
	const spec = parseStudyDocument({
		name: 'cmp',
		objective: { module: 'unused.js' },
		space: { gamma: { type: 'float', low: 0.6, high: 1 }, hidden: { type: 'fixed', value: 48 } },
		searchers: [
			{ kind: 'grid', values: { gamma: [0.6, 0.8, 1] } },
			{ kind: 'random', seed: 1 },
		],
		budget: 3,
		reevaluate,
	});
	const study = await Study.open(spec, { resultsDir: results });
	await runStudy(study, {
		concurrency: 2,
		commit: 'abc123',
		objective: (p, c) => {
			const v = 10 - 10 * (Number(p.gamma) - 0.8) ** 2 + (c.seed % 7) / 100;
			return { value: v, env_steps: 100, backend: 'cpu', curve: [1, 2, 3] };
		},
	});
	study.close();
	return loadStoredStudy('cmp', results);
}

test('meanCi uses the t quantile', (t) => {
	const ci = meanCi([1, 2, 3]);
	t.is(ci?.mean, 2);
	t.true(Math.abs((ci?.high ?? 0) - (2 + (4.303 * 1) / Math.sqrt(3))) < 1e-9);
	t.deepEqual(meanCi([5]), { mean: 5, low: 5, high: 5, n: 1 });
	t.is(meanCi([]), undefined);
});

test('comparison rows: chosen = re-evaluated configuration, reward over fresh-seed lifetimes, sums', async (t) => {
	const stored = await finished(tempDir());
	const rows = comparisonRows(stored);
	t.is(rows.length, 2);
	const grid = rows[0];
	t.is(grid?.arm, 'grid');
	t.is(grid?.chosen?.gamma, 0.8);
	t.is(grid?.chosen_text, 'gamma=0.8'); // a module objective labels no param
	t.is(grid?.reward_basis, 'reevaluation');
	t.is(grid?.reward?.n, 3);
	const reevals = stored.state.trials.filter((tr) => tr.asked.arm === 'grid' && tr.asked.purpose === 'reevaluate').map((tr) => tr.complete?.value as number);
	t.is(grid?.reward?.mean, reevals.reduce((a, b) => a + b, 0) / 3);
	t.is(grid?.lifetimes, 3);
	t.is(grid?.reevaluations, 3);
	t.is(grid?.env_steps, 600);
	const text = formatComparison(rows, 'text');
	t.regex(text.split('\n')[0] ?? '', /^Method\s+gamma\s+value \(mean, 95% CI\)\s+Best observed\s+Lifetimes\s+Env steps\s+Wall time$/);
	t.regex(text, /grid\s+gamma=0\.8\s+[\d.]+ \[[\d.]+, [\d.]+\] n=3/);
	const md = formatComparison(rows, 'markdown').split('\n');
	t.is(md.length, 4);
	t.regex(md[2] ?? '', /^\| grid \| gamma=0\.8 \|/);
	const csv = formatComparison(rows, 'csv').split('\n');
	t.is(
		csv[0],
		'study,arm,kind,role,chosen_text,chosen,metric,direction,reward_mean,reward_ci_low,reward_ci_high,reward_n,reward_basis,best_observed,lifetimes,reevaluations,failed,pruned,env_steps,wall_ms',
	);
	t.is(csv.length, 3);
	const json = JSON.parse(formatComparison(rows, 'json')) as { arm: string }[];
	t.deepEqual(
		json.map((r) => r.arm),
		['grid', 'random'],
	);
});

test('without re-evaluation the reward is marked as taken from the search lifetimes', async (t) => {
	const stored = await finished(tempDir(), 0);
	const rows = comparisonRows(stored);
	t.is(rows[0]?.reward_basis, 'search lifetimes');
	t.regex(formatComparison(rows, 'text'), /not re-evaluated/);
});

test('export: one row per lifetime with every logged field', async (t) => {
	const stored = await finished(tempDir());
	const rows = lifetimeRows(stored);
	t.is(rows.length, 12);
	t.true(rows.every((r) => r.commit === 'abc123' && r.fields.backend === 'cpu' && r.status === 'complete'));
	const csv = formatExport(rows, 'csv').split('\n');
	t.is(csv.length, 13);
	const header = csv[0]?.split(',') ?? [];
	for (const col of ['trial', 'arm', 'searcher', 'purpose', 'seed', 'param.gamma', 'param.hidden', 'value', 'env_steps', 'backend', 'curve', 'commit', 'wall_ms']) t.true(header.includes(col), col);
	t.regex(csv[1] ?? '', /"\[1,2,3\]"/);
	const json = JSON.parse(formatExport(rows, 'json')) as { params: { gamma: number } }[];
	t.is(json.length, 12);
	t.is(typeof json[0]?.params.gamma, 'number');
});

test('status names progress, best and failures; a study is found by name, folder or journal', async (t) => {
	const results = tempDir();
	const stored = await finished(results);
	const text = studyStatus(stored);
	t.regex(text, /12\/12 lifetimes ended \(complete\)/);
	t.regex(text, /grid\s+grid\s+6\/6\s+0\s+\S+ \(gamma=0\.8, hidden=48\)/);
	t.is(loadStoredStudy(join(results, 'cmp')).spec.name, 'cmp');
	t.is(loadStoredStudy(join(results, 'cmp', 'journal.jsonl')).spec.name, 'cmp');
	t.throws(() => loadStoredStudy('nope', results), { message: /no journal/ });
});

test('meta-gradient arms: own budget, no re-evaluation, the table reports the mean final discount and all their lifetimes', async (t) => {
	const results = tempDir();
	const spec = parseStudyDocument({
		name: 'meta',
		objective: { bandit: {} }, // metagradient arms need the bandit objective; the runner below is given its own
		space: { gamma: { type: 'float', low: 0.1, high: 0.99 } },
		searchers: [
			{ kind: 'grid', values: { gamma: [0.5, 0.9] } },
			{ kind: 'metagradient', name: 'mg', gamma0: 0.3, budget: 3 },
		],
		budget: 2,
		reevaluate: 2,
	});
	t.is(spec.arms[1]?.budget, 3);
	const study = await Study.open(spec, { resultsDir: results });
	const seen: { gamma0: unknown; kind: string | undefined }[] = [];
	await runStudy(study, {
		concurrency: 2,
		objective: (p, c) => {
			seen.push({ gamma0: p.gamma, kind: c.tuning?.kind });
			// a stand-in for a meta-gradient lifetime: the final discount depends on the seed
			const final = c.tuning?.kind === 'metagradient' ? 0.8 + (c.seed % 10) / 100 : undefined;
			return { value: 5 + (c.seed % 3), lifetime_return: 5 + (c.seed % 3), env_steps: 10, ...(final === undefined ? {} : { final_gamma: final }) };
		},
	});
	study.close();
	const stored = loadStoredStudy('meta', results);
	const mgTrials = stored.state.trials.filter((tr) => tr?.asked.arm === 'mg');
	t.is(mgTrials.length, 3, 'the arm budget, and no re-evaluation');
	t.true(mgTrials.every((tr) => tr?.asked.purpose === 'search' && tr.asked.params.gamma === 0.3));
	t.is(stored.state.trials.filter((tr) => tr?.asked.arm === 'grid').length, 2 + 2);
	t.true(seen.filter((s) => s.kind === 'metagradient').length === 3);
	const mg = comparisonRows(stored).find((r) => r.arm === 'mg');
	const finals = mgTrials.map((tr) => tr?.complete?.fields.final_gamma as number);
	const mean = finals.reduce((a, b) => a + b, 0) / 3;
	t.is(mg?.chosen_basis, 'tuned (final)');
	t.true(Math.abs((mg?.tuned_final?.gamma?.mean ?? 0) - mean) < 1e-12);
	t.is(mg?.reward_basis, 'tuner lifetimes');
	t.is(mg?.reward?.n, 3);
	t.is(mg?.lifetimes, 3);
	t.regex(mg?.chosen_text ?? '', /^0\.8\d* \[[\d.]+, [\d.]+\] \(final\)$/);
});
