import test from 'ava';
import { type EvaluationRow, formatEvaluationTable, halfWidth95 } from '../../src/cli/agent-eval.js';

const row = (episodes: number): EvaluationRow => ({ kind: 'agent', policy: 'agent', episodes, ret: { mean: 10, std: 2 }, regret: { mean: 1, std: 1 } });

test("intervals are Student t's on few episodes and close to the normal's on many", (t) => {
	t.true(Math.abs(halfWidth95({ mean: 0, std: 1 }, 3) - 4.303 / Math.sqrt(3)) < 1e-12);
	t.true(Math.abs(halfWidth95({ mean: 0, std: 1 }, 11) - 2.228 / Math.sqrt(11)) < 1e-12);
	t.true(Math.abs(halfWidth95({ mean: 0, std: 1 }, 2000) - 1.96 / Math.sqrt(2000)) < 1e-12);
	const table = formatEvaluationTable([row(3)]);
	// 4.303 * 2 / sqrt(3) = 4.97; the normal 1.96 would give 2.26
	t.regex(table, /10\.00 ± 4\.97/);
	t.regex(table, /1\.00 ± 2\.48/);
});

test('the exact Bayes-optimal regret is printed for the two-armed tasks', (t) => {
	t.regex(formatEvaluationTable([row(10)], 'dependent-easy', 100), /exact by dynamic programming over the posterior: 0\.625$/);
	t.regex(formatEvaluationTable([row(10)], 'independent', 100), /exact by dynamic programming over the posterior: 1\.748$/);
	t.notRegex(formatEvaluationTable([row(10)], 'eleven-armed', 5), /dynamic programming/);
});
