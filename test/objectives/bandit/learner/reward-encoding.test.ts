import test from 'ava';
import { parseAgentConfig } from '../../../../src/objectives/bandit/learner/agent-config.js';
import { layoutOf } from '../../../../src/objectives/bandit/learner/network.js';
import { encodeReward, rewardFeatureCount } from '../../../../src/objectives/bandit/learner/reward-encoding.js';

test('rbf features peak at their centres and tell rewards 0.1 apart', (t) => {
	const enc = { kind: 'rbf', features: 11, low: 0, high: 1 } as const;
	t.is(rewardFeatureCount(enc), 11);
	const out = new Float32Array(13);
	encodeReward(enc, 0.3, out, 2);
	t.is(out[0], 0);
	t.is(out[1], 0);
	const phi = Array.from(out.subarray(2));
	t.is(phi.indexOf(Math.max(...phi)), 3);
	t.true(Math.abs(phi[3]! - 1) < 1e-6);
	// neighbours one width away: exp(-1/2)
	t.true(Math.abs(phi[2]! - Math.exp(-0.5)) < 1e-6);
	t.true(Math.abs(phi[4]! - Math.exp(-0.5)) < 1e-6);
	// the rewards of the eleven-armed informative arm (0.1 .. 1.0) each light a different feature most
	const argmaxes = new Set<number>();
	for (let j = 1; j <= 10; j++) {
		encodeReward(enc, 0.1 * j, out, 0);
		const f = Array.from(out.subarray(0, 11));
		argmaxes.add(f.indexOf(Math.max(...f)));
	}
	t.is(argmaxes.size, 10);
});

test('the scalar encoding adds no inputs; the default rbf adds its features to the input row', (t) => {
	t.is(rewardFeatureCount({ kind: 'scalar' }), 0);
	const scalar = parseAgentConfig({ reward_encoding: { kind: 'scalar' } });
	const rbf = parseAgentConfig({});
	const base = layoutOf({ arms: 2, hidden: 4, extra: 1 });
	const wide = layoutOf({ arms: 2, hidden: 4, extra: 1, rewardFeatures: rewardFeatureCount(rbf.reward_encoding) });
	t.is(rewardFeatureCount(scalar.reward_encoding), 0);
	t.is(wide.inputs - base.inputs, 16);
	t.is(wide.rewardFeatureOffset, 2 + 2 + 1);
	t.is(wide.size - base.size, 16 * 16);
});

test('bad reward encodings name the field', (t) => {
	t.throws(() => parseAgentConfig({ reward_encoding: { kind: 'rbf', low: 1, high: 0 } }), { message: /agent\.reward_encoding\.high/ });
	t.throws(() => parseAgentConfig({ reward_encoding: { kind: 'onehot' } }), { message: /agent\.reward_encoding/ });
});

test('no float32 subnormal reaches the network input from the reward features (they are slow to compute with)', (t) => {
	const minNormal = 2 ** -126;
	const subnormals = (features: number, low: number, high: number) => {
		const enc = { kind: 'rbf', features, low, high } as const;
		const out = new Float32Array(features);
		let found = 0;
		// rewards as the agent sees them: exact 0 and 1, the eleven-armed payoffs, scaled and odd values
		const rewards = [0, 1, 0.1, 1.1, 5, 0.5, -1, 2, ...Array.from({ length: 201 }, (_, i) => -0.5 + i * 0.01)];
		for (const r of rewards) {
			encodeReward(enc, r, out, 0);
			for (const x of out) if (x !== 0 && Math.abs(x) < minNormal) found++;
		}
		return found;
	};
	const def = parseAgentConfig({}).reward_encoding;
	if (def.kind !== 'rbf') return t.fail('the default encoding is rbf');
	t.is(subnormals(def.features, def.low, def.high), 0, 'the default 16 features');
	for (const features of [2, 4, 8, 12, 14, 16, 24, 32]) t.is(subnormals(features, 0, 1), 0, `${features} features`);
	// without the floor, the default encoding does produce them (so this test can fail)
	const far = Math.exp(-((14 / 15) ** 2) / (2 * (1 / 15) ** 2));
	t.true(Math.fround(far) > 0 && Math.fround(far) < minNormal, `a far bump is ${far}: subnormal in float32`);
});
