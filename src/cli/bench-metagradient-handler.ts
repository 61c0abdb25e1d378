/** What `metatune bench metagradient` does once its flags are parsed (bench-metagradient.ts): runs the lifetimes of meta-horizon.ts and prints their table. */
import { InputError } from '../core/errors.js';
import type { BackendChoice } from '../objectives/bandit/learner/backend-choices.js';
import { type MetaHorizonReport, metaHorizon } from '../objectives/bandit/lifetimes/meta-horizon.js';
import type { TaskKind } from '../objectives/bandit/bandits/tasks.js';
import type { MeanCi } from '../core/stats.js';
import { progressReporter } from './progress-line.js';
import { listFlag } from './repeated-flags.js';

export interface Args {
	task: TaskKind;
	gammas: string | string[];
	horizons: string | string[];
	seeds: number;
	entropy: number | undefined;
	lr: number | undefined;
	backend: BackendChoice;
	format: 'text' | 'json';
}

function parseList(text: string, flag: string, ok: (v: number) => boolean, expected: string): number[] {
	const values = text.split(',').map((s) => Number(s.trim()));
	if (values.length === 0 || values.some((v) => !ok(v))) throw new InputError(`--${flag}: expected ${expected} (got '${text}')`, undefined, flag);
	return values;
}

const ci = (c: MeanCi, digits: number, exp = false) => {
	const f = (x: number) => (exp ? x.toExponential(1) : x.toFixed(digits));
	return `${f(c.mean)} [${f(c.low)}, ${f(c.high)}]`;
};

export function formatMetaHorizon(report: MetaHorizonReport, seeds: number): string {
	const first = report.rows[0]?.gamma;
	const lines = [`task ${report.task} · batch ${report.batch} · ${seeds} seeds · backend ${report.backend} · gamma fixed per run (meta step off), fed as input`];
	lines.push(`updates  gamma  mean return (95% CI)       minus gamma ${first} (paired)    one-step meta-gradient dJ'/dgamma`);
	for (const h of report.rows[0]?.cells.map((c) => c.horizon) ?? []) {
		for (const row of report.rows) {
			const cell = row.cells.find((c) => c.horizon === h);
			if (!cell) continue;
			lines.push(`${String(h).padStart(7)}  ${String(row.gamma).padStart(5)}  ${ci(cell.meanReturn, 2).padEnd(25)}  ${ci(cell.vsFirst, 2).padEnd(30)}  ${ci(cell.metaGradient, 0, true)}`);
		}
	}
	lines.push('Positive meta-gradient: the method raises gamma. The paired difference says which fixed discount earned more over those first updates of a lifetime.');
	return lines.join('\n');
}

export async function benchMetagradient(args: Args): Promise<void> {
	const gammas = parseList(listFlag(args.gammas), 'gammas', (v) => v > 0 && v < 1, 'discounts in (0, 1) like 0.99,0.9,0.7');
	const horizons = parseList(listFlag(args.horizons), 'horizons', (v) => Number.isInteger(v) && v >= 1, 'ascending positive integers like 50,200,600');
	if (horizons.some((h, i) => i > 0 && h <= (horizons[i - 1] as number)))
		throw new InputError(`--horizons: expected ascending positive integers like 50,200,600 (got '${listFlag(args.horizons)}')`, undefined, 'horizons');
	if (!(Number.isInteger(args.seeds) && args.seeds >= 2)) throw new InputError(`--seeds: expected an integer >= 2 (got ${args.seeds})`, undefined, 'seeds');
	if (args.entropy !== undefined && !(args.entropy >= 0)) throw new InputError(`--entropy: expected a non-negative number (got ${args.entropy})`, undefined, 'entropy');
	if (args.lr !== undefined && !(args.lr > 0)) throw new InputError(`--lr: expected a positive number (got ${args.lr})`, undefined, 'lr');
	const agent = { task: args.task, ...(args.entropy === undefined ? {} : { entropy: args.entropy }), ...(args.lr === undefined ? {} : { lr: args.lr }) };
	const progress = progressReporter('lifetimes', gammas.length * args.seeds);
	try {
		const report = await metaHorizon({ agent, gammas, horizons, seeds: args.seeds, backend: args.backend, onRun: (done) => progress.update(done) });
		progress.stop();
		process.stdout.write(args.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : `${formatMetaHorizon(report, args.seeds)}\n`);
	} catch (error) {
		progress.stop();
		throw error;
	}
}
