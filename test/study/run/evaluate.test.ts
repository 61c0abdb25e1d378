/** evaluateHere (src/study/run/evaluate.ts): the objective's lazily made abort signal fires on a timeout and on a hard stop, and leaves no listener when unread. */
import { getEventListeners } from 'node:events';
import test from 'ava';
import type { ObjectiveContext } from '../../../src/objectives/objective.js';
import { evaluateHere } from '../../../src/study/run/evaluate.js';

const task = { trial: 3, params: { x: 0.5 }, seed: 11 };

/** An objective that ends when its signal aborts (or after 5 s), saying whether it was aborted and by then. */
const waitsForAbort = (_: unknown, context: ObjectiveContext) =>
	new Promise<number>((resolve) => {
		if (context.signal.aborted) resolve(1);
		context.signal.addEventListener('abort', () => resolve(1), { once: true });
		setTimeout(() => resolve(0), 5_000).unref();
	});

test('evaluateHere: the context signal aborts on a timeout and on a hard stop, also one before the objective reads it', async (t) => {
	const timedOut = await evaluateHere(waitsForAbort, task, 'value', 50);
	t.like(timedOut, { ok: false, reason: 'timeout' });

	const hardStop = new AbortController();
	const stopped = evaluateHere(waitsForAbort, task, 'value', undefined, hardStop.signal);
	setTimeout(() => hardStop.abort(), 20);
	t.like(await stopped, { ok: true, value: 1 });

	const before = new AbortController();
	before.abort();
	t.like(await evaluateHere(waitsForAbort, task, 'value', undefined, before.signal), { ok: true, value: 1 });

	// read only after the stop came: aborted all the same
	const late = new AbortController();
	const readLate = evaluateHere(
		async (_, context) => {
			await new Promise((r) => setTimeout(r, 40));
			return context.signal.aborted ? 1 : 0;
		},
		task,
		'value',
		undefined,
		late.signal,
	);
	setTimeout(() => late.abort(), 10);
	t.like(await readLate, { ok: true, value: 1 });
});

test('evaluateHere: the context has the seed, the trial and a signal that is not aborted, and an unread signal leaves no listener on the hard stop', async (t) => {
	const hardStop = new AbortController();
	let seen: { seed: number; trial: number; aborted: boolean; keys: string[] } | undefined;
	const outcome = await evaluateHere(
		(_, context) => {
			seen = { seed: context.seed, trial: context.trial, aborted: context.signal.aborted, keys: Object.keys({ ...context }) };
			return 2;
		},
		task,
		'value',
		undefined,
		hardStop.signal,
	);
	t.like(outcome, { ok: true, value: 2 });
	t.deepEqual(seen, { seed: 11, trial: 3, aborted: false, keys: ['seed', 'trial', 'signal'] });
	t.is(getEventListeners(hardStop.signal, 'abort').length, 0, 'the listener of a read signal is removed at the end');
	let listening = -1;
	await evaluateHere(
		() => {
			listening = getEventListeners(hardStop.signal, 'abort').length;
			return 1;
		},
		task,
		'value',
		undefined,
		hardStop.signal,
	);
	t.is(listening, 0, 'an unread signal listens to nothing');
});

test('evaluateHere: a signal first read after the trial ended leaves no listener on the hard stop', async (t) => {
	const hardStop = new AbortController();
	let context: ObjectiveContext | undefined;
	const outcome = await evaluateHere(
		(_, c) => {
			context = c;
			return 1;
		},
		task,
		'value',
		undefined,
		hardStop.signal,
	);
	t.like(outcome, { ok: true, value: 1 });
	t.false(context!.signal.aborted);
	t.is(getEventListeners(hardStop.signal, 'abort').length, 0);
});
