/**
 * The agent's WebAssembly kernels give tfjs-backend-wasm's numbers bit for bit (so studies trained
 * before replay to the digit): the GEMM against tf.matMul in both layouts of its left operand, with
 * tails of rows and columns and a k long enough to run in blocks, the sigmoid against tf.sigmoid over
 * the whole range, and an agent trained through the kernels against one trained through tfjs ops,
 * also in a meta-gradient lifetime, where several trajectories are alive at once and the kernels'
 * memory holds only the last one rolled out (device.ts must copy an older one back in).
 */
import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { Rng } from '../../../../src/core/rng.js';
import { BanditBatch, type TaskKind } from '../../../../src/objectives/bandit/bandits/tasks.js';
import { Agent } from '../../../../src/objectives/bandit/learner/agent.js';
import { parseAgentConfig } from '../../../../src/objectives/bandit/learner/agent-config.js';
import { initBackend } from '../../../../src/objectives/bandit/learner/backend.js';
import { Kernels } from '../../../../src/objectives/bandit/learner/kernels.js';
import { runMetaLifetime } from '../../../../src/objectives/bandit/lifetimes/meta-lifetime.js';

const random = (rng: Rng, n: number, scale = 1) => Float32Array.from({ length: n }, () => rng.uniform(-scale, scale));

/** Indices where a and b differ as float32 bit patterns (-0 and +0 count as different). */
function differences(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let bad = 0;
	for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) bad++;
	return bad + Math.abs(a.length - b.length);
}

test.serial('gemm equals tfjs-backend-wasm matMul bit for bit, in both layouts of A', async (t) => {
	await initBackend('wasm');
	const k = new Kernels();
	const rng = new Rng(5);
	// 2 x 16 tiles with a last odd row, every column tail after the 16-wide tiles (8, 4, single
	// columns; 29 = 16 + 8 + 4 + 1), and k > the 128-row block
	for (const [m, n, p] of [
		[64, 55, 192],
		[6, 140, 21],
		[64, 192, 48],
		[7, 13, 5],
		[3, 300, 48],
		[55, 333, 12],
		[5, 129, 29],
		[1, 1, 1],
	] as const) {
		const a = random(rng, m * n);
		const b = random(rng, n * p);
		const expected = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, n]), tf.tensor2d(b, [n, p])).dataSync());
		const at = new Float32Array(m * n);
		for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j] as number;
		const rb = k.put('b', b);
		const rc = k.region('c', m * p);
		k.gemm(k.put('a', a), n, 1, rb, p, rc, p, m, n, p);
		t.is(differences(k.view(rc, m * p), expected), 0, `[${m}, ${n}] x [${n}, ${p}]`);
		k.gemm(k.put('a', at), 1, m, rb, p, rc, p, m, n, p);
		t.is(differences(k.view(rc, m * p), expected), 0, `[${n}, ${m}]^T x [${n}, ${p}]`);
	}
});

test.serial('sigmoid equals tfjs-backend-wasm sigmoid bit for bit', async (t) => {
	await initBackend('wasm');
	const k = new Kernels();
	const rng = new Rng(6);
	const x = new Float32Array(40_000);
	x.set(random(rng, 20_000, 8));
	x.set(random(rng, 19_992, 120), 20_000);
	x.set([0, -0, 1e-30, -1e-30, 87.3, -87.3, 88, -88], 39_992);
	const expected = tf.tidy(() => tf.sigmoid(tf.tensor1d(x)).dataSync());
	const rx = k.put('x', x);
	const ry = k.region('y', x.length);
	k.sigmoid(rx, ry, x.length);
	t.is(differences(k.view(ry, x.length), expected), 0);
	t.throws(() => k.sigmoid(rx, ry, 6), { instanceOf: RangeError });
});

test("the kernels' exp equals Math.exp bit for bit, branch-free form included", (t) => {
	const k = new Kernels();
	const rng = new Rng(7);
	const words = new Uint32Array(2);
	const near = (high: number) => {
		// a random double whose high word is `high` (fdlibm's range tests look at it alone)
		words[0] = Math.floor(rng.uniform(0, 2 ** 32));
		words[1] = high;
		return new Float64Array(words.buffer)[0] as number;
	};
	const xs = [0, -0, 1, -1, 1e-300, -1e-300, 0.5, 709.78, 709.5, -745.1, 710, -746, 511.9, -512, Infinity, -Infinity, Number.NaN];
	for (let i = 0; i < 20_000; i++) xs.push(rng.uniform(-2, 2), rng.uniform(-30, 30), rng.uniform(-800, 800));
	for (const high of [0x3fd62e42, 0x3ff0a2b2, 0x3e300000, 0x40800000]) for (let d = -1; d <= 1; d++) for (let i = 0; i < 500; i++) xs.push(near(high + d), -near(high + d));
	let bad = 0;
	for (const x of xs) if (!Object.is(k.exp(x), Math.exp(x)) || !Object.is(k.expSteady(x), Math.exp(x))) bad++;
	t.is(bad, 0);
});

