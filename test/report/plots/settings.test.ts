import test from 'ava';
import { progressText, settingsRows } from '../../../src/report/plots/settings.js';
import { studyProgress } from '../../../src/study/view.js';
import { tempDir } from '../../study/helpers.js';
import { interruptedStudy, signatureStudy } from './fixtures.js';

test('a finished study is complete; its settings name task, space, methods, seeds, backend and commit', async (t) => {
	const stored = await signatureStudy(tempDir('metatune-settings-'));
	const p = studyProgress(stored);
	t.is(p.kind, 'complete');
	t.is(p.ended, 4 * 6 + 3 * 2);
	t.regex(progressText(p), /^Complete/);
	const rows = Object.fromEntries(settingsRows(stored));
	t.regex(rows.Objective ?? '', /task=eleven-armed/);
	t.regex(rows['Search space'] ?? '', /gamma ∈ \[0\.5, 0\.99\]/);
	t.regex(rows['Methods (arms)'] ?? '', /metagradient \(metagradient: .*gamma0=0\.95/);
	t.regex(rows.Seeds ?? '', /study seed 0/);
	t.is(rows.Backend, 'cpu');
	t.is(rows.Commit, 'fixture1');
});

test('a study with a lifetime asked but never finished is reported as interrupted', async (t) => {
	const stored = await interruptedStudy(tempDir('metatune-settings-'));
	const p = studyProgress(stored);
	t.is(p.kind, 'interrupted');
	if (p.kind !== 'interrupted') return;
	t.is(p.ended, 1);
	t.is(p.interrupted, 1);
	t.regex(progressText(p), /Interrupted: 1 of up to 4 lifetimes ended, 1 started but unfinished/);
});
