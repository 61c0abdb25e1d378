/**
 * What the two Optuna comparison scripts (scripts/optuna-tpe.ts, scripts/optuna-mo.ts) share: the
 * flags that say where Optuna's source tree and Python are, which seeds and budget to run and where
 * to write the JSON, the seeds those flags name, and the call of a reference script
 * (reference/optuna_*.py: one JSON job on stdin, one JSON reply on stdout, progress on stderr).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ParseArgsConfig } from 'node:util';

/** The flags both scripts take: spread them into parseArgs' options beside a script's own. */
export const optunaFlags = {
	optuna: { type: 'string' },
	python: { type: 'string', default: '/usr/bin/python3' },
	seeds: { type: 'string', default: '30' },
	'first-seed': { type: 'string', default: '0' },
	budget: { type: 'string', default: '100' },
	json: { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The seeds `--seeds` and `--first-seed` name, and how a table's caption writes them ("7" or "0-29"). */
export function seedsOf(args: { readonly seeds: string; readonly 'first-seed': string }): { seeds: number[]; text: string } {
	const first = Number(args['first-seed']);
	const seeds = Array.from({ length: Number(args.seeds) }, (_, s) => first + s);
	return { seeds, text: seeds.length === 1 ? `${first}` : `${first}-${first + seeds.length - 1}` };
}

/** Run `reference/<script>` on `job` with `--python`, Optuna imported from `--optuna`'s tree when given. */
export function runReference(script: string, job: unknown, args: { readonly python: string; readonly optuna?: string | undefined }): unknown {
	const path = fileURLToPath(new URL(`reference/${script}`, import.meta.url));
	const env = { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...(args.optuna === undefined ? {} : { PYTHONPATH: args.optuna }) };
	const out = execFileSync(args.python, [path], { input: JSON.stringify(job), env, maxBuffer: 256 * 1024 * 1024, stdio: ['pipe', 'pipe', 'inherit'] });
	return JSON.parse(out.toString());
}
