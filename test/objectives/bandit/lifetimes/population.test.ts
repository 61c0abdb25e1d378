/**
 * Population-based training inside a lifetime (population.ts), on tiny agents: deterministic for a
 * seed, env steps of the whole population, explore within the ranges, the deployed settings as logged,
 * and the point of it: a population whose start member cannot learn (lr 1e-6) hands the deployed slot
 * to a member that can and copies it into the bad one.
 */
import test from 'ava';
import { parseAgentConfig } from '../../../../src/objectives/bandit/learner/agent-config.js';
import { type PopulationSettings, runPopulationLifetime } from '../../../../src/objectives/bandit/lifetimes/population.js';

const config = parseAgentConfig({ task: 'dependent-easy', horizon: 10, batch: 8, hidden: 8, entropy: 0.05, lr: 1e-6, gamma: 0.9 });
const population = (over: Partial<PopulationSettings> = {}): PopulationSettings => ({
	members: 3,
	interval: 10,
	tuned: [{ name: 'lr', low: 1e-6, high: 0.05, log: true }],
	resample: 0.25,
	init: 'sample',
	seed: 0,
	feedGamma: true,
	...over,
});
const run = (over: Partial<PopulationSettings> = {}, seed = 3) => runPopulationLifetime({ config, seed, trainEpisodes: 1600, evalEpisodes: 32, backend: 'cpu', population: population(over) });

test('same seed, same population lifetime; env steps are the whole population', async (t) => {
	const a = await run();
	const b = await run();
	t.deepEqual(a.learningCurve, b.learningCurve);
	t.deepEqual(a.events, b.events);
	t.deepEqual(a.trajectory, b.trajectory);
	t.is(a.evalReturn.mean, b.evalReturn.mean);
	t.is(a.trainEpisodes, 1600);
	t.is(a.envSteps, (1600 * 3 + 32) * 10);
	t.is(a.selections, 19, 'a selection every 10 of 200 updates, none at the end');
});

test('a member that cannot learn loses the deployed slot and is overwritten by a copy of a better one', async (t) => {
	const r = await run();
	const lr = r.trajectory.lr ?? [];
	t.is(lr[0]?.[0], 0);
	t.is(lr[0]?.[1], 1e-6, 'member 0 starts at the start configuration');
	t.true(r.events.length > 0, 'at least one exploit');
	for (const e of r.events) {
		t.true(e.t > 2.262, `exploit only on a significant paired t (t ${e.t})`);
		t.not(e.from, e.to);
		t.true((e.after.lr as number) >= 1e-6 && (e.after.lr as number) <= 0.05, `explored lr ${e.after.lr} within the range`);
	}
	t.true(
		r.events.some((e) => e.to === 0 || e.before.lr === 1e-6),
		'the start member (lr 1e-6) is replaced',
	);
	t.true((r.finalParams.lr as number) > 1e-4, `deployed lr ${r.finalParams.lr}`);
	t.is(r.finalParams.lr, lr.at(-1)?.[1], 'the trajectory ends at the deployed settings');
	t.is(r.members.length, 3);
	for (const e of r.events) {
		const slot = r.members[e.to]?.lr ?? [];
		t.deepEqual(
			slot.find(([u]) => u === e.update),
			[e.update, e.after.lr],
			'each member slot logs the settings an exploit gave it',
		);
	}
	const first = r.learningCurve.slice(0, 10).reduce((s, x) => s + x, 0) / 10;
	const last = r.learningCurve.slice(-20).reduce((s, x) => s + x, 0) / 20;
	t.true(last > first + 0.5, `the deployed member learns: ${first.toFixed(2)} -> ${last.toFixed(2)}`);
});

test('a degenerate range: members differ only by their action samples; exploits are rare and explore stays in the range', async (t) => {
	const r = await run({ tuned: [{ name: 'lr', low: 1e-6, high: 1e-6, log: false }] });
	t.true(r.events.length <= 3, `${r.events.length} exploits in ${r.selections} selections of identical members (one-sided 2.5% each)`);
	for (const e of r.events) t.is(e.after.lr, 1e-6);
	t.deepEqual(r.finalParams, { lr: 1e-6 });
});

test('meta-gradient members adapt the discount between selections', async (t) => {
	const r = await run({ tuned: [{ name: 'gamma', low: 0.1, high: 0.95, log: false }], meta: { beta: 0.1, mu: 0, gammaBar: 1, gammaMin: 0.1, gammaMax: 0.95, updateEvery: 1 } });
	const gammas = (r.trajectory.gamma ?? []).map(([, g]) => g);
	t.true(gammas.every((g) => g >= 0.1 - 1e-9 && g <= 0.95 + 1e-9));
	t.true(new Set(gammas.map((g) => g.toFixed(6))).size > 2, 'the deployed discount moves');
});

test('init: start puts every member at the start configuration; the arm seed changes the explore draws', async (t) => {
	const first = async (over: Partial<PopulationSettings>) => (await run({ ...over, resample: 1 })).members;
	const started = await first({ init: 'start' });
	t.true(
		started.every((m) => m.lr?.[0]?.[1] === 1e-6),
		'every member starts at lr 1e-6',
	);
	const sampled = await first({ init: 'sample' });
	t.true(
		sampled.slice(1).every((m) => m.lr?.[0]?.[1] !== 1e-6),
		'members 1.. are drawn',
	);
	const other = await first({ init: 'sample', seed: 5 });
	t.notDeepEqual(
		sampled.map((m) => m.lr?.[0]?.[1]),
		other.map((m) => m.lr?.[0]?.[1]),
	);
});
