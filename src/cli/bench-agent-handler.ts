/** What `metatune bench agent` does once its flags are parsed (bench-agent.ts): loads TensorFlow.js and measures (objectives/bandit/learner/bench.ts). */
import { InputError } from '../core/errors.js';
import type { BackendChoice } from '../objectives/bandit/learner/backend-choices.js';
import { benchAgent as measure } from '../objectives/bandit/learner/bench.js';
import type { TaskKind } from '../objectives/bandit/bandits/tasks.js';
import { listFlag } from './repeated-flags.js';

export interface Args {
	backend: BackendChoice;
	/** repeats (`--batch 1 --batch 16`) are merged */
	batch: string | string[];
	task: TaskKind;
	seconds: number;
	hidden: number;
	'reward-features': number | undefined;
	json: boolean;
}

function parseBatches(text: string): number[] {
	const values = text.split(',').map((s) => Number(s.trim()));
	if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v < 1))
		throw new InputError(`--batch: expected comma-separated positive integers like 1,16,64 (got '${text}')`, undefined, 'batch');
	return values;
}

const fmt = (x: number) => (x >= 1000 ? `${(x / 1000).toFixed(1)}k` : x.toFixed(0));

export async function benchAgent(args: Args): Promise<void> {
	const batches = parseBatches(listFlag(args.batch));
	if (!(args.seconds > 0)) throw new InputError(`--seconds: expected a positive number (got ${args.seconds})`, undefined, 'seconds');
	if (!(Number.isInteger(args.hidden) && args.hidden >= 1)) throw new InputError(`--hidden: expected a positive integer (got ${args.hidden})`, undefined, 'hidden');
	const features = args['reward-features'];
	if (features !== undefined && !(Number.isInteger(features) && features >= 0))
		throw new InputError(`--reward-features: expected a non-negative integer (got ${features})`, undefined, 'reward-features');
	const rows = await measure({ backend: args.backend, batches, task: args.task, seconds: args.seconds, hidden: args.hidden, ...(features === undefined ? {} : { rewardFeatures: features }) });
	if (args.json) {
		process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
		return;
	}
	const first = rows[0];
	if (first) process.stdout.write(`backend ${first.backend} · task ${first.task} · T ${first.horizon} · H ${first.hidden} · reward features ${features ?? 'default'} · Adam · one thread\n`);
	process.stdout.write('batch  env steps/s  ms/update  kernels/step  peak tensor MB  rss MB\n');
	for (const r of rows) {
		process.stdout.write(
			`${String(r.batch).padStart(5)}  ${fmt(r.stepsPerSecond).padStart(11)}  ${r.msPerUpdate.toFixed(2).padStart(9)}  ${r.kernelsPerStep.toFixed(3).padStart(12)}  ${(r.peakTensorBytes / 1e6).toFixed(2).padStart(14)}  ${(r.rssBytes / 1e6).toFixed(0).padStart(6)}\n`,
		);
	}
}
