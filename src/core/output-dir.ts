/**
 * Output folders (results, reports, checkpoints, run folders): created before any work starts, one
 * level at a time, so that a bad path fails at once with one line naming the flag, the path and the
 * fix. Node 20's `mkdir(..., {recursive: true})` loops forever under /proc, and its errors name no
 * flag; this walks up to the deepest existing ancestor and creates the rest with plain mkdir.
 *
 *   ensureOutputDir(path, '--results')   the folder exists and is writable afterwards, or InputError
 *                                         (also for an empty path: never the current folder by accident)
 *   ensureOutputDirs([[a, '--checkpoint'], [b, '--out']])   all of them, or none (folders made are removed)
 */
import { accessSync, constants, mkdirSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from './errors.js';

function existingKind(path: string): 'dir' | 'other' | 'missing' | 'under-file' {
	try {
		return statSync(path).isDirectory() ? 'dir' : 'other';
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return 'missing';
		if (code === 'ENOTDIR') return 'under-file';
		throw error;
	}
}

function reason(error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	switch (code) {
		case 'EACCES':
		case 'EPERM':
			return 'permission denied';
		case 'EROFS':
			return 'read-only file system';
		case 'ENOSPC':
			return 'no space left on the device';
		case 'ENOENT':
			return 'its parent folder does not accept new folders';
		default:
			return code ?? String(error);
	}
}

/** Make `path` an existing, writable folder (creating missing parents), or throw InputError naming `what`. */
export function ensureOutputDir(path: string, what: string): string {
	return ensureOutputDirs([[path, what]])[0] as string;
}

/**
 * ensureOutputDir for each given folder (undefined: not asked for), all or none: when one fails, the
 * folders made for the others are removed again before the error is thrown. Returns the resolved paths.
 */
export function ensureOutputDirs(dirs: readonly (readonly [string | undefined, string])[]): (string | undefined)[] {
	const created: string[] = [];
	try {
		return dirs.map(([dir, what]) => (dir === undefined ? undefined : makeOutputDir(dir, what, created)));
	} catch (error) {
		for (const dir of created.reverse()) {
			try {
				rmdirSync(dir);
			} catch {
				// no longer empty: leave it
			}
		}
		throw error;
	}
}

/** Create `path` level by level, pushing each folder it creates onto `created`. */
function makeOutputDir(path: string, what: string, created: string[]): string {
	if (path.trim() === '') throw new InputError(`${what}: empty (an unset shell variable?); give a folder path`, undefined, what.replace(/^--/, ''));
	const target = resolve(path);
	const fail = (detail: string): never => {
		throw new InputError(`${what}: cannot use ${path} as an output folder (${detail}); choose a folder you can write to`, undefined, what.replace(/^--/, ''));
	};
	const missing: string[] = [];
	let at = target;
	for (;;) {
		let kind: ReturnType<typeof existingKind>;
		try {
			kind = existingKind(at);
		} catch (error) {
			return fail(reason(error));
		}
		if (kind === 'dir') break;
		if (kind === 'other') return fail(at === target ? 'it is a file' : `${at} is a file`);
		missing.unshift(at);
		const parent = dirname(at);
		if (parent === at) break;
		at = parent;
	}
	for (const dir of missing) {
		try {
			mkdirSync(dir);
			created.push(dir);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST' && existingKind(dir) === 'dir') continue;
			return fail(reason(error));
		}
	}
	try {
		accessSync(target, constants.W_OK);
	} catch (error) {
		return fail(reason(error));
	}
	return target;
}
