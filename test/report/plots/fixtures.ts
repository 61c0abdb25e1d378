/**
 * Stored studies for the report tests, made by the real runner with in-process objectives that log
 * what the bandit objective logs (curve, updates, env_steps, backend) and, for metagradient arms,
 * what meta-gradient lifetimes log (final_gamma, gamma_trajectory). Values are known functions of
 * the params, so the tests can check what the figures show.
 *
 *   signature      bandit spec (eleven-armed), gamma in [0.5, 0.99], arms grid / random / gp /
 *                  metagradient; reward 7 + 10 (1 - ((gamma - 0.8) / 0.3)^2) + seed noise (+-0.1)
 *   two-params     module objective over gamma (matters) and lr (log; does not matter), grid / random
 *   interrupted    one lifetime complete, one asked and never finished
 */
import { loadStoredStudy, type StoredStudy } from '../../../src/study/stored.js';
import { runStudy } from '../../../src/study/run/runner.js';
import { parseStudyDocument } from '../../../src/study/spec/spec.js';
import { Study } from '../../../src/study/study.js';

export const peakGamma = 0.8;
export const reward = (gamma: number) => 7 + 10 * (1 - ((gamma - peakGamma) / 0.3) ** 2);
const noise = (seed: number) => ((seed % 21) - 10) / 100;

export const updates = 250;

/** A rising learning curve of 100 points ending near `level`. */
export function curveTo(level: number, seed: number): number[] {
	return Array.from({ length: 100 }, (_, i) => 7 + (level - 7) * (1 - Math.exp(-i / 20)) + noise(seed + i) / 2);
}

export async function signatureStudy(results: string): Promise<StoredStudy> {
	const spec = parseStudyDocument({
		name: 'signature',
		objective: { bandit: { task: 'eleven-armed', train_episodes: 4000, eval_episodes: 100 } },
		space: { gamma: { type: 'float', low: 0.5, high: 0.99 } },
		searchers: [
			{ kind: 'grid', points: 6 },
			{ kind: 'random', seed: 0 },
			{ kind: 'gp', seed: 0, n_startup: 3 },
			{ kind: 'metagradient', gamma0: 0.95 },
		],
		budget: 6,
		reevaluate: 2,
	});
	const study = await Study.open(spec, { resultsDir: results });
	await runStudy(study, {
		concurrency: 2,
		commit: 'fixture1',
		objective: (params, context) => {
			const meta = context.tuning?.kind === 'metagradient';
			const finalGamma = meta ? 0.78 + (context.seed % 5) / 100 : Number(params.gamma);
			const value = reward(finalGamma) + noise(context.seed);
			const fields = { value, lifetime_return: value, train_episodes: 4000, updates, env_steps: 20_000, backend: 'cpu', curve: curveTo(value, context.seed) };
			if (!meta) return fields;
			const trajectory = Array.from({ length: 26 }, (_, k) => [k * 10, 0.95 + (finalGamma - 0.95) * (k / 25)]);
			return { ...fields, final_gamma: finalGamma, gamma_trajectory: trajectory };
		},
	});
	study.close();
	return loadStoredStudy('signature', results);
}

export async function twoParamStudy(results: string): Promise<StoredStudy> {
	const spec = parseStudyDocument({
		name: 'two-params',
		objective: { module: 'unused.js' },
		space: { gamma: { type: 'float', low: 0.5, high: 0.99 }, lr: { type: 'float', low: 1e-4, high: 1e-2, log: true } },
		searchers: [
			{ kind: 'grid', points: 4 },
			{ kind: 'random', seed: 1 },
		],
		budget: 16,
	});
	const study = await Study.open(spec, { resultsDir: results });
	await runStudy(study, { concurrency: 2, objective: (p, c) => ({ value: reward(Number(p.gamma)) + noise(c.seed) / 10, env_steps: 1000 }) });
	study.close();
	return loadStoredStudy('two-params', results);
}

export async function interruptedStudy(results: string): Promise<StoredStudy> {
	const spec = parseStudyDocument({
		name: 'interrupted',
		objective: { module: 'unused.js' },
		space: { gamma: { type: 'float', low: 0.5, high: 0.99 } },
		searcher: { kind: 'random', seed: 0 },
		budget: 4,
	});
	const study = await Study.open(spec, { resultsDir: results });
	const first = await study.ask();
	if (first === undefined) throw new Error('fixture: no first trial');
	await study.tell(first.number, { value: reward(Number(first.params.gamma)), env_steps: 10 });
	await study.ask(); // asked, never told: what a killed process leaves behind
	study.close();
	return loadStoredStudy('interrupted', results);
}
