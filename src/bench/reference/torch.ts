/**
 * The PyTorch reference of `metatune bench agent --reference torch`: finds a Python that imports
 * torch and runs a2c_lstm_torch.py (beside this file in the sources; the same A2C-LSTM and workload
 * as the agent's bench) for one batch size, returning the line it prints. The Python side lives in a
 * script rather than here so that anyone can run the reference by itself (README.md in this folder).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BackendError } from '../../core/errors.js';

/** Pythons tried in turn when none is named: the one on PATH, then Debian's (which python3-torch installs into). */
export const defaultPythons: readonly string[] = ['python3', '/usr/bin/python3'];

export const installHint =
	'install it with `apt-get install python3-torch libopenblas0-serial` (Debian; then /usr/bin/python3 has it) or `pip install torch`, or name a Python that has it with --python';

/**
 * The script's path. Compiled code runs from dist/src/bench/reference/, which holds no Python, so it
 * reads the script from src/bench/reference/ of the checkout; an installed package holds no src/
 * (see `torchScriptMissing`).
 */
export function torchScriptPath(): string {
	const here = import.meta.url;
	return fileURLToPath(new URL(here.endsWith('.ts') ? './a2c_lstm_torch.py' : '../../../../src/bench/reference/a2c_lstm_torch.py', here));
}

/** Why the reference cannot run from this copy of metatune, or undefined when the script is here. */
export function torchScriptMissing(): string | undefined {
	const script = torchScriptPath();
	if (existsSync(script)) return undefined;
	return `${script} is not here: the PyTorch reference ships with the source repository, not the npm package; run it from a clone`;
}

/**
 * How the script writes one update (its --formulation): `bptt` rolls out without autograd and runs
 * the LSTM's backward pass written by hand in a torch.autograd.Function (the fastest), `recompute`
 * recomputes the loss with autograd over the recorded inputs (torch.nn.LSTM), `taped` records the
 * rollout with autograd (LSTMCell step by step). All three give the same gradient.
 */
const torchFormulations = ['bptt', 'recompute', 'taped'] as const;
export type TorchFormulation = (typeof torchFormulations)[number];

export type TorchProbe = { readonly kind: 'found'; readonly python: string; readonly version: string } | { readonly kind: 'missing'; readonly tried: readonly string[] };

interface Ran {
	readonly code: number | string;
	readonly stdout: string;
	readonly stderr: string;
}

function run(file: string, args: readonly string[], timeoutMs: number): Promise<Ran> {
	return new Promise((resolve) => {
		execFile(file, args, { timeout: timeoutMs, maxBuffer: 1024 * 1024, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (error, stdout, stderr) => {
			const code = error === null ? 0 : typeof error.code === 'number' || typeof error.code === 'string' ? error.code : 'killed';
			resolve({ code, stdout, stderr });
		});
	});
}

/** The first of `pythons` that imports torch (importing torch takes seconds on a loaded machine). */
export async function findTorch(pythons: readonly string[] = defaultPythons): Promise<TorchProbe> {
	for (const python of [...new Set(pythons)]) {
		const r = await run(python, ['-c', 'import torch; print(torch.__version__)'], 120_000);
		if (r.code === 0) return { kind: 'found', python, version: r.stdout.trim() };
	}
	return { kind: 'missing', tried: [...new Set(pythons)] };
}

export interface TorchRunOptions {
	readonly batch: number;
	readonly seconds: number;
	readonly hidden: number;
	readonly horizon: number;
	readonly rewardFeatures: number;
	readonly seed: number;
	readonly formulation: TorchFormulation;
}

/** One line of a2c_lstm_torch.py (snake_case as the script prints it). */
export interface TorchRow {
	readonly reference: 'torch';
	readonly version: string;
	readonly formulation: TorchFormulation;
	readonly threads: number;
	readonly batch: number;
	readonly horizon: number;
	readonly hidden: number;
	readonly reward_features: number;
	readonly updates: number;
	readonly seconds: number;
	readonly steps_per_second: number;
	readonly cpu_steps_per_second: number;
	readonly ms_per_update: number;
}

function parseRow(line: string): TorchRow | undefined {
	try {
		const row = JSON.parse(line) as Partial<TorchRow>;
		return row.reference === 'torch' &&
			typeof row.steps_per_second === 'number' &&
			Number.isFinite(row.steps_per_second) &&
			typeof row.cpu_steps_per_second === 'number' &&
			torchFormulations.some((f) => f === row.formulation) &&
			typeof row.batch === 'number'
			? (row as TorchRow)
			: undefined;
	} catch {
		return undefined;
	}
}

/** Run the script with `python` for one batch size; BackendError when it fails or prints no line. */
export async function runTorch(python: string, options: TorchRunOptions): Promise<TorchRow> {
	const script = torchScriptPath();
	const args = [
		script,
		'--batch',
		String(options.batch),
		'--seconds',
		String(options.seconds),
		'--hidden',
		String(options.hidden),
		'--horizon',
		String(options.horizon),
		'--reward-features',
		String(options.rewardFeatures),
		'--seed',
		String(options.seed),
		'--formulation',
		options.formulation,
	];
	// start-up (importing torch) plus the measuring time plus a slow warm-up update on a loaded machine
	const r = await run(python, args, 300_000 + options.seconds * 4000);
	const lines = r.stdout.split('\n').filter((l) => l.trim().length > 0);
	const row = lines.length > 0 ? parseRow(lines[lines.length - 1] as string) : undefined;
	if (r.code !== 0 || row === undefined) {
		const why = r.stderr.trim().split('\n').pop() ?? '';
		throw new BackendError(`reference torch: ${python} ${script} ${r.code === 0 ? 'printed no result line' : `failed (${r.code})`}${why ? `: ${why}` : ''}`, 'torch');
	}
	return row;
}
