/**
 * Leases on the file journal (the PostgreSQL fault test is test/study/journal/postgres-outages.test.ts):
 * a trial taken over from an owner judged gone cannot be ended by that owner any more, and replay
 * counts an end record only under the trial's current lease.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { StateError } from '../../src/core/errors.js';
import type { JournalRecord } from '../../src/study/journal/journal.js';
import { StudyState } from '../../src/study/journal/state.js';
import { sessionOf, Study } from '../../src/study/study.js';
import { tempDir } from './helpers.js';

const doc = { name: 'leased', objective: { module: './unused.js' }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 2 }, budget: 3 };

test('a trial taken over from an owner judged gone: the old owner cannot tell it, the new one can', async (t) => {
	const results = tempDir();
	const a = await Study.open(doc, { resultsDir: results, warn: () => undefined });
	const b = await Study.open(doc, { resultsDir: results, warn: () => undefined });
	try {
		const asked = await a.ask();
		t.is(asked?.number, 0);
		// A's presence file gone: B judges A gone (as after a stall past its heartbeat) and takes trial 0 over
		rmSync(join(results, 'leased', 'owners', `${sessionOf(a).me.run}.json`));
		const taken = await b.ask();
		t.is(taken?.number, 0, 'B takes the orphan over');
		const late = await t.throwsAsync(a.tell(0, 1), { instanceOf: StateError });
		t.regex(late?.message ?? '', /tell: trial 0 of study leased: not recorded: its lease passed to pid \d+ on host .* \(run \w+\)/);
		t.deepEqual(await b.tell(0, 2), { number: 0, state: 'complete', value: 2 });
		const trial = b.trials()[0];
		t.is(trial?.complete?.value, 2, "the recorded result is B's");
		t.deepEqual(trial?.complete?.lease, { run: sessionOf(b).me.run, take: 2 });
	} finally {
		a.close();
		b.close();
	}
});

test('replay counts an end record only under the trial current lease; records without a lease as before', (t) => {
	const owner = (run: string) => ({ host: 'h', pid: 1, run });
	const records: JournalRecord[] = [
		{ type: 'asked', at: 't', trial: 0, arm: 'a', purpose: 'search', slot: 0, attempt: 1, params: { x: 0.5 }, seed: 1, owner: owner('A') },
		{ type: 'running', at: 't', trial: 0, owner: owner('A') },
		{ type: 'running', at: 't', trial: 0, owner: owner('B') },
		{ type: 'complete', at: 't', trial: 0, value: 1, fields: {}, wall_ms: 1, lease: { run: 'A', take: 1 } },
		{ type: 'failed', at: 't', trial: 0, reason: 'threw', message: 'x', wall_ms: 1, lease: { run: 'B', take: 1 } },
		{ type: 'complete', at: 't', trial: 0, value: 2, fields: {}, wall_ms: 1, lease: { run: 'B', take: 2 } },
	];
	const state = new StudyState();
	state.apply(records);
	t.is(state.trials[0]?.phase, 'complete');
	t.is(state.trials[0]?.complete?.value, 2);
	const old = new StudyState();
	old.apply([...records.slice(0, 3), { type: 'complete', at: 't', trial: 0, value: 3, fields: {}, wall_ms: 1 }]);
	t.is(old.trials[0]?.complete?.value, 3, 'a record without a lease ends the trial (journals before leases)');
});
