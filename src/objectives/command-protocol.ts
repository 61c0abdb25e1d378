/**
 * The protocol of a command objective's stdout (command.ts): one JSON object per line,
 *
 *   {"step": 1000, "value": 12.3}            an intermediate result (step: a resource count such as
 *                                            episodes or env steps, increasing)
 *   {"value": 18.2, "fields": {"k": ...}}    the final result (last line); fields are logged with it
 *   {"step": 2000, "value": 41.2, "checkpoint": true}
 *                                            an intermediate result announcing a checkpoint written
 *                                            at this step into METATUNE_CHECKPOINT_DIR ({checkpoint_dir})
 *
 * Under `stdout: prefixed` only lines beginning `metatune:` are protocol lines, the rest after it.
 */
import type { LoggedValue } from './objective.js';

/** What marks a protocol line under `stdout: prefixed`. */
export const protocolPrefix = 'metatune:';

export type ProtocolLine =
	| { readonly kind: 'intermediate'; readonly step: number; readonly value: number; readonly checkpoint: boolean }
	| { readonly kind: 'final'; readonly value: number; readonly fields: Readonly<Record<string, LoggedValue>> };

/** One stdout line of the protocol, or the reason it is not one. */
export function parseLine(line: string): ProtocolLine | { readonly kind: 'bad'; readonly reason: string } {
	let parsed: unknown;
	try {
		parsed = JSON.parse(line);
	} catch {
		return { kind: 'bad', reason: 'not JSON' };
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { kind: 'bad', reason: 'not a JSON object' };
	const { step, value, fields, checkpoint } = parsed as { step?: unknown; value?: unknown; fields?: unknown; checkpoint?: unknown };
	if (typeof value !== 'number') return { kind: 'bad', reason: 'no number "value"; every line has one, other numbers go in "fields": {"value": 1.5, "fields": {"name": 2}}' };
	if (checkpoint !== undefined && typeof checkpoint !== 'boolean') return { kind: 'bad', reason: '"checkpoint" is not true or false' };
	if (step !== undefined)
		return typeof step === 'number' && Number.isFinite(step) ? { kind: 'intermediate', step, value, checkpoint: checkpoint === true } : { kind: 'bad', reason: '"step" is not a finite number' };
	if (checkpoint === true) return { kind: 'bad', reason: '"checkpoint": true needs the "step" the checkpoint was written at' };
	if (fields !== undefined && (fields === null || typeof fields !== 'object' || Array.isArray(fields))) return { kind: 'bad', reason: '"fields" is not an object' };
	return { kind: 'final', value, fields: (fields ?? {}) as Record<string, LoggedValue> };
}
