/** records.ts: encodeRecord's read-back record is the line parsed back, and now() is the current ISO time. */
import test from 'ava';
import { encodeRecord, type JournalRecord, now } from '../../../src/study/journal/journal.js';
import { isoTime } from '../../../src/study/journal/records.js';

const owner = { host: 'h', pid: 1, run: 'r' };
/** An array subclass with its own JSON form. */
class SubArray extends Array<number> {
	toJSON(): string {
		return 'sub';
	}
}

/** Records whose read-back the plain copy gives, and ones it leaves to JSON.parse (each must read back as the line does). */
const records: JournalRecord[] = [
	{ type: 'asked', at: 'T', trial: 0, owner, arm: 'a', purpose: 'search', slot: 0, attempt: 1, params: { x: 0.1 + 0.2, k: -0, c: 'b' }, seed: 7 },
	{ type: 'running', at: 'T', trial: 0, owner },
	{ type: 'complete', at: 'T', trial: 0, value: 1e-320, fields: { nested: { a: [1, -0, 'ü\ud800'], c: null }, flag: true, 2: 'two', 1: 'one' }, wall_ms: 3, lease: { run: 'r', take: 1 } },
	// left out by JSON: an undefined field
	{ type: 'complete', at: 'T', trial: 1, value: 2, fields: { gone: undefined } as never, wall_ms: 0 },
	// not plain JSON: the copy defers to the line parsed back
	{ type: 'complete', at: 'T', trial: 2, value: 2, fields: { when: new Date(0), nan: Number.NaN, holes: [1, undefined, 3], big: Number.POSITIVE_INFINITY } as never, wall_ms: 0 },
	{ type: 'complete', at: 'T', trial: 3, value: 2, fields: JSON.parse('{"__proto__": {"x": 1}}'), wall_ms: 0 },
	{ type: 'complete', at: 'T', trial: 4, value: 2, fields: { custom: { toJSON: () => 'custom' } } as never, wall_ms: 0 },
	{ type: 'complete', at: 'T', trial: 5, value: 2, fields: { own: Object.assign([1, 2], { toJSON: () => 'own' }), sub: SubArray.from([1]) } as never, wall_ms: 0 },
];

test('encodeRecord: the record it returns is the line read back (key order, -0, undefined, Date, NaN, __proto__), sharing nothing with the input', (t) => {
	for (const record of records) {
		const { line, record: back } = encodeRecord(record);
		t.true(line.endsWith('\n'));
		const parsed = JSON.parse(line);
		t.deepEqual(back, parsed); // ava tells -0 from 0 and compares prototypes
		t.is(`${JSON.stringify(back)}\n`, line, 'same keys in the same order');
		t.is(Object.getPrototypeOf(back), Object.prototype);
	}
	const asked = records[0] as Extract<JournalRecord, { type: 'asked' }>;
	const back = encodeRecord(asked).record as typeof asked;
	t.not(back.params, asked.params);
	t.not(back.owner, asked.owner);
	t.true(Object.is(back.params.k, 0), '-0 reads back as 0');
	const proto = encodeRecord(records[5] as JournalRecord).record as Extract<JournalRecord, { type: 'complete' }>;
	t.true(Object.hasOwn(proto.fields, '__proto__'), 'an own __proto__ key, as JSON.parse makes it');
});

test('encodeRecord: a getter is read once, so the line and the record agree', (t) => {
	let reads = 0;
	const fields = {
		get v() {
			reads += 1;
			return reads;
		},
	};
	const { line, record } = encodeRecord({ type: 'complete', at: 'T', trial: 0, value: 1, fields, wall_ms: 0 } as never);
	t.deepEqual(record, JSON.parse(line));
	t.is(reads, 1);
});

test('now: the current time as an ISO string, the same within a millisecond and moving on after it', async (t) => {
	const before = Date.now();
	const a = now();
	const after = Date.now();
	t.regex(a, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	t.true(Date.parse(a) >= before && Date.parse(a) <= after);
	await new Promise((r) => setTimeout(r, 5));
	t.true(Date.parse(now()) > Date.parse(a));
});

test('isoTime: the same text as toISOString, across seconds, minutes, days and years', (t) => {
	const starts = [0, 999, 59_990, 86_399_990, Date.UTC(2026, 11, 31, 23, 59, 59, 990), -1_010, Date.UTC(9999, 11, 31, 23, 59, 59, 995), Date.UTC(10_000, 0, 1)];
	for (const start of starts) for (let ms = start; ms < start + 25; ms++) t.is(isoTime(ms), new Date(ms).toISOString(), `at ${ms}`);
	// back to an earlier second: the kept second is not reused
	t.is(isoTime(5_123), new Date(5_123).toISOString());
	t.is(isoTime(4_999), new Date(4_999).toISOString());
});
