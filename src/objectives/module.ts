/**
 * User-module objectives: `objective: {module: ./file.js, export?: name}` in a study file. The
 * module (resolved relative to the study file) exports an objective function
 * `(params, context) => number | {value, ...fields}` as its default export, as `objective`, or under
 * the name given by `export`.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../core/errors.js';
import type { ObjectiveFunction } from './objective.js';

/** Absolute path of a module objective written relative to the study file's folder. */
export function resolveModulePath(module: string, studyDir: string): string {
	return isAbsolute(module) ? module : resolve(studyDir, module);
}

/**
 * Import the module and return its objective function. Throws InputError (naming `file` and
 * `objective.module`) when the file is missing, does not import, or exports no function.
 */
export async function loadModuleObjective(path: string, exportName?: string, file = '<study>'): Promise<ObjectiveFunction> {
	const field = 'objective.module';
	if (!existsSync(path)) throw new InputError(`${file}: ${field}: no such file ${path}; the path is relative to the study file`, file, field);
	let mod: Record<string, unknown>;
	try {
		mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
	} catch (error) {
		const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
		throw new InputError(`${file}: ${field}: cannot import ${path} (${message})`, file, field);
	}
	const names = exportName === undefined ? ['default', 'objective'] : [exportName];
	for (const name of names) {
		const fn = mod[name];
		if (typeof fn === 'function') return fn as ObjectiveFunction;
	}
	throw new InputError(
		`${file}: ${exportName === undefined ? field : 'objective.export'}: ${path} exports no function ${names.map((n) => `"${n}"`).join(' or ')}; export (params, context) => number | {value, ...}`,
		file,
		exportName === undefined ? field : 'objective.export',
	);
}
