/**
 * Training-throughput benchmark of the agent (`metatune bench agent`): env steps per second of full
 * A2C updates (rollout + backward + optimiser) per batch size, kernels per env step over one update
 * (the device's own launch count plus any other kernel tf.profile sees), and memory (tfjs peak bytes within an update, process RSS).
 * Default workload as in the throughput figures of docs/design-notes.md: K = 2 arms, H = 48 units, T = 100 steps, Adam.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../../core/rng.js';
import { Agent } from './agent.js';
import { parseAgentConfig } from './agent-config.js';
import type { BackendChoice, BackendName } from './backend-choices.js';
import { initBackend } from './backend.js';
import { BanditBatch, type TaskKind } from '../bandits/tasks.js';

export interface BenchOptions {
	readonly backend?: BackendChoice;
	readonly batches?: readonly number[];
	readonly task?: TaskKind;
	readonly horizon?: number;
	readonly hidden?: number;
	/** RBF features of the previous reward (0: the scalar input only, the published network; default: the agent's default) */
	readonly rewardFeatures?: number;
	/** measuring time per batch size (after one warm-up update) */
	readonly seconds?: number;
	readonly seed?: number;
}

export interface BenchRow {
	readonly backend: BackendName;
	/** whose products the agent ran: the native addon's (AVX2, native-kernels.ts), the agent's WebAssembly kernels', or tfjs ops */
	readonly products: 'native' | 'wasm' | 'tfjs';
	readonly task: TaskKind;
	readonly batch: number;
	readonly horizon: number;
	readonly hidden: number;
	readonly updates: number;
	readonly stepsPerSecond: number;
	/** env steps per second of this process's CPU time (user + system): less sensitive than stepsPerSecond to other jobs on the machine */
	readonly cpuStepsPerSecond: number;
	readonly msPerUpdate: number;
	/** kernels launched by one update / (T B), from tf.profile */
	readonly kernelsPerStep: number;
	readonly kernelsPerUpdate: number;
	/** peak tfjs tensor bytes during one update */
	readonly peakTensorBytes: number;
	readonly rssBytes: number;
}

function rewardEncoding(features: number | undefined): Record<string, unknown> {
	if (features === undefined) return {};
	return { reward_encoding: features === 0 ? { kind: 'scalar' } : { kind: 'rbf', features, low: 0, high: 1 } };
}

export async function benchAgent(options: BenchOptions = {}): Promise<BenchRow[]> {
	const backend = await initBackend(options.backend ?? 'auto');
	const task = options.task ?? 'dependent-uniform';
	const rows: BenchRow[] = [];
	for (const batch of options.batches ?? [1, 16, 64]) {
		const config = parseAgentConfig({
			task,
			batch,
			hidden: options.hidden ?? 48,
			optimizer: 'adam',
			...(options.horizon ? { horizon: options.horizon } : {}),
			...rewardEncoding(options.rewardFeatures),
		});
		const rng = new Rng(options.seed ?? 0);
		const agent = new Agent(config, rng);
		try {
			const env = new BanditBatch({ kind: task, batch, horizon: agent.horizon }, rng.split('bandits'));
			const actions = rng.split('actions');
			agent.train(env, actions);
			const k0 = agent.device.kernels;
			const profile = await tf.profile(() => {
				agent.train(env, actions);
			});
			// tf.profile sees only kernels run through the tfjs engine; the wasm fast path calls the
			// backend directly, so count the device's own launches and add any other engine kernels.
			const direct = agent.device.kernels - k0;
			const engineOnly = profile.kernels.filter((k) => k.name !== 'BatchMatMul' && k.name !== '_FusedMatMul').length;
			const kernelsPerUpdate = direct + engineOnly;
			const seconds = options.seconds ?? 3;
			let updates = 0;
			const cpu0 = process.cpuUsage();
			const t0 = performance.now();
			let elapsed = 0;
			do {
				agent.train(env, actions);
				updates++;
				elapsed = (performance.now() - t0) / 1000;
			} while (elapsed < seconds);
			const cpu = process.cpuUsage(cpu0);
			const steps = updates * batch * agent.horizon;
			rows.push({
				backend,
				products: agent.device.direct?.products ?? 'tfjs',
				task,
				batch,
				horizon: agent.horizon,
				hidden: config.hidden,
				updates,
				stepsPerSecond: steps / elapsed,
				cpuStepsPerSecond: steps / ((cpu.user + cpu.system) / 1e6),
				msPerUpdate: (elapsed * 1000) / updates,
				kernelsPerStep: kernelsPerUpdate / (batch * agent.horizon),
				kernelsPerUpdate,
				peakTensorBytes: Math.max(0, profile.peakBytes), // -Infinity when no tfjs kernel ran (the wasm kernels)
				rssBytes: process.memoryUsage().rss,
			});
		} finally {
			agent.dispose();
		}
	}
	return rows;
}
