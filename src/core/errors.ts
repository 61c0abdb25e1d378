/**
 * One error hierarchy for metatune. Every failure a user can cause or meet has its own class with
 * typed context fields; `src/cli.ts` is the only place that maps them to exit codes.
 *
 * Message style: one line naming the file, the field and the fix, e.g.
 *   studies/x.yaml: space.gamma.low: must be below high (got 0.99 >= 0.9); swap the bounds
 */

export abstract class MetatuneError extends Error {
	abstract readonly exitCode: number;
}

/** A study file, CLI flag or API argument is invalid. */
export class InputError extends MetatuneError {
	override name = 'InputError' as const;
	readonly exitCode = 2;
	constructor(
		message: string,
		readonly file?: string,
		readonly field?: string,
	) {
		super(message);
	}
}

/** A study's stored state (journal, checkpoint) cannot be read or does not match what was asked. */
export class StateError extends MetatuneError {
	override name = 'StateError' as const;
	readonly exitCode = 3;
	constructor(
		message: string,
		readonly path?: string,
	) {
		super(message);
	}
}

/** The study file changed incompatibly since the journal was created (resume refused). */
export class StudyChangedError extends MetatuneError {
	override name = 'StudyChangedError' as const;
	readonly exitCode = 4;
	constructor(
		message: string,
		readonly changes: readonly string[],
	) {
		super(message);
	}
}

/** Another process holds a lock we need and did not release it in time. */
export class LockError extends MetatuneError {
	override name = 'LockError' as const;
	readonly exitCode = 5;
	constructor(
		message: string,
		readonly path: string,
	) {
		super(message);
	}
}

/** A requested compute backend is not available on this machine. */
export class BackendError extends MetatuneError {
	override name = 'BackendError' as const;
	readonly exitCode = 6;
	constructor(
		message: string,
		readonly backend: string,
	) {
		super(message);
	}
}

/** A trial's objective failed (threw, returned NaN, timed out). Recorded as a failed trial. */
export class TrialError extends MetatuneError {
	override name = 'TrialError' as const;
	readonly exitCode = 7;
	constructor(
		message: string,
		readonly reason: 'threw' | 'not-finite' | 'unstorable' | 'timeout' | 'aborted' | 'worker-died',
	) {
		super(message);
	}
}

/** The user interrupted (Ctrl-C twice). */
export class InterruptedError extends MetatuneError {
	override name = 'InterruptedError' as const;
	readonly exitCode = 130;
}

/** A numerical routine failed in a way the caller may recover from (e.g. Cholesky after all jitter). */
export class NumericalError extends MetatuneError {
	override name = 'NumericalError' as const;
	readonly exitCode = 8;
}

/** A file could not be written because its disk (or the user's quota) is full. */
export class DiskFullError extends MetatuneError {
	override name = 'DiskFullError' as const;
	readonly exitCode = 9;
	constructor(
		message: string,
		readonly path: string,
	) {
		super(message);
	}
}

/** A study's storage (a PostgreSQL server) cannot be reached, refused this user, or failed mid-study. */
export class StorageError extends MetatuneError {
	override name = 'StorageError' as const;
	readonly exitCode = 10;
	constructor(
		message: string,
		readonly storage: string,
	) {
		super(message);
	}
}

const fullCodes = new Set(['ENOSPC', 'EDQUOT']);

/**
 * `error` as a DiskFullError when it is ENOSPC or EDQUOT (naming `path`, what was being written and
 * what happens next), else undefined.
 */
export function diskFull(error: unknown, path: string, what: string, next = 'free some space, then run the same command again'): DiskFullError | undefined {
	if (error instanceof DiskFullError) return error;
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (code === undefined || !fullCodes.has(code)) return undefined;
	const full = code === 'EDQUOT' ? 'disk quota exceeded' : 'no space left on the device';
	return new DiskFullError(`${path}: ${full} while ${what}; ${next}`, path);
}

/** The first line of an error's message; also for error-like objects (e.g. a worker's cloned error), never `[object Object]`. */
export function errorMessage(error: unknown): string {
	if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
	if (error !== null && typeof error === 'object') {
		const { name, message } = error as { name?: unknown; message?: unknown };
		if (typeof message === 'string') return `${typeof name === 'string' && name !== 'Error' ? `${name}: ` : ''}${message.split('\n')[0] ?? ''}`;
		try {
			return JSON.stringify(error) ?? String(error);
		} catch {
			return Object.prototype.toString.call(error);
		}
	}
	return String(error);
}
