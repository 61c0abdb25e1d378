/**
 * The hand-written guard for the hot record types (fast-check.ts) against the zod schemas
 * (check.ts): for the same good and bad records, the guard accepts each good one (so the fast path
 * is taken) and never accepts a record the schema refuses (so the two cannot drift apart).
 */
import test from 'ava';
import { schemaProblem } from '../../../src/study/journal/check.js';
import { surelyValid } from '../../../src/study/journal/fast-check.js';
import { journalVersion } from '../../../src/study/journal/journal.js';

const owner = { host: 'h', pid: 7, run: 'r' };
const good: Record<string, Record<string, unknown>[]> = {
	asked: [
		{ type: 'asked', at: 'now', trial: 0, arm: 'a', purpose: 'search', slot: 0, attempt: 1, params: { x: 0.5, k: 'b', on: true }, seed: -3, owner },
		{ type: 'asked', at: 'now', trial: 4, arm: 'a', purpose: 'reevaluate', slot: 2, attempt: 2, params: {}, seed: 9, owner, note: 'n', retry_of: 1, later_field: [1] },
	],
	running: [{ type: 'running', at: 'now', trial: 3, owner }],
	report: [
		{ type: 'report', at: 'now', trial: 1, step: 10, value: -0.5 },
		{ type: 'report', at: 'now', trial: 1, step: 2.5, value: 3, index: 0, rung: 1, decision: 'stop', checkpoint: true },
	],
	complete: [
		{ type: 'complete', at: 'now', trial: 1, value: 0.25, fields: { value: 0.25, logged: 'x' }, wall_ms: 0 },
		{ type: 'complete', at: 'now', trial: 2, value: 1, fields: {}, wall_ms: 12.5, commit: 'abc', pruned_at: 40 },
		{ type: 'complete', at: 'now', trial: 3, value: 1, fields: {}, wall_ms: 1, lease: { run: 'r', take: 2 } },
	],
};

/** Values no field of these records takes as valid, or takes only for some fields. */
const odd: unknown[] = [undefined, null, 'text', '', 1.5, -1, 0, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY, true, [], {}, [1], { x: null }, { x: [1] }, { x: {} }, 'maybe'];

/** Every record of `good` with one field replaced by each odd value, removed, and some nested changes. */
function bad(): Record<string, unknown>[] {
	const out: Record<string, unknown>[] = [];
	for (const records of Object.values(good))
		for (const r of records) {
			for (const key of Object.keys(r)) {
				if (key === 'type') continue;
				const { [key]: _removed, ...rest } = r;
				out.push(rest);
				for (const v of odd) out.push({ ...r, [key]: v });
			}
			for (const key of ['note', 'retry_of', 'index', 'rung', 'decision', 'checkpoint', 'commit', 'pruned_at', 'lease', 'segment', 'fits']) for (const v of odd) out.push({ ...r, [key]: v });
			out.push({ ...r, owner: { ...owner, pid: 1.5 } }, { ...r, owner: { host: 'h', run: 'r' } }, { ...r, params: JSON.parse('{"__proto__": 1}') });
			for (const lease of [{ run: 'r', take: 0 }, { run: 'r', take: 1.5 }, { run: 'r', take: -1 }, { run: 3, take: 1 }, { take: 1 }, { run: 'r' }, { run: 'r', take: '1' }]) out.push({ ...r, lease });
		}
	return out;
}

test('the guard accepts every good record of the hot types, as the schema does', (t) => {
	for (const records of Object.values(good))
		for (const r of records) {
			t.is(schemaProblem(r, journalVersion), undefined, JSON.stringify(r));
			t.true(surelyValid(r), JSON.stringify(r));
		}
});

test('the guard never accepts a record the schema refuses', (t) => {
	const cases = bad();
	let refused = 0;
	for (const r of cases) {
		const problem = schemaProblem(r, journalVersion);
		if (problem === undefined) continue;
		refused++;
		t.false(surelyValid(r), `${JSON.stringify(r)}: the schema says ${problem}`);
	}
	t.true(refused > 500, `only ${refused} of ${cases.length} bad cases were refused by the schema`);
});

test('records of the other types and non-records are left to the schema', (t) => {
	for (const v of [null, [], 'x', 3, { type: 'study', at: 'now' }, { type: 'settings', at: 'now' }, { type: 'failed', at: 'now', trial: 0, reason: 'threw', message: 'm', wall_ms: 1 }])
		t.false(surelyValid(v));
});
