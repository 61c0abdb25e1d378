/**
 * Results whose logged fields cannot be stored as JSON (circular, BigInt, a function): a failed
 * lifetime with a reason naming the field, in a worker thread, in this thread and through tell;
 * the study goes on to its end.
 */
import { join } from 'node:path';
import test from 'ava';
import { interpretResult } from '../../../src/study/run/evaluate.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';
import { fixtures, tempDir } from '../helpers.js';

const module = join(fixtures, 'objectives.js');

const doc = (name: string, exported: string) => ({
	name,
	objective: { module, export: exported },
	space: { x: { type: 'float', low: 0, high: 1 } },
	searcher: { kind: 'grid', values: { x: [0.25, 0.75] } },
	budget: 2,
	retries: 1,
	trial_timeout: 10,
});

const cases = [
	{ exported: 'circular', message: 'field "self" cannot be stored as JSON (circular)' },
	{ exported: 'bigField', message: 'field "big" cannot be stored as JSON (a BigInt)' },
	{ exported: 'fnField', message: 'field "cb" cannot be stored as JSON (a function)' },
];

for (const { exported, message } of cases) {
	test(`worker thread: ${exported} makes failed lifetimes naming the field; no worker death; the study ends`, async (t) => {
		const study = await Study.open(parseStudyDocument(doc(`u-${exported}`, exported)), { resultsDir: tempDir() });
		try {
			const summary = await runStudy(study, { concurrency: 2 });
			t.true(summary.done);
			t.is(summary.completed, 0);
			t.is(summary.failed, 4, 'two slots, each retried once (the policy for every failure)');
			for (const tr of study.trials()) {
				t.is(tr.phase, 'failed');
				t.is(tr.failed?.reason, 'unstorable');
				t.is(tr.failed?.message, message);
			}
		} finally {
			study.close();
		}
	});
}

test('in this thread and through tell: the same failure, the journal stays readable', async (t) => {
	const results = tempDir();
	const spec = parseStudyDocument(doc('u-here', 'circular'));
	const study = await Study.open(spec, { resultsDir: results });
	const summary = await runStudy(study, {
		concurrency: 1,
		objective: (p) => {
			const o: Record<string, unknown> = { value: Number(p.x), nested: { list: [1, 2n] } };
			return o as never;
		},
	});
	t.true(summary.done);
	t.is(summary.failed, 4);
	t.is(study.trials()[0]?.failed?.message, 'field "nested.list[1]" cannot be stored as JSON (a BigInt)');
	study.close();

	const asker = await Study.open(parseStudyDocument({ ...doc('u-tell', 'circular') }), { resultsDir: results });
	const trial = await asker.ask();
	if (trial === undefined) return t.fail('nothing asked');
	const o: Record<string, unknown> = { value: 1 };
	o.me = o;
	const told = await asker.tell(trial.number, o as never);
	t.deepEqual(told, { number: trial.number, state: 'failed', message: 'field "me" cannot be stored as JSON (circular)' });
	asker.close();
	const reopened = await Study.open(parseStudyDocument({ ...doc('u-tell', 'circular') }), { resultsDir: results });
	t.is(reopened.trials()[0]?.failed?.reason, 'unstorable');
	reopened.close();
});

test('interpretResult: shared (non-circular) references, dates and undefined fields are fine; a symbol is named', (t) => {
	const shared = { a: 1 };
	const ok = interpretResult({ value: 2, one: shared, two: shared, when: new Date(0), gone: undefined }, 'value');
	t.true('value' in ok && ok.value === 2);
	const bad = interpretResult({ value: 2, s: Symbol('x') }, 'value');
	t.deepEqual(bad, { reason: 'unstorable', message: 'field "s" cannot be stored as JSON (a symbol)' });
});
