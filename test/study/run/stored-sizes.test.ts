/**
 * What one lifetime may store (stored-sizes.ts): a 50 MB field or failure message was written to
 * the journal whole (+52 MB, and status printed it). Through `tell`, the path every objective's end
 * takes (endRecord): the journal stays small and the stored text says what was cut, in one line.
 */
import { statSync } from 'node:fs';
import test from 'ava';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { boundFields, storedSizes } from '../../../src/study/run/stored-sizes.js';
import { Study } from '../../../src/study/study.js';
import { tempDir } from '../helpers.js';

const mb50 = 50 * 2 ** 20;

async function open(name: string) {
	const doc = { name, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 0 }, budget: 2 };
	return await Study.open(parseStudyDocument(doc), { resultsDir: tempDir() });
}

test('a 50 MB string field is stored as its first 64 KiB and a note; the journal stays small', async (t) => {
	const study = await open('big-field');
	try {
		const asked = await study.ask();
		if (asked === undefined) return t.fail();
		await study.tell(asked.number, { value: 0.5, log: 'x'.repeat(mb50), steps: 10 });
		const stored = study.trials()[0]?.complete?.fields;
		t.is(stored?.steps, 10);
		t.is(stored?.value, 0.5);
		const log = String(stored?.log);
		t.true(/^x{65536}… \(52363264 more characters cut: a stored field keeps 64 KiB\)$/.test(log), `stored ${log.length} characters: …${log.slice(-120)}`);
		t.true(statSync(study.journalPath).size < 100 * 1024, `journal of ${statSync(study.journalPath).size} bytes`);
	} finally {
		study.close();
	}
});

test('a 50 MB failure message is stored as its head and its end, saying how much was cut', async (t) => {
	const study = await open('big-message');
	try {
		const asked = await study.ask();
		if (asked === undefined) return t.fail();
		await study.tell(asked.number, new Error(`Traceback:${'e'.repeat(mb50)}ValueError: boom`));
		const message = study.trials()[0]?.failed?.message ?? '';
		t.true(message.length < storedSizes.message + 200, `message of ${message.length} characters`);
		if (message.length < storedSizes.message + 200) t.regex(message, /^Traceback:e+ … \(\d+ more characters cut: a stored message keeps its first 4 KiB and last 12 KiB\) … e+ValueError: boom$/);
		t.true(statSync(study.journalPath).size < 100 * 1024);
	} finally {
		study.close();
	}
});

test('fields past 1 MiB of JSON in all: the largest are replaced by a note until the rest fits; small fields are kept', (t) => {
	const array = (n: number) => Array.from({ length: n }, (_, i) => i % 10);
	const fields = { value: 1, a: array(300_000), b: array(400_000), c: array(250_000), name: 'run-1' };
	const bounded = boundFields(fields);
	t.is(bounded.value, 1);
	t.is(bounded.name, 'run-1');
	// 600k + 800k + 500k characters: b (the largest) then a are cut, c fits
	t.is(bounded.b, "(cut: 800001 characters of JSON; a lifetime's stored fields keep 1024 KiB in all)");
	t.is(bounded.a, "(cut: 600001 characters of JSON; a lifetime's stored fields keep 1024 KiB in all)");
	t.deepEqual(bounded.c, fields.c);
	t.true(JSON.stringify(bounded).length <= storedSizes.fields);
	const small = { value: 1, log: 'short' };
	t.is(boundFields(small), small, 'nothing cut: the same object');
});
