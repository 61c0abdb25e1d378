import { join } from 'node:path';
import test from 'ava';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';
import { fixtures, tempDir } from '../helpers.js';

const module = join(fixtures, 'objectives.js');

test('throw, NaN and timeout (worker terminated) become failed trials with reasons; retries re-run them; the study goes on', async (t) => {
	const spec = parseStudyDocument({
		name: 'flaky',
		objective: { module, export: 'flaky' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'grid', values: { x: [0.1, 0.3, 0.5, 0.95] } },
		budget: 4,
		trial_timeout: 0.5,
		retries: 1,
	});
	const study = await Study.open(spec, { resultsDir: tempDir() });
	const started = Date.now();
	const summary = await runStudy(study, { concurrency: 4 });
	// The stuck lifetime busy-loops for 60 s, twice: ending well before that means the timeout
	// terminated its worker (a bound of 30 s, not a speed goal, so a loaded machine does not fail it).
	t.true(Date.now() - started < 30_000);
	t.true(summary.done);
	t.is(summary.completed, 1);
	t.is(summary.failed, 6, JSON.stringify(study.trials().map((tr) => [tr.asked.params.x, tr.phase, tr.failed?.reason, tr.failed?.message])));
	const byX = new Map<number, string[]>();
	for (const tr of study.trials()) {
		const x = Number(tr.asked.params.x);
		byX.set(x, [...(byX.get(x) ?? []), tr.phase === 'failed' ? `${tr.failed?.reason}#${tr.asked.attempt}` : `${tr.phase}#${tr.asked.attempt}`]);
		if (tr.asked.attempt === 2) {
			const first = study.trials().find((o) => o.asked.trial === tr.asked.retry_of);
			t.is(first?.asked.seed, tr.asked.seed, 'a retry keeps the seed');
		}
	}
	t.deepEqual(byX.get(0.1), ['threw#1', 'threw#2']);
	t.deepEqual(byX.get(0.3), ['not-finite#1', 'not-finite#2']);
	t.deepEqual(byX.get(0.5), ['complete#1']);
	t.deepEqual(byX.get(0.95), ['timeout#1', 'timeout#2']);
	const threw = study.trials().find((tr) => tr.failed?.reason === 'threw');
	t.is(threw?.failed?.message, 'bad x 0.1');
	study.close();
});

test('grid with concurrency covers every point exactly once; repeats get different seeds shared across arms; re-evaluation uses fresh seeds', async (t) => {
	const spec = parseStudyDocument({
		name: 'grid',
		objective: { module, export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 }, c: { type: 'categorical', choices: ['a', 'b'] }, f: { type: 'fixed', value: 7 } },
		searchers: [
			{ kind: 'grid', points: 3 },
			{ kind: 'random', seed: 5 },
		],
		budget: 12,
		repeats: 2,
		reevaluate: 3,
	});
	const study = await Study.open(spec, { resultsDir: tempDir() });
	const summary = await runStudy(study, { concurrency: 3, objective: (p, c) => ({ value: -((Number(p.x) - 0.3) ** 2), seed_seen: c.seed, tuning: c.tuning?.kind ?? 'none' }) });
	t.true(summary.done);
	const trials = study.trials();
	const grid = trials.filter((tr) => tr.asked.arm === 'grid' && tr.asked.purpose === 'search');
	t.is(grid.length, 12);
	const keys = grid.map((tr) => `${tr.asked.params.x}/${tr.asked.params.c}`);
	t.is(new Set(keys).size, 6, 'each of the 6 grid points ...');
	t.true(
		grid.every((tr) => keys.filter((k) => k === `${tr.asked.params.x}/${tr.asked.params.c}`).length === 2),
		'... twice (repeats: 2)',
	);
	t.true(grid.every((tr) => tr.asked.params.f === 7));
	const seedsOf = (arm: string) =>
		trials
			.filter((tr) => tr.asked.arm === arm && tr.asked.purpose === 'search')
			.sort((a, b) => a.asked.slot - b.asked.slot)
			.map((tr) => tr.asked.seed);
	t.deepEqual(seedsOf('grid'), seedsOf('random'), 'both arms run the same lifetime seeds');
	t.is(new Set(seedsOf('grid')).size, 12);
	const re = trials.filter((tr) => tr.asked.purpose === 'reevaluate');
	t.is(re.length, 6);
	t.true(re.every((tr) => !seedsOf('grid').includes(tr.asked.seed)));
	const gridRe = re.filter((tr) => tr.asked.arm === 'grid');
	t.is(gridRe[0]?.asked.params.x, 0.5, 'grid chose its best observed point (closest to 0.3)');
	t.true(trials.every((tr) => tr.complete?.fields.seed_seen === tr.asked.seed));
	t.true(
		trials.every((tr) => tr.complete?.fields.tuning === 'none'),
		'searcher arms pass no tuner settings to the objective',
	);
	study.close();
});

test('ask/tell: a user loop drives the study to its budget', async (t) => {
	const spec = parseStudyDocument({ name: 'asktell', objective: { module: 'unused.js' }, space: { x: { type: 'int', low: 0, high: 9 } }, searcher: { kind: 'random', seed: 2 }, budget: 5 });
	const study = await Study.open(spec, { resultsDir: tempDir() });
	let n = 0;
	for (let trial = await study.ask(); trial !== undefined; trial = await study.ask()) {
		n++;
		t.is(trial.arm, 'random');
		t.is(trial.tuning, undefined);
		if (trial.number === 1) await study.tell(trial.number, new Error('boom'));
		else await study.tell(trial.number, { value: Number(trial.params.x), extra: 'logged' });
	}
	t.is(n, 5);
	const trials = study.trials();
	t.is(trials.filter((tr) => tr.phase === 'complete').length, 4);
	t.is(trials.find((tr) => tr.asked.trial === 1)?.failed?.message, 'boom');
	t.is(trials.find((tr) => tr.asked.trial === 0)?.complete?.fields.extra, 'logged');
	study.close();
});

