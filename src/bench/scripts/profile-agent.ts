/**
 * Where one A2C update of the agent spends its time, per phase (`bench agent` measures the whole):
 * the rollout's forward products (device.forwardGates; device.forwardCell on the wasm kernels: the
 * product, the sigmoid and the cell), the rest of the rollout (inputs, heads, softmax, sampling, env
 * step; the cell too without the kernels), the backward products (device.recurrentBackRows), the weight
 * gradients (device.weightGradient: the LSTM's; device.product: the heads'), the rest of the backward
 * pass, returns + A2C output gradients, and the optimiser step; inside them, each of the kernels'
 * products by its shape (m x k x n), the cell, the BPTT step and the heads (the products run in the
 * native addon where it runs: METATUNE_NATIVE=0 for the WebAssembly ones). The methods are wrapped with
 * timers on this agent only, after a first run of the same updates without them (the total to
 * compare: each timer is a process.cpuUsage call, ~400 an update).
 *
 *   npx tsx src/bench/scripts/profile-agent.ts [--batch 64] [--updates 30]
 *
 * The default network (H = 48, 16 RBF reward features) on dependent-uniform, T = 100, wasm.
 */
import { parseArgs } from 'node:util';
import { Rng } from '../../core/rng.js';
import { BanditBatch } from '../../objectives/bandit/bandits/tasks.js';
import { a2cOutputGrads } from '../../objectives/bandit/learner/a2c.js';
import { Agent } from '../../objectives/bandit/learner/agent.js';
import { entropyCoefAt, parseAgentConfig } from '../../objectives/bandit/learner/agent-config.js';
import { initBackend } from '../../objectives/bandit/learner/backend.js';
import { backward, bpttScratch } from '../../objectives/bandit/learner/bptt.js';
import { nativeAddon } from '../../objectives/bandit/learner/native-kernels.js';
import { discountedReturns } from '../../objectives/bandit/learner/returns.js';

const { values } = parseArgs({ options: { batch: { type: 'string', default: '64' }, updates: { type: 'string', default: '30' } } });
const batch = Number(values.batch);
const updates = Number(values.updates);
await initBackend('wasm');
const config = parseAgentConfig({ task: 'dependent-uniform', batch, hidden: 48, optimizer: 'adam' });
const rng = new Rng(0);
const agent = new Agent(config, rng);
const env = new BanditBatch({ kind: 'dependent-uniform', batch, horizon: agent.horizon }, rng.split('bandits'));
const actions = rng.split('actions');

/** CPU milliseconds of this process so far. */
const now = (): number => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
};
const totals = new Map<string, number>();
const add = (name: string, ms: number) => totals.set(name, (totals.get(name) ?? 0) + ms);
const device = agent.device;
const wrap = () => {
	for (const name of ['forwardGates', 'forwardCell', 'recurrentBackRows', 'weightGradient', 'product'] as const) {
		const original = device[name].bind(device) as (...args: unknown[]) => void;
		(device as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
			const t0 = now();
			original(...args);
			add(`device.${name}`, now() - t0);
		};
	}
};
/** the agent's kernels (the wasm backend): each product by its shape, the cell, the BPTT step, the heads */
const wrapKernels = () => {
	const kernels = device.direct;
	if (kernels === undefined) return;
	for (const name of ['gemm', 'gatesCell', 'bpttStep', 'heads'] as const) {
		const original = kernels[name].bind(kernels) as (...args: unknown[]) => void;
		(kernels as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
			const t0 = now();
			original(...args);
			add(name === 'gemm' ? `  kernels.gemm ${args[7]}x${args[8]}x${args[9]}` : `  kernels.${name}`, now() - t0);
		};
	}
};
const n = agent.horizon * batch;
const scratch = bpttScratch(agent.layout, n);
const dOutT = new Float32Array((agent.layout.shape.arms + 1) * n);
const returns = new Float32Array(n);
const update = () => {
	let t0 = now();
	const { traj } = agent.play(env, actions);
	add('rollout (all)', now() - t0);
	t0 = now();
	const r = discountedReturns(traj.rewards, agent.discounts, traj.steps, traj.batch, returns);
	a2cOutputGrads(traj, r, { valueCoef: config.value_coef, entropyCoef: entropyCoefAt(config, agent.episodesTrained) }, dOutT, 'total');
	add('returns + a2c', now() - t0);
	t0 = now();
	const grad = backward(agent.layout, agent.theta, device, traj, dOutT, scratch);
	add('backward (all)', now() - t0);
	t0 = now();
	agent.applyGradient(grad, batch);
	add('optimizer', now() - t0);
};
for (let i = 0; i < 3; i++) update();
// the whole update first, without the phase timers (each costs a process.cpuUsage call, ~400 an update)
const u0 = now();
for (let i = 0; i < updates; i++) update();
const whole = now() - u0;
wrap();
wrapKernels();
totals.clear();
const t0 = now();
for (let i = 0; i < updates; i++) update();
const wall = now() - t0;
process.stdout.write(`products: ${device.direct ? `${device.direct.products}${device.direct.products === 'native' ? ` (${nativeAddon()?.lanes()} lanes)` : ''}` : 'tfjs'}\n`);
process.stdout.write(`batch ${batch}: ${(whole / updates).toFixed(2)} CPU ms per update, ${((n * updates) / (whole / 1000) / 1000).toFixed(1)}k env steps per CPU second\n`);
process.stdout.write(`with the phase timers: ${(wall / updates).toFixed(2)} CPU ms per update\n`);
for (const [name, ms] of totals) process.stdout.write(`${name.padEnd(24)} ${(ms / updates).toFixed(2).padStart(8)} ms  ${((100 * ms) / wall).toFixed(1).padStart(5)}%\n`);
agent.dispose();
