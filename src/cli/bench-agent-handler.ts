/**
 * What `metatune bench agent` does once its flags are parsed (bench-agent.ts): loads TensorFlow.js and
 * measures (objectives/bandit/learner/bench.ts); with --reference torch, alternates with the PyTorch
 * reference per batch size (bench/reference/compare.ts) and prints the ratio.
 */
import { compareWithTorch, type ComparedRow } from '../bench/reference/compare.js';
import { defaultPythons, findTorch, installHint, type TorchFormulation, torchScriptMissing, torchScriptPath } from '../bench/reference/torch.js';
import { InputError } from '../core/errors.js';
import type { BackendChoice } from '../objectives/bandit/learner/backend-choices.js';
import { type BenchOptions, type BenchRow, benchAgent as measure } from '../objectives/bandit/learner/bench.js';
import type { TaskKind } from '../objectives/bandit/bandits/tasks.js';
import { nativeAddon, nativeWhyNot } from '../objectives/bandit/learner/native-kernels.js';
import { listFlag } from './repeated-flags.js';

export interface Args {
	backend: BackendChoice;
	/** repeats (`--batch 1 --batch 16`) are merged */
	batch: string | string[];
	task: TaskKind;
	seconds: number;
	hidden: number;
	'reward-features': number | undefined;
	reference: 'torch' | undefined;
	python: string | undefined;
	formulation: TorchFormulation | undefined;
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
	if (args.python !== undefined && args.reference === undefined) throw new InputError('--python: names the Python of --reference torch; add --reference torch or drop --python', undefined, 'python');
	if (args.formulation !== undefined && args.reference === undefined)
		throw new InputError('--formulation: chooses how --reference torch writes an update; add --reference torch or drop --formulation', undefined, 'formulation');
	if (args.reference === 'torch' && args.task !== 'dependent-uniform')
		throw new InputError(`--reference torch: the PyTorch reference trains on dependent-uniform only (got --task ${args.task}); drop --task`, undefined, 'task');
	const options: BenchOptions & { batches: readonly number[] } = {
		backend: args.backend,
		batches,
		task: args.task,
		seconds: args.seconds,
		hidden: args.hidden,
		...(features === undefined ? {} : { rewardFeatures: features }),
	};
	if (args.reference === 'torch') {
		const missing = torchScriptMissing();
		const probe = missing === undefined ? await findTorch(args.python === undefined ? defaultPythons : [args.python]) : undefined;
		if (probe?.kind === 'found') {
			const rows = await compareWithTorch(probe.python, args.formulation ?? 'bptt', options);
			printRows(rows, args);
			if (!args.json) printComparison(rows, probe.python);
			return;
		}
		const why = probe === undefined ? missing : `no Python here imports torch (tried ${probe.tried.join(', ')}); ${installHint}`;
		process.stderr.write(`metatune: --reference torch: skipped, ${why}\n`);
	}
	printRows(await measure(options), args);
}

function printRows(rows: readonly BenchRow[], args: Args): void {
	if (args.json) {
		process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
		return;
	}
	const first = rows[0];
	if (first)
		process.stdout.write(
			`backend ${first.backend} · products ${productsLabel(first.products)} · task ${first.task} · T ${first.horizon} · H ${first.hidden} · reward features ${args['reward-features'] ?? 'default'} · Adam · one thread\n`,
		);
	process.stdout.write('batch  env steps/s  ms/update  kernels/step  peak tensor MB  rss MB\n');
	for (const r of rows) {
		process.stdout.write(
			`${String(r.batch).padStart(5)}  ${fmt(r.stepsPerSecond).padStart(11)}  ${r.msPerUpdate.toFixed(2).padStart(9)}  ${r.kernelsPerStep.toFixed(3).padStart(12)}  ${(r.peakTensorBytes / 1e6).toFixed(2).padStart(14)}  ${(r.rssBytes / 1e6).toFixed(0).padStart(6)}\n`,
		);
	}
}

function productsLabel(products: BenchRow['products']): string {
	switch (products) {
		case 'native':
			return `native AVX2 (${nativeAddon()?.lanes()} lanes)`;
		case 'wasm':
			return `WebAssembly (${nativeWhyNot() ?? 'not the native addon'})`;
		case 'tfjs':
			return 'tfjs ops';
	}
}

function printComparison(rows: readonly ComparedRow[], python: string): void {
	const version = rows[0]?.reference.version ?? '';
	const formulation = rows[0]?.reference.formulation ?? '';
	process.stdout.write(`\nreference PyTorch ${version} CPU, 1 thread, ${formulation} (${python} ${torchScriptPath()}), run after metatune at each batch size\n`);
	process.stdout.write('batch  metatune steps/s  PyTorch steps/s  metatune / PyTorch  per CPU second: metatune  PyTorch  ratio\n');
	for (const r of rows)
		process.stdout.write(
			`${String(r.batch).padStart(5)}  ${fmt(r.stepsPerSecond).padStart(16)}  ${fmt(r.reference.stepsPerSecond).padStart(15)}  ${r.ratio.toFixed(2).padStart(18)}  ${fmt(r.cpuStepsPerSecond).padStart(24)}  ${fmt(r.reference.cpuStepsPerSecond).padStart(7)}  ${r.cpuRatio.toFixed(2).padStart(5)}\n`,
		);
}
