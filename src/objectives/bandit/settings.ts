/**
 * The settings of the built-in bandit objective (objective.ts): their schema, the names a study may
 * search over, and the checks a study's space and settings get before anything runs.
 *
 * Kept apart from objective.ts so that validating a study, drawing its report and the CLI's flag
 * tables do not load TensorFlow.js (objective.ts reaches it through lifetime.ts).
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { Space } from '../../core/space.js';
import { agentConfigSchema, entropyOutlasts, parseAgentConfig } from './agent-config.js';
import { backendChoices } from './backend-choices.js';

export const banditObjectiveSchema = agentConfigSchema.partial().extend({
	train_episodes: z.number().int().min(1).default(20000),
	eval_episodes: z.number().int().min(0).default(500),
	backend: z.enum(backendChoices).default('auto'),
	/** evaluate with the most probable arm instead of sampling */
	greedy_eval: z.boolean().default(false),
	/** points kept of the learning curve in each trial record */
	curve_points: z.number().int().min(0).default(100),
});

export type BanditObjectiveSettings = z.infer<typeof banditObjectiveSchema>;

/** The names a study's space may search over (agent settings). */
export const banditParamNames: readonly string[] = Object.keys(agentConfigSchema.shape);

/** Throws InputError naming the first space parameter the agent does not know. */
export function checkBanditSpace(names: readonly string[], file?: string): void {
	for (const name of names) {
		if (!banditParamNames.includes(name)) {
			throw new InputError(`${file ? `${file}: ` : ''}space.${name}: not a setting of the bandit agent; use one of ${banditParamNames.join(', ')}`, file, `space.${name}`);
		}
	}
}

/**
 * Throws InputError when a value the space can propose is not a valid agent setting, e.g. a discount
 * range reaching above 1: bounds of float and int params, every choice, fixed values (each checked
 * with the objective's fixed settings, so the lifetime would fail on it).
 */
export function checkBanditSpaceValues(space: Space, settings: BanditObjectiveSettings, file?: string): void {
	const { agent } = splitSettings(settings);
	const prefix = file ? `${file}: ` : '';
	for (const [name, param] of Object.entries(space)) {
		const candidates: [string, unknown][] =
			param.type === 'fixed'
				? [['value', param.value]]
				: param.type === 'categorical'
					? param.choices.map((c) => ['choices', c] as [string, unknown])
					: [
							['low', param.low],
							['high', param.high],
						];
		for (const [field, value] of candidates) {
			const parsed = agentConfigSchema.safeParse({ ...agent, [name]: value });
			if (parsed.success) continue;
			const issue = parsed.error.issues.find((i) => i.path[0] === name) ?? parsed.error.issues[0];
			throw new InputError(
				`${prefix}space.${name}.${field}: ${JSON.stringify(value)} is not a valid ${name} for the bandit agent (${issue?.message ?? 'invalid'}); keep the range within what ${name} allows`,
				file,
				`space.${name}.${field}`,
			);
		}
	}
}

/**
 * Notes on settings that are valid but likely not what the user wants (e.g. an entropy schedule that
 * anneals over more episodes than a lifetime trains, so the agent never stops exploring).
 */
export function banditSettingsNotes(settings: BanditObjectiveSettings, file?: string): string[] {
	const notes: string[] = [];
	const config = parseAgentConfig(splitSettings(settings).agent, file);
	const { anneal_episodes: anneal, start, end } = config.entropy;
	if (entropyOutlasts(config, settings.train_episodes)) {
		notes.push(
			`${file ? `${file}: ` : ''}objective.bandit.entropy: anneals from ${start} to ${end} over ${anneal} episodes but a lifetime trains ${settings.train_episodes}, so the agent keeps exploring to the end; set train_episodes >= ${anneal} or entropy: {start, end, anneal_episodes} (or a constant, e.g. entropy: 0.05)`,
		);
	}
	return notes;
}

/** The lifetime settings and the fixed agent settings of the objective's settings. */
export function splitSettings(settings: BanditObjectiveSettings) {
	const { train_episodes, eval_episodes, backend, greedy_eval, curve_points, ...agent } = settings;
	return { lifetime: { train_episodes, eval_episodes, backend, greedy_eval, curve_points }, agent };
}
