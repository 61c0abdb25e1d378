/**
 * Benchmark: the agent's hand-written update (bptt.ts) against the same A2C-LSTM written the usual
 * TensorFlow.js way, with the rollout inside the gradient tape (learner/tape-reference.ts), on the
 * same backend, alternated per batch size so both see the same load. Prints env steps per second.
 *
 *   npm install --no-save @tensorflow/tfjs@4.22.0     # the tape needs tfjs's registered gradients
 *   npx tsx src/bench/scripts/bench-tape.ts [--batch 1,16,64] [--seconds 3] [--backend wasm]
 *
 * The default network (H = 48, 16 RBF reward features) on dependent-uniform, T = 100.
 */
import { parseArgs } from 'node:util';
import { backendChoices } from '../../objectives/bandit/learner/backend-choices.js';
import { benchAgent } from '../../objectives/bandit/learner/bench.js';
import { benchTape } from '../../objectives/bandit/learner/tape-reference.js';

const { values } = parseArgs({
	options: {
		batch: { type: 'string', default: '1,16,64' },
		seconds: { type: 'string', default: '3' },
		backend: { type: 'string', default: 'wasm' },
	},
});
const batches = values.batch.split(',').map(Number);
const seconds = Number(values.seconds);
const backend = backendChoices.find((b) => b === values.backend);
if (backend === undefined || batches.some((b) => !Number.isInteger(b) || b < 1) || !(seconds > 0)) {
	process.stderr.write(`bench-tape: --batch takes positive integers (1,16,64), --seconds a positive number, --backend one of ${backendChoices.join(', ')}\n`);
	process.exit(2);
}
const k = (x: number): string => `${(x / 1000).toFixed(1)}k`;
let version = '';
process.stdout.write('batch  hand-written BPTT env steps/s  tfjs tape env steps/s  ratio\n');
for (const batch of batches) {
	const [row] = await benchAgent({ backend, batches: [batch], seconds, task: 'dependent-uniform', seed: 1 });
	const tape = await benchTape({ backend, batch, seconds, hidden: row?.hidden ?? 48, seed: 1 });
	version = tape.version;
	const ours = row?.stepsPerSecond ?? Number.NaN;
	process.stdout.write(`${String(batch).padStart(5)}  ${k(ours).padStart(29)}  ${k(tape.stepsPerSecond).padStart(21)}  ${(ours / tape.stepsPerSecond).toFixed(1).padStart(5)}\n`);
}
process.stdout.write(`backend ${backend}, ${seconds} s per measurement; tfjs ${version}\n`);