test('the forward cell (sigmoid and cell in one pass) equals sigmoid then the JavaScript of rollout.ts bit for bit, large cells and odd H included', (t) => {
	const k = new Kernels();
	const rng = new Rng(8);
	for (const [B, H, spread] of [
		[64, 48, 3],
		[5, 7, 300],
		[3, 2, 1e-9],
	] as const) {
		const G = 4 * H;
		const z = random(rng, B * G, 6);
		// the kernels' sigmoid (equal to tfjs-backend-wasm's: the test above)
		k.sigmoid(k.put('z', z), k.region('s', B * G), B * G - ((B * G) % 4));
		const s = Float32Array.from(k.view(k.region('s', B * G), B * G));
		for (let i = B * G - ((B * G) % 4); i < B * G; i++) {
			k.sigmoid(k.put('one', Float32Array.of(z[i] as number, 0, 0, 0)), k.region('sone', 4), 4);
			s[i] = k.view(k.region('sone', 4))[0] as number;
		}
		const cprev = random(rng, B * H, spread);
		for (const first of [true, false]) {
			const gates = new Float32Array(B * G);
			const cell = new Float32Array(B * H);
			const tanh = new Float32Array(B * H);
			const hidden = new Float32Array(B * H);
			// rollout.ts's loop, as written there
			for (let b = 0; b < B; b++)
				for (let j = 0; j < H; j++) {
					const i = s[b * G + j] as number;
					const f = s[b * G + H + j] as number;
					const o = s[b * G + 2 * H + j] as number;
					const g = 2 * (s[b * G + 3 * H + j] as number) - 1;
					gates[b * G + j] = i;
					gates[b * G + H + j] = f;
					gates[b * G + 2 * H + j] = o;
					gates[b * G + 3 * H + j] = g;
					const c = (first ? 0 : f * (cprev[b * H + j] as number)) + i * g;
					const tc = 2 / (1 + Math.exp(-2 * c)) - 1;
					cell[b * H + j] = c;
					tanh[b * H + j] = tc;
					hidden[b * H + j] = o * tc;
				}
			const r = { z: k.put('z', z), p: k.put('p', cprev), g: k.region('g', B * G), c: k.region('c', B * H), t: k.region('t', B * H), h: k.region('h', B * H) };
			k.gatesCell(r.z, first ? undefined : r.p, r.g, r.c, r.t, r.h, B, H);
			const where = `B ${B}, H ${H}, |c'| <= ${spread}, ${first ? 'first step' : 'later step'}`;
			t.is(differences(k.view(r.g, B * G), gates), 0, `gates, ${where}`);
			t.is(differences(k.view(r.c, B * H), cell), 0, `cell, ${where}`);
			t.is(differences(k.view(r.t, B * H), tanh), 0, `tanh, ${where}`);
			t.is(differences(k.view(r.h, B * H), hidden), 0, `hidden, ${where}`);
		}
	}
});

async function trainedTheta(task: TaskKind, batch: number, hidden: number, kernels: boolean): Promise<Float32Array> {
	await initBackend('wasm');
	const before = process.env.METATUNE_WASM_DIRECT;
	process.env.METATUNE_WASM_DIRECT = kernels ? '1' : '0';
	const config = parseAgentConfig({ task, batch, hidden, horizon: 30 });
	const rng = new Rng(3);
	const agent = new Agent(config, rng);
	if (before === undefined) delete process.env.METATUNE_WASM_DIRECT;
	else process.env.METATUNE_WASM_DIRECT = before;
	try {
		if ((agent.device.direct !== undefined) !== kernels) throw new Error('the device did not take the path asked for');
		const env = new BanditBatch({ kind: task, batch, horizon: agent.horizon }, rng.split('bandits'));
		const actions = rng.split('actions');
		for (let i = 0; i < 6; i++) agent.train(env, actions);
		return Float32Array.from(agent.theta);
	} finally {
		agent.dispose();
	}
}

test.serial('an agent trains to the same parameters bit for bit with the kernels and with tfjs ops', async (t) => {
	// reward codes (two-armed, 16 features), the plain feature row (eleven-armed), odd H (column tails)
	for (const [task, batch, hidden] of [
		['dependent-uniform', 8, 48],
		['eleven-armed', 4, 48],
		['independent', 5, 7],
	] as const) {
		const ours = await trainedTheta(task, batch, hidden, true);
		const tfjs = await trainedTheta(task, batch, hidden, false);
		t.is(differences(ours, tfjs), 0, `${task}, B ${batch}, H ${hidden}`);
	}
});

test.serial('a meta-gradient lifetime follows the same discounts with the kernels and with tfjs ops', async (t) => {
	const config = parseAgentConfig({ task: 'dependent-uniform', horizon: 20, batch: 6, hidden: 10 });
	const run = async (kernels: boolean) => {
		const before = process.env.METATUNE_WASM_DIRECT;
		process.env.METATUNE_WASM_DIRECT = kernels ? '1' : '0';
		try {
			// 'reference' replays each batch conditioned on gamma_bar: a second trajectory per update
			const meta = { gamma0: 0.7, beta: 0.05, mu: 0.5, gammaBar: 1, gammaMin: 0.3, gammaMax: 0.99, updateEvery: 2, feedGamma: true, metaInput: 'reference' as const };
			return await runMetaLifetime({ config, seed: 5, trainEpisodes: 6 * 12, evalEpisodes: 12, backend: 'wasm', meta });
		} finally {
			if (before === undefined) delete process.env.METATUNE_WASM_DIRECT;
			else process.env.METATUNE_WASM_DIRECT = before;
		}
	};
	const ours = await run(true);
	const tfjs = await run(false);
	t.true(ours.gammaTrajectory.length > 2);
	t.not(ours.finalGamma, 0.7, 'gamma moved');
	t.deepEqual(ours.gammaTrajectory, tfjs.gammaTrajectory);
	t.is(ours.evalReturn.mean, tfjs.evalReturn.mean);
});
