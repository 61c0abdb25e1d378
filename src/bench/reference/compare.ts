/**
 * metatune's agent bench beside the PyTorch reference (`bench agent --reference torch`): for each batch
 * size, metatune's measurement and then the reference's, one after the other, so both see the same
 * load on a shared machine (a run of all metatune batches and then all PyTorch ones would compare two
 * different moments). The ratio is metatune's env steps/s over PyTorch's, per second of wall clock
 * and per second of each process's CPU time (which other jobs on the machine disturb less).
 */
import { parseAgentConfig } from '../../objectives/bandit/learner/agent-config.js';
import { type BenchOptions, type BenchRow, benchAgent } from '../../objectives/bandit/learner/bench.js';
import { rewardFeatureCount } from '../../objectives/bandit/learner/reward-encoding.js';
import { runTorch, type TorchFormulation, type TorchRow } from './torch.js';

export interface ComparedRow extends BenchRow {
	readonly reference: {
		readonly kind: 'torch';
		readonly version: string;
		readonly formulation: TorchFormulation;
		readonly stepsPerSecond: number;
		readonly cpuStepsPerSecond: number;
		readonly msPerUpdate: number;
		readonly updates: number;
	};
	/** metatune env steps/s / PyTorch env steps/s (wall clock) */
	readonly ratio: number;
	/** the same per second of each process's CPU time */
	readonly cpuRatio: number;
}

function compared(row: BenchRow, torch: TorchRow): ComparedRow {
	return {
		...row,
		reference: {
			kind: 'torch',
			version: torch.version,
			formulation: torch.formulation,
			stepsPerSecond: torch.steps_per_second,
			cpuStepsPerSecond: torch.cpu_steps_per_second,
			msPerUpdate: torch.ms_per_update,
			updates: torch.updates,
		},
		ratio: row.stepsPerSecond / torch.steps_per_second,
		cpuRatio: row.cpuStepsPerSecond / torch.cpu_steps_per_second,
	};
}

/** Measure metatune and then PyTorch (run with `python`, the script's `formulation`) at each batch size in turn. */
export async function compareWithTorch(python: string, formulation: TorchFormulation, options: BenchOptions & { readonly batches: readonly number[] }): Promise<ComparedRow[]> {
	const rewardFeatures = options.rewardFeatures ?? rewardFeatureCount(parseAgentConfig({}).reward_encoding);
	const out: ComparedRow[] = [];
	for (const batch of options.batches) {
		const [row] = await benchAgent({ ...options, batches: [batch] });
		if (row === undefined) continue;
		const torch = await runTorch(python, { batch, seconds: options.seconds ?? 3, hidden: row.hidden, horizon: row.horizon, rewardFeatures, seed: options.seed ?? 0, formulation });
		out.push(compared(row, torch));
	}
	return out;
}
