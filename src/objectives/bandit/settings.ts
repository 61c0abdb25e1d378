/**
 * The settings of the built-in bandit objective (objective.ts): their schema, the names a study may
 * search over, and the checks a study's space and settings get before anything runs.
 *
 * Kept apart from objective.ts so that validating a study, drawing its report and the CLI's flag
 * tables do not load TensorFlow.js (objective.ts reaches it through lifetimes/lifetime.ts).
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.js';
import type { Space } from '../../core/space.js';
import { type AgentConfig, agentConfigSchema, entropyOutlasts, parseAgentConfig } from './learner/agent-config.js';
import { backendChoices } from './learner/backend-choices.js';

export const banditObjectiveSchema = agentConfigSchema
	.partial()
	.extend({
		train_episodes: z.number().int().min(1).default(20000).describe('training episodes of one lifetime (rounded up to whole batches)'),
		eval_episodes: z.number().int().min(0).default(500).describe('episodes of the trained agent, learning frozen, for final_return'),
		backend: z.enum(backendChoices).default('auto').describe('TensorFlow.js backend (auto: node if installed, else wasm, else cpu)'),
		greedy_eval: z.boolean().default(false).describe('evaluate with the most probable arm instead of sampling'),
		curve_points: z.number().int().min(0).default(100).describe('points of the learning curve kept in each lifetime record'),
	})
	.meta({ title: 'bandit settings', description: 'settings of the built-in A2C-LSTM bandit objective; every agent setting may also be searched in the space' });

export type BanditObjectiveSettings = z.infer<typeof banditObjectiveSchema>;

/** The agent settings (a study's space may search any of them). */
export const banditParamNames: readonly string[] = Object.keys(agentConfigSchema.shape);

/**
 * Space-only params: the parts of the entropy schedule (each replaces its part of the fixed or
 * default `entropy`, so a study can search the start and the annealing length of a schedule) and the
 * lifetime's length (the per-task recipe studies search how long to train, at most their high).
 */
const schedulePartNames = { entropy_start: 'start', entropy_end: 'end', entropy_anneal: 'anneal_episodes' } as const;
const searchOnlyNames: readonly string[] = [...Object.keys(schedulePartNames), 'train_episodes'];

/** Throws InputError naming the first space parameter the agent does not know. */
export function checkBanditSpace(names: readonly string[], file?: string): void {
	const known = [...banditParamNames, ...searchOnlyNames];
	for (const name of names) {
		if (!known.includes(name)) {
			throw new InputError(`${file ? `${file}: ` : ''}space.${name}: not a setting of the bandit agent; use one of ${known.join(', ')}`, file, `space.${name}`);
		}
	}
	if (names.includes('entropy') && names.some((n) => n in schedulePartNames))
		throw new InputError(`${file ? `${file}: ` : ''}space.entropy: searched beside entropy_start/end/anneal; search either the constant or the schedule's parts`, file, 'space.entropy');
}

/**
 * A trial's agent config and lifetime length: the fixed settings with the trial's params on top
 * (schedule parts replace their part of the entropy schedule; train_episodes the lifetime's).
 */
export function trialSettings(settings: BanditObjectiveSettings, params: Readonly<Record<string, unknown>>, file?: string): { config: AgentConfig; trainEpisodes: number } {
	const { agent, lifetime } = splitSettings(settings);
	const agentParams: Record<string, unknown> = {};
	const parts: Record<string, unknown> = {};
	let trainEpisodes = lifetime.train_episodes;
	for (const [name, value] of Object.entries(params)) {
		if (name in schedulePartNames) parts[schedulePartNames[name as keyof typeof schedulePartNames]] = value;
		else if (name === 'train_episodes') trainEpisodes = value as number;
		else agentParams[name] = value;
	}
	const config = parseAgentConfig({ ...agent, ...agentParams }, file);
	if (Object.keys(parts).length === 0) return { config, trainEpisodes };
	return { config: parseAgentConfig({ ...agent, ...agentParams, entropy: { ...config.entropy, ...parts } }, file), trainEpisodes };
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
			if (searchOnlyNames.includes(name)) {
				checkSearchOnlyValue(name, field, value, settings, prefix, file);
				continue;
			}
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

function checkSearchOnlyValue(name: string, field: string, value: unknown, settings: BanditObjectiveSettings, prefix: string, file?: string): void {
	const fail = (why: string) => {
		throw new InputError(`${prefix}space.${name}.${field}: ${JSON.stringify(value)} ${why}`, file, `space.${name}.${field}`);
	};
	if (name === 'train_episodes') {
		if (!(Number.isInteger(value) && (value as number) >= 1)) fail('is not a valid train_episodes (a positive integer); keep the range at or above 1');
		return;
	}
	try {
		trialSettings(settings, { [name]: value }, file);
	} catch (error) {
		if (error instanceof InputError) fail(`is not a valid ${name} (${error.message}); keep the range within what the entropy schedule allows`);
		throw error;
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
