/**
 * The GP's kernel fits are recorded with the trials whose proposals needed them (asked records'
 * `fits`), and a resumed study hands them back to its searcher: its first ask reads the earlier
 * fits instead of recomputing the chain of them, records what the uninterrupted study recorded, and
 * proposes what it proposed. The report's model of a gp arm reads them too. Serial: the tests count
 * the process's kernel fits.
 */
import { join } from 'node:path';
import test from 'ava';
import { clearFitCache, fitCount } from '../../../searchers/gp/model.js';
import { fitGp } from '../../../src/report/plots/gp-posterior.js';
import { type AskedRecord, readJournal } from '../../../src/study/journal/journal.js';
import { StudyState } from '../../../src/study/journal/state.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudySpec } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';
import { tempDir } from '../helpers.js';

const spec = (budget: number) =>
	parseStudySpec({
		name: 'gp-fits',
		space: { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'gp', seed: 3 },
		budget,
	});
const objective = (p: Record<string, unknown>) => (Number(p.x) - 0.3) ** 2 + (Number(p.y) - 0.6) ** 2;
const askedOf = (path: string) => readJournal(path).filter((r): r is AskedRecord => r.type === 'asked');

test.serial('a resumed gp study reads its recorded kernel fits: one fit for its new refit point, the same proposal and records as without the restart', async (t) => {
	const dir = tempDir();
	const whole = await Study.open(spec(31), { resultsDir: join(dir, 'whole') });
	await runStudy(whole, { objective, concurrency: 1 });
	whole.close();
	const wholeAsked = askedOf(whole.journalPath);

	const part = await Study.open(spec(30), { resultsDir: join(dir, 'part') });
	await runStudy(part, { objective, concurrency: 1 });
	part.close();
	const partAsked = askedOf(part.journalPath);
	t.deepEqual(
		partAsked,
		wholeAsked.slice(0, 30).map((r, i) => ({ ...r, at: partAsked[i]?.at, owner: partAsked[i]?.owner })),
	);
	// 2 dims: 10 quasi-random start-up points, then a fit at every c from 10 on (anchors 4 and 8 with the first)
	t.deepEqual(
		partAsked.map((r) => r.fits?.length ?? 0),
		[...Array(10).fill(0), 3, ...Array(19).fill(1)],
	);

	// a fresh process: no fit in memory; the study is reopened with a budget of 31 and asked for trial 30
	clearFitCache();
	const resumed = await Study.open(spec(31), { resultsDir: join(dir, 'part') });
	const before = fitCount();
	const trial = await resumed.ask();
	t.is(fitCount() - before, 1, 'only the fit at c = 30 (a new refit point) runs: its anchor, 16, is read from the journal');
	resumed.close();
	t.deepEqual(trial?.params, wholeAsked[30]?.params);
	t.deepEqual(askedOf(part.journalPath)[30]?.fits, wholeAsked[30]?.fits, 'the resumed process records what the uninterrupted one did');

	// every recorded fit: a 128-bit key and the d + 2 kernel parameters (2 lengthscales, scale, noise)
	t.true(wholeAsked.slice(10).every((r) => r.fits?.every((f) => /^[0-9a-f]{32}$/.test(f.key) && f.theta.length === 4)));
});
test.serial("the report rebuilds a gp arm's model on its recorded fits: one kernel fit instead of the chain", async (t) => {
	const dir = tempDir();
	const study = await Study.open(spec(24), { resultsDir: dir });
	await runStudy(study, { objective, concurrency: 1 });
	study.close();
	const state = new StudyState();
	state.apply(readJournal(study.journalPath));
	const arm = study.spec.arms[0]?.name as string;
	const data = state.trials.flatMap((tr) => (tr.complete === undefined ? [] : [{ params: tr.asked.params, value: tr.complete.value }]));
	clearFitCache();
	const before = fitCount();
	const read = fitGp(study.spec.space, study.spec.direction, data, 3, state.fits(arm));
	// no ask saw 24 observations, so the fit at 24 runs, warm-started from the recorded anchor 16
	t.is(fitCount() - before, 1);
	clearFitCache();
	const fitted = fitGp(study.spec.space, study.spec.direction, data);
	t.is(fitCount() - before, 1 + 4, 'without the records: 24 and its anchors 16, 8, 4');
	const x = new Float64Array([0.25, 0.5]);
	t.deepEqual(read?.predict(x), fitted?.predict(x), 'the same model either way');
});
