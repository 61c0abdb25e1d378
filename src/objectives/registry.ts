/**
 * How a study's objective becomes a function: the built-in bandit objective (settings validated by
 * its own schema) or a user module. Used by the worker threads (each builds its objective once) and
 * by the loader (to reject a bad objective before anything is created under results/).
 *
 * The bandit objective is imported lazily so that only a process that runs a lifetime loads
 * TensorFlow.js: validating a bandit study needs only its settings (bandit/settings.ts). Those
 * settings (and with them zod, ~100 ms of a fresh worker thread's CPU) are imported lazily too, so
 * that the workers of a module or command objective load neither.
 */
import { InputError } from '../core/errors.js';
import type { Space } from '../core/space.js';
import { formatIssue, type IssueLike } from '../core/issues.js';
import { checkCommand, commandObjective } from './command.js';
import { loadModuleObjective, resolveModulePath } from './module.js';
import type { ObjectiveFunction, ObjectiveSpec } from './objective.js';
import type { BanditObjectiveSettings } from './bandit/settings.js';

/** What a worker needs to build the objective (plain data, sent through workerData). */
export interface ObjectiveRef {
	readonly objective: ObjectiveSpec;
	/** folder of the study file (module paths are relative to it) */
	readonly dir: string;
	/** the study file, for error messages */
	readonly file: string;
}

export async function objectiveFor(ref: ObjectiveRef): Promise<ObjectiveFunction> {
	const { objective } = ref;
	switch (objective.kind) {
		case 'bandit': {
			const settings = await banditSettings(objective.settings, ref.file);
			return (await import('./bandit/objective.js')).banditObjective(settings);
		}
		case 'module':
			return loadModuleObjective(resolveModulePath(objective.module, ref.dir), objective.export, ref.file);
		case 'command':
			return commandObjective(objective, ref.dir);
		case 'function':
			throw new InputError(noObjective(ref.file), ref.file, 'objective');
	}
}

/**
 * Check the objective of a loaded study without running it: bandit settings and space names, or
 * that the module exists and exports a function. Throws InputError; returns notes on settings that
 * are valid but probably unintended (to print as warnings).
 */
export async function validateObjective(spec: { readonly objective: ObjectiveSpec; readonly space: Space }, ref: ObjectiveRef): Promise<string[]> {
	if (spec.objective.kind === 'command') {
		checkCommand(
			spec.objective,
			Object.keys(spec.space),
			ref.dir,
			ref.file,
			Object.keys(spec.space).filter((name) => spec.space[name]?.when !== undefined),
		);
		return [];
	}
	if (spec.objective.kind === 'function') throw new InputError(noObjective(ref.file), ref.file, 'objective');
	if (spec.objective.kind !== 'bandit') {
		await objectiveFor(ref);
		return [];
	}
	const settings = await banditSettings(spec.objective.settings, ref.file);
	const { banditSettingsNotes, checkBanditSpace, checkBanditSpaceValues } = await import('./bandit/settings.js');
	checkBanditSpace(Object.keys(spec.space), ref.file);
	checkBanditSpaceValues(spec.space, settings, ref.file);
	// a searched entropy schedule or lifetime length is not a fixed setting: no note then
	return ['entropy', 'entropy_start', 'entropy_end', 'entropy_anneal', 'train_episodes'].some((n) => n in spec.space) ? [] : banditSettingsNotes(settings, ref.file);
}

/** A study without an objective runs only where the caller gives one (library runStudy or ask/tell). */
function noObjective(file: string): string {
	return `${file}: objective: missing; add objective: {module: ./my-objective.js} or {bandit: {...}} (a study without one runs only from the library, with runStudy(study, {objective}) or ask/tell)`;
}

/** The bandit objective's settings, validated; InputError naming the first bad field. */
async function banditSettings(settings: unknown, file: string): Promise<BanditObjectiveSettings> {
	const { banditObjectiveSchema } = await import('./bandit/settings.js');
	const parsed = banditObjectiveSchema.safeParse(settings);
	if (!parsed.success) {
		const issue = parsed.error.issues[0] as IssueLike;
		const field = ['objective', 'bandit', ...issue.path.map(String)].join('.');
		throw new InputError(`${file}: ${formatIssue({ ...issue, path: ['objective', 'bandit', ...issue.path] }, { objective: { bandit: settings } })}`, file, field);
	}
	return parsed.data;
}
