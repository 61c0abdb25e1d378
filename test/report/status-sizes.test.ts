/**
 * `metatune status` prints a bounded failure message whatever the journal holds: a journal written
 * before messages were bounded (or by another process on a shared database) may hold a 50 MB one,
 * which status printed whole. Shown as the stored bound would keep it (stored-sizes.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import test from 'ava';
import { studyStatus } from '../../src/report/status.js';
import { loadStoredStudy } from '../../src/study/stored.js';
import { parseStudyDocument } from '../../src/study/spec/spec.js';
import { Study } from '../../src/study/study.js';
import { tempDir } from '../study/helpers.js';

test('status shows a 50 MB stored failure message as its head and end, saying what was cut', async (t) => {
	const results = tempDir('metatune-status-sizes-');
	const doc = { name: 'huge', space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 0 }, budget: 1 };
	const study = await Study.open(parseStudyDocument(doc), { resultsDir: results });
	try {
		const asked = await study.ask();
		if (asked === undefined) return t.fail();
		await study.tell(asked.number, new Error('boom'));
	} finally {
		study.close();
	}
	const journal = `${results}/huge/journal.jsonl`;
	writeFileSync(journal, readFileSync(journal, 'utf8').replace('"message":"boom"', `"message":"Traceback ${'e'.repeat(50 * 2 ** 20)} boom"`));
	for (const format of ['text', 'json'] as const) {
		const out = studyStatus(loadStoredStudy('huge', results), format);
		t.true(out.length < 40 * 1024, `${format}: ${out.length} characters`);
		if (out.length < 40 * 1024) t.regex(out, /Traceback e+ … \(\d+ more characters cut: a stored message keeps its first 4 KiB and last 12 KiB\) … e+ boom/);
	}
});
