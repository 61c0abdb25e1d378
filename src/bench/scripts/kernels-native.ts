/**
 * The native addon's kernels (native-kernels.ts) against the agent's WebAssembly kernels at the
 * default network's shapes at batch 64 (H = 48, 55 input columns, T = 100): the three products
 * (forward 64 x 55 x 192, recurrent 64 x 192 x 48, weight gradient 55 x 6400 x 192 with A
 * transposed) at 4 and 8 lanes, the forward cell, the BPTT step and the heads; rounds alternated, the best
 * CPU time per call of each. Both give the same bits (native-kernels.test.ts); this says which is
 * faster here, and whether 8 lanes beat 4 on this CPU (the addon picks by a shorter timing of the
 * forward product when it loads).
 *
 *   npx tsx src/bench/scripts/kernels-native.ts [--rounds 5]
 */
import { parseArgs } from 'node:util';
import { Rng } from '../../core/rng.js';
import { Kernels } from '../../objectives/bandit/learner/kernels.js';
import { nativeAddon, nativeWhyNot } from '../../objectives/bandit/learner/native-kernels.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const addon = nativeAddon();
if (addon === undefined) {
	process.stdout.write(`the native kernels do not run here: ${nativeWhyNot()}\n`);
	process.exit(1);
}
const calibrated = addon.lanes();
const rng = new Rng(1);
const random = (n: number, scale = 1) => Float32Array.from({ length: n }, () => rng.uniform(-scale, scale));
const B = 64;
const H = 48;
const R = 55;
const G = 4 * H;
const N = 100 * B;

/** CPU microseconds per call of `run` over `calls` calls. */
const time = (calls: number, run: () => void): number => {
	const t0 = process.cpuUsage();
	for (let i = 0; i < calls; i++) run();
	const u = process.cpuUsage(t0);
	return (u.user + u.system) / calls;
};

/** Each case: its calls per timing and what one call does on kernels k. */
const cases: { name: string; calls: number; run: (k: Kernels) => () => void }[] = [
	{ name: 'forward product 64x55x192', calls: 400, run: (k) => () => k.gemm(k.region('x', B * R), R, 1, k.region('w', R * G), G, k.region('z', B * G), G, B, R, G) },
	{ name: 'recurrent product 64x192x48', calls: 400, run: (k) => () => k.gemm(k.region('dz', N * G), G, 1, k.region('r', G * H), H, k.region('dh', B * H), H, B, G, H) },
	{ name: 'weight gradient 55x6400x192', calls: 4, run: (k) => () => k.gemm(k.region('xs', N * R), 1, R, k.region('dz', N * G), G, k.region('gw', R * G), G, R, N, G) },
	{
		name: 'forward cell 64 x 48 units',
		calls: 400,
		run: (k) => () => k.gatesCell(k.region('z', B * G), k.region('c0', B * H), k.region('g', B * G), k.region('c', B * H), k.region('t', B * H), k.region('h', B * H), B, H),
	},
	{
		name: 'BPTT step 64 x 48 units',
		calls: 400,
		run: (k) => () =>
			k.bpttStep(
				k.region('o', 3 * N),
				N,
				B,
				B,
				3,
				H,
				k.region('hw', 3 * H),
				k.region('dh', B * H),
				k.region('dc', B * H),
				k.region('gs', N * G),
				k.region('ts', N * H),
				k.region('cs', N * H),
				k.region('dz', N * G),
				false,
				false,
			),
	},
	{ name: 'heads 64 x 48 units x 3', calls: 400, run: (k) => () => k.heads(k.region('h', B * H), k.region('hh', 3 * (H + 1)), k.region('l', 2 * B * 3), B, H, 3) },
];
const variants = [
	{ label: 'native 4 lanes', kernels: new Kernels('auto'), lanes: 4 as const },
	{ label: 'native 8 lanes', kernels: new Kernels('auto'), lanes: 8 as const },
	{ label: 'WebAssembly', kernels: new Kernels('wasm'), lanes: undefined },
];
// the same random inputs in every memory (gates in (0, 1) as sigmoids give)
const inputs: [string, Float32Array][] = [
	['x', random(B * R)],
	['w', random(R * G, 0.2)],
	['dz', random(N * G, 0.01)],
	['r', random(G * H, 0.2)],
	['xs', random(N * R)],
	['z', random(B * G, 4)],
	['c0', random(B * H, 2)],
	['o', random(3 * N, 0.01)],
	['hw', random(3 * H, 0.2)],
	['hh', random(3 * (H + 1), 0.2)],
	['dh', random(B * H, 0.01)],
	['dc', random(B * H, 0.01)],
	['gs', random(N * G).map((x) => (x + 1) / 2)],
	['ts', random(N * H)],
	['cs', random(N * H, 2)],
];
for (const v of variants) for (const [name, data] of inputs) v.kernels.put(name, data);
const best = new Map<string, number>();
for (let round = 0; round < rounds; round++)
	for (const v of variants) {
		if (v.lanes !== undefined) addon.lanes(v.lanes);
		for (const c of cases) {
			const key = `${c.name}|${v.label}`;
			best.set(key, Math.min(best.get(key) ?? Number.POSITIVE_INFINITY, time(c.calls, c.run(v.kernels))));
		}
	}
addon.lanes(calibrated as 4 | 8);
process.stdout.write(`best CPU us per call over ${rounds} alternated rounds (the addon chose ${calibrated} lanes when it loaded)\n`);
process.stdout.write(`${'kernel'.padEnd(30)}${variants.map((v) => v.label.padStart(16)).join('')}  WebAssembly / native 4\n`);
for (const c of cases) {
	const row = variants.map((v) => best.get(`${c.name}|${v.label}`) as number);
	process.stdout.write(`${c.name.padEnd(30)}${row.map((us) => us.toFixed(1).padStart(16)).join('')}  ${((row[2] as number) / (row[0] as number)).toFixed(2).padStart(8)}x\n`);
}