test('tell says how the trial was recorded and refuses a second tell', async (t) => {
	const spec = parseStudyDocument({ name: 'telltwice', objective: { module: 'unused.js' }, space: { x: { type: 'int', low: 0, high: 9 } }, searcher: { kind: 'random', seed: 2 }, budget: 3 });
	const study = await Study.open(spec, { resultsDir: tempDir() });
	const a = await study.ask();
	const b = await study.ask();
	if (!a || !b) return t.fail('asked nothing');
	t.deepEqual(await study.tell(a.number, 5), { number: a.number, state: 'complete', value: 5 });
	const again = await t.throwsAsync(() => study.tell(a.number, 6));
	t.regex(again?.message ?? '', new RegExp(`trial ${a.number} of study telltwice has already ended \\(complete, value 5\\)`));
	const nan = await study.tell(b.number, { value: Number.NaN });
	t.is(nan.state, 'failed');
	t.regex(nan.state === 'failed' ? nan.message : '', /NaN/);
	await t.throwsAsync(() => study.tell(b.number, 1), { message: /already ended \(failed/ });
	const trials = study.trials();
	t.is(trials.find((tr) => tr.asked.trial === a.number)?.complete?.value, 5, 'the first tell stands');
	study.close();
});

test('two tells of one trial at once: exactly one is recorded, the other throws', async (t) => {
	const spec = parseStudyDocument({ name: 'tellrace', objective: { module: 'unused.js' }, space: { x: { type: 'int', low: 0, high: 9 } }, searcher: { kind: 'random', seed: 2 }, budget: 2 });
	const study = await Study.open(spec, { resultsDir: tempDir() });
	const a = await study.ask();
	if (!a) return t.fail('asked nothing');
	const results = await Promise.allSettled([study.tell(a.number, 1), study.tell(a.number, 2)]);
	const fulfilled = results.filter((r) => r.status === 'fulfilled');
	t.is(fulfilled.length, 1);
	t.regex(String((results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined)?.reason), /already ended \(complete, value 1\)/);
	const recorded = study.trials().find((tr) => tr.asked.trial === a.number)?.complete?.value;
	t.is(recorded, 1);
	t.deepEqual((fulfilled[0] as PromiseFulfilledResult<unknown>).value, { number: a.number, state: 'complete', value: 1 }, 'the fulfilled tell is the one recorded');
	study.close();
});

test('a graceful stop asks nothing more and lets running lifetimes finish', async (t) => {
	const spec = parseStudyDocument({ name: 'stop', objective: { module: 'unused.js' }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random' }, budget: 50 });
	const study = await Study.open(spec, { resultsDir: tempDir() });
	const stop = new AbortController();
	let finished = 0;
	const summary = await runStudy(study, {
		concurrency: 2,
		stop: stop.signal,
		objective: async () => {
			await new Promise((r) => setTimeout(r, 20));
			return 1;
		},
		onEvent: (e) => {
			if (e.type === 'finished' && ++finished === 5) stop.abort();
		},
	});
	t.true(summary.stopped);
	t.false(summary.done);
	const trials = study.trials();
	t.true(trials.length <= 7);
	t.true(
		trials.every((tr) => tr.phase === 'complete'),
		'the running ones finished',
	);
	study.close();
});

test('a tuner arm: every lifetime starts from the tuner start and the objective gets its settings as context.tuning', async (t) => {
	const spec = parseStudyDocument({
		name: 'tuned',
		objective: { bandit: { task: 'dependent-easy' } },
		space: { gamma: { type: 'float', low: 0.2, high: 0.99 }, lr: { type: 'fixed', value: 0.01 } },
		searchers: [
			{ kind: 'random', seed: 1 },
			{ kind: 'metagradient', name: 'mg', gamma0: 0.5, beta: 0.2, budget: 2 },
		],
		budget: 2,
		reevaluate: 1,
	});
	const study = await Study.open(spec, { resultsDir: tempDir() });
	await runStudy(study, { concurrency: 2, objective: (p, c) => ({ value: Number(p.gamma), lifetime_return: Number(p.gamma), tuner: c.tuning?.kind ?? 'none', beta: c.tuning?.beta ?? -1 }) });
	const trials = study.trials();
	const mg = trials.filter((tr) => tr.asked.arm === 'mg');
	t.is(mg.length, 2, 'the arm budget, and no re-evaluation');
	t.true(mg.every((tr) => tr.asked.params.gamma === 0.5 && tr.asked.params.lr === 0.01 && tr.complete?.fields.tuner === 'metagradient' && tr.complete.fields.beta === 0.2));
	t.true(mg.every((tr) => /gamma0=0\.5/.test(tr.asked.note ?? '')));
	t.true(trials.filter((tr) => tr.asked.arm === 'random').every((tr) => tr.complete?.fields.tuner === 'none'));
	study.close();
});

test('the public Study is narrow: open/ask/report/tell/trials/close and read access, no runner transactions', (t) => {
	const members = Object.getOwnPropertyNames(Study.prototype)
		.filter((m) => m !== 'constructor')
		.sort();
	t.deepEqual(members, ['archived', 'ask', 'close', 'dir', 'journalPath', 'report', 'spec', 'tell', 'trials']);
	t.deepEqual(
		Object.getOwnPropertyNames(Study).filter((m) => !['length', 'name', 'prototype'].includes(m)),
		['open'],
	);
});
