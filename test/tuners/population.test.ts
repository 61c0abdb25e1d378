import test from 'ava';
import { Rng } from '../../src/core/rng.js';
import type { Params, Space } from '../../src/core/space.js';
import { pbtConfigSchema } from '../../src/tuners/config.js';
import { exploitCount, explore, firstGeneration, type MemberResult, nextGeneration } from '../../src/tuners/population.js';

const space: Space = {
	lr: { type: 'float', low: 0.01, high: 1, log: true },
	clip: { type: 'float', low: 0.1, high: 10 },
	width: { type: 'int', low: 1, high: 9 },
	mode: { type: 'categorical', choices: ['a', 'b', 'c'] },
	env: { type: 'fixed', value: 'cartpole' },
};

const config = (over: Record<string, unknown> = {}) => pbtConfigSchema.parse({ kind: 'pbt', population: 6, ...over });

function results(values: readonly number[]): MemberResult[] {
	return values.map((value, member) => ({
		member,
		fate: 'continues' as const,
		trial: 100 + member,
		params: { lr: 0.1 * (member + 1), clip: 1 + member, width: 1 + member, mode: 'a', env: 'cartpole' },
		value,
		step: 20,
	}));
}

test('exploit: the bottom quantile copies a top member (its checkpoint and settings); explore changes only what it records', (t) => {
	const values = [5, 1, 9, 3, 8, 0];
	const rs = results(values);
	const plans = nextGeneration(config({ quantile: 0.34 }), space, 'maximize', 7, 'pbt', 1, rs);
	t.is(plans.length, 6);
	// k = floor(6 * 0.34) = 2: members 5 (0) and 1 (1) are the bottom, members 2 (9) and 4 (8) the top
	const exploiting = plans.filter((p) => p.exploit !== undefined).map((p) => p.member);
	t.deepEqual(exploiting, [1, 5]);
	for (const p of plans) {
		const own = rs[p.member] as Extract<MemberResult, { fate: 'continues' }>;
		if (p.exploit === undefined) {
			t.deepEqual(p.params, own.params, 'a member that does not exploit keeps its settings');
			t.is(p.restore, own.trial, 'and continues its own checkpoint');
			continue;
		}
		t.true([2, 4].includes(p.exploit.member));
		const source = rs[p.exploit.member] as Extract<MemberResult, { fate: 'continues' }>;
		t.is(p.restore, source.trial);
		t.is(p.exploit.trial, source.trial);
		t.is(p.from_step, source.step);
		for (const name of Object.keys(space)) {
			const change = p.explore?.[name];
			if (change === undefined) t.is<unknown, unknown>(p.params[name], source.params[name], `${name} copied unchanged`);
			else {
				t.is<unknown, unknown>(change.from, source.params[name]);
				t.is<unknown, unknown>(change.to, p.params[name]);
				t.not(change.to, change.from);
			}
		}
	}
});

test('explore without resampling: floats x0.8 or x1.2 (clamped), ints and categoricals kept, fixed untouched', (t) => {
	const params: Params = { lr: 0.5, clip: 9, width: 4, mode: 'b', env: 'cartpole' };
	for (let i = 0; i < 20; i++) {
		const { params: out, changes } = explore(config({ resample: 0 }), space, params, new Rng(i));
		t.true([0.4, 0.6].some((v) => Math.abs((out.lr as number) - v) < 1e-12));
		t.true(
			[7.2, 10].some((v) => Math.abs((out.clip as number) - v) < 1e-12),
			'clip 9 x1.2 is clamped to 10',
		);
		t.is(out.width, 4);
		t.is(out.mode, 'b');
		t.is(out.env, 'cartpole');
		t.deepEqual(Object.keys(changes).sort(), ['clip', 'lr']);
		t.true(Object.values(changes).every((c) => c.how === 'perturb'));
	}
});

test('explore with resample 1: every searched param is drawn from its range', (t) => {
	const params: Params = { lr: 0.5, clip: 9, width: 4, mode: 'b', env: 'cartpole' };
	const seen = new Set<unknown>();
	for (let i = 0; i < 40; i++) {
		const { params: out, changes } = explore(config({ resample: 1 }), space, params, new Rng(i));
		for (const c of Object.values(changes)) t.is(c.how, 'resample');
		t.true((out.width as number) >= 1 && (out.width as number) <= 9 && Number.isInteger(out.width));
		seen.add(out.mode);
		t.is(out.env, 'cartpole');
	}
	t.deepEqual([...seen].sort(), ['a', 'b', 'c']);
});

test('decisions depend on recorded values only: the order results arrive in changes nothing, the seed does', (t) => {
	const rs = results([5, 1, 9, 3, 8, 0]);
	const a = nextGeneration(config(), space, 'maximize', 3, 'pbt', 2, rs);
	const b = nextGeneration(config(), space, 'maximize', 3, 'pbt', 2, [...rs].reverse());
	t.deepEqual(a, b);
	const c = nextGeneration(config(), space, 'maximize', 4, 'pbt', 2, rs);
	t.notDeepEqual(
		a.map((p) => p.params),
		c.map((p) => p.params),
	);
});

test('minimize ranks the lowest first; failed members exploit; finished ones get no segment; none continuing ends training', (t) => {
	const rs: MemberResult[] = [...results([5, 1, 9, 3]), { member: 4, fate: 'failed' }, { member: 5, fate: 'finished' }];
	const plans = nextGeneration(config({ quantile: 0.25 }), space, 'minimize', 1, 'pbt', 1, rs);
	t.deepEqual(
		plans.map((p) => p.member),
		[0, 1, 2, 3, 4],
	);
	t.is(plans.find((p) => p.member === 4)?.exploit?.member, 1, 'the failed member copies the best (lowest)');
	t.is(plans.find((p) => p.member === 2)?.exploit?.member, 1, 'the worst (highest) copies the best');
	t.deepEqual(nextGeneration(config(), space, 'maximize', 1, 'pbt', 1, [{ member: 0, fate: 'finished' }]), []);
});

test('init: start puts every member at the start configuration, sample draws them from the space', (t) => {
	const start: Params = { lr: 0.1, clip: 5, width: 5, mode: 'a', env: 'cartpole' };
	const same = firstGeneration(config({ init: 'start' }), space, start, 0, 'pbt');
	t.true(same.every((p) => JSON.stringify(p.params) === JSON.stringify(start)));
	const drawn = firstGeneration(config({ init: 'sample' }), space, start, 0, 'pbt');
	t.is(new Set(drawn.map((p) => p.params.lr)).size, 6);
	t.true(drawn.every((p) => p.params.env === 'cartpole' && p.restore === undefined));
});

test('exploitCount: at least one, at most half', (t) => {
	t.is(exploitCount(1, 0.25), 0);
	t.is(exploitCount(2, 0.25), 1);
	t.is(exploitCount(8, 0.25), 2);
	t.is(exploitCount(8, 0.5), 4);
	t.is(exploitCount(3, 0.5), 1);
});
