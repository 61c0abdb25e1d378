/**
 * `metatune status`, failed attempts: each says what became of its slot (retried as trial N and how
 * that went, gave up after K attempts, or will be retried while its retry is still due).
 */
import test from 'ava';
import { loadStoredStudy } from '../../src/study/stored.js';
import { studyStatus } from '../../src/report/status.js';
import { parseStudyDocument } from '../../src/study/spec/spec.js';
import { Study } from '../../src/study/study.js';
import { tempDir } from '../study/helpers.js';

const doc = (retries: number) => ({
	name: 'fates',
	objective: { module: 'unused.js' },
	space: { gamma: { type: 'float', low: 0.5, high: 0.99 } },
	searcher: { kind: 'random', seed: 1 },
	budget: 2,
	retries,
});

/** Ask/tell by hand: `plan` gives, per asked trial in order, an Error (the objective threw) or a value. */
async function drive(results: string, retries: number, plan: readonly (number | Error)[]) {
	const study = await Study.open(parseStudyDocument(doc(retries)), { resultsDir: results });
	const asked = [];
	try {
		for (const outcome of plan) {
			const trial = await study.ask();
			if (trial === undefined) throw new Error('nothing to ask');
			asked.push(trial);
			await study.tell(trial.number, outcome);
		}
	} finally {
		study.close();
	}
	return { asked, text: studyStatus(loadStoredStudy('fates', results)) };
}

const failedLine = (text: string, trial: number) => text.split('\n').find((l) => l.startsWith(`  trial ${trial} (`)) ?? '';

test('status: a failed attempt whose retry is still due says will be retried', async (t) => {
	const { asked, text } = await drive(tempDir('metatune-status-'), 1, [new Error('boom')]);
	t.is(asked[0]?.attempt, 1);
	t.regex(failedLine(text, 0), /threw: boom \(will be retried\)$/);
	t.regex(text, /1 failed attempts \(1 to retry\)/);
});

test('status: retried attempts name their retry and its outcome; the last allowed attempt gave up', async (t) => {
	// trial 0 (slot 0) fails, its retry trial 1 fails too: slot 0 gave up after 2 attempts;
	// trial 2 (slot 1) fails, its retry trial 3 completes
	const { asked, text } = await drive(tempDir('metatune-status-'), 1, [new Error('first'), new Error('second'), new Error('third'), 0.75]);
	t.deepEqual(
		asked.map((a) => [a.number, a.attempt]),
		[
			[0, 1],
			[1, 2],
			[2, 1],
			[3, 2],
		],
	);
	t.regex(text, /2\/2 lifetimes ended \(complete\)/);
	t.regex(failedLine(text, 0), /threw: first \(retried as trial 1: failed too\)$/);
	t.regex(failedLine(text, 1), /threw: second \(gave up after 2 attempts\)$/);
	t.regex(failedLine(text, 2), /threw: third \(retried as trial 3: complete, value 0\.75\)$/);
	t.notRegex(text, /will be retried/);
	t.regex(text, /3 failed attempts \(2 retried, 1 gave up\)/);
});

test('status: with retries 0 a failure says it was not retried', async (t) => {
	const { text } = await drive(tempDir('metatune-status-'), 0, [new Error('once')]);
	t.regex(failedLine(text, 0), /threw: once \(not retried: retries is 0\)$/);
	t.notRegex(text, /will be retried/);
});
