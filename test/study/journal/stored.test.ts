import { join } from 'node:path';
import test from 'ava';
import { InputError } from '../../../src/core/errors.js';
import { loadStoredStudy } from '../../../src/study/stored.js';
import { tempDir } from '../helpers.js';
import { finishedStudy } from '../../report/helpers.js';

async function stored() {
	const results = tempDir('metatune-load-');
	await finishedStudy({ name: 'edge', space: { gamma: { type: 'float', low: 0.5, high: 0.9 } }, searchers: [{ kind: 'grid', values: { gamma: [0.5] } }], budget: 1, reevaluate: 0 }, () => 1, results);
	return results;
}

test('loadStoredStudy takes {resultsDir} like Study.open, and still the positional string', async (t) => {
	const results = await stored();
	const byOptions = loadStoredStudy('edge', { resultsDir: results });
	t.is(byOptions.spec.name, 'edge');
	t.is(byOptions.journalPath, join(results, 'edge', 'journal.jsonl'));
	t.is(loadStoredStudy('edge', results).journalPath, byOptions.journalPath);
	const warnings: string[] = [];
	t.is(loadStoredStudy('edge', { resultsDir: results, warn: (m) => warnings.push(m) }).state.trials.length, 1);
	t.is(loadStoredStudy(join(results, 'edge'), {}).spec.name, 'edge', 'a folder needs no resultsDir');
	t.throws(() => loadStoredStudy('edge', { resultsDir: tempDir('metatune-load-') }), { instanceOf: InputError, message: /no journal/ });
});

test('loadStoredStudy: wrong argument types from plain JS are InputErrors, not raw TypeErrors', (t) => {
	const untyped = loadStoredStudy as unknown as (...args: unknown[]) => unknown;
	t.throws(() => untyped('edge', { resultsDir: 5 }), { instanceOf: InputError, message: /resultsDir/ });
	t.throws(() => untyped('edge', 5), { instanceOf: InputError, message: /resultsDir/ });
	t.throws(() => untyped({ name: 'edge' }), { instanceOf: InputError, message: /study/ });
	t.throws(() => untyped('edge', { resultsDir: tempDir('metatune-load-'), warn: 'loud' }), { instanceOf: InputError, message: /warn/ });
});
