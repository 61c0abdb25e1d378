/**
 * A bandit study whose lifetimes all end at chance says so after `run`; one whose agent learned
 * does not. The README-only study of issue 16 (1500 episodes on independent) ended like the first.
 */
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../cli-capture.js';
import { learningNotes } from '../../src/report/learning-check.js';
import { tempDir, writeStudy } from '../study/helpers.js';
import { finishedStudy } from './helpers.js';
import { parseStudyDocument } from '../../src/study/spec/spec.js';
import { loadStoredStudy } from '../../src/study/stored.js';
import { Study } from '../../src/study/study.js';

const doc = (name: string) => ({
	name,
	objective: { bandit: { task: 'independent', train_episodes: 1500 } },
	space: { lr: { type: 'float', low: 1e-3, high: 1e-1, log: true } },
	searchers: [
		{ kind: 'random', seed: 0 },
		{ kind: 'grid', points: 3 },
	],
	budget: 3,
});

test('every lifetime near the random level: a note naming the arms, the levels and the fix', async (t) => {
	const stored = await finishedStudy(doc('chance'), (p, c) => ({ lifetime_return: 49.6 + (c.seed % 100) / 100 + Number(p.lr) }));
	const notes = learningNotes(stored);
	t.is(notes.length, 1);
	t.regex(
		notes[0] ?? '',
		/^chance: every lifetime of arms random \(3, best 50\.\d\d\), grid \(3, best 50\.\d\d\) ended near the uniform random policy's lifetime_return on independent \(50\.00 per episode; optimal \d+\.\d\d\)/,
	);
	t.regex(notes[0] ?? '', /so the comparison compares noise\. Lifetimes of 1500 episodes are probably too short at these settings: raise train_episodes/);
});

test('an arm that learned gets no note; only the arm at chance is named', async (t) => {
	const learned = await finishedStudy(doc('learned'), () => ({ lifetime_return: 70 }));
	t.deepEqual(learningNotes(learned), []);
	// random stays at chance, grid learns: told by hand, per arm
	const results = tempDir('metatune-learning-');
	const study = await Study.open(parseStudyDocument(doc('mixed')), { resultsDir: results });
	try {
		for (let trial = await study.ask(); trial !== undefined; trial = await study.ask()) await study.tell(trial.number, { lifetime_return: trial.arm === 'random' ? 50.5 : 70 });
	} finally {
		study.close();
	}
	const notes = learningNotes(loadStoredStudy('mixed', { resultsDir: results }));
	t.is(notes.length, 1);
	t.regex(notes[0] ?? '', /every lifetime of arm random \(3, best 50\.50\) ended near/);
	t.false((notes[0] ?? '').includes('compares noise'), 'not every arm is at chance');
});

test('metatune run warns during the run, once, when the lifetimes of a bandit arm stay at chance', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'short',
		objective: { bandit: { task: 'independent', train_episodes: 8, eval_episodes: 4, hidden: 4, batch: 4, horizon: 20, backend: 'cpu', curve_points: 2, entropy: 0.05 } },
		space: { lr: { type: 'float', low: 1e-4, high: 2e-4 } },
		searcher: { kind: 'random', seed: 0 },
		budget: 6,
		concurrency: 1,
	});
	const ran = await runCli(['run', file, '--results', join(dir, 'results'), '--quiet']);
	t.is(ran.code, 0, ran.stderr);
	// said once, during the run, as soon as 4 lifetimes show it (so the user can stop the run)
	t.regex(
		ran.stderr,
		/metatune: warning: short: every lifetime of arm random \(4, best \d+\.\d\d\) ended near the uniform random policy's lifetime_return on independent \(10\.00 per episode.*\(the run goes on; Ctrl-C stops it\)/,
	);
	t.is(ran.stderr.match(/ended near the uniform random policy/g)?.length, 1, ran.stderr);
});
