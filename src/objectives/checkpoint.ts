/**
 * The checkpoint a population member's segment writes and the one it continues from, as module
 * objectives see them (`context.checkpoint`). A command objective gets the same two folders as
 * METATUNE_CHECKPOINT_DIR and METATUNE_RESTORE_DIR (command.ts) and writes whatever files it likes.
 *
 * A module's state is one file in the folder: `state.bin` for a Uint8Array (bytes as given), else
 * `state.json`. It is written to a temporary name and renamed, so a kill mid-write leaves either the
 * previous state or the new one. `save` marks the state as announced by the next report.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointContext } from './objective.js';

const bytesFile = 'state.bin';
const jsonFile = 'state.json';

/** Where a segment writes and restores from (paths the runner made: run/checkpoints.ts). */
export interface CheckpointFolders {
	readonly dir: string;
	readonly restore?: string;
	/** the step this segment ends at: its first report at or past it announces a checkpoint, and it may stop there */
	readonly end: number;
}

/** `context.checkpoint` for one run of a segment, and whether a save awaits announcing by the next report. */
export function checkpointContext(folders: CheckpointFolders): { readonly context: CheckpointContext; readonly takeSaved: () => boolean } {
	let saved = false;
	const context: CheckpointContext = {
		dir: folders.dir,
		end: folders.end,
		...(folders.restore === undefined ? {} : { restoreDir: folders.restore }),
		save(state: unknown): void {
			const bytes = state instanceof Uint8Array;
			const text = bytes ? undefined : JSON.stringify(state);
			if (!bytes && text === undefined) throw new TypeError('context.checkpoint.save(state): state must be a Uint8Array or a value JSON can hold');
			const name = bytes ? bytesFile : jsonFile;
			const temporary = join(folders.dir, `.${name}.tmp`);
			writeFileSync(temporary, bytes ? (state as Uint8Array) : (text as string));
			renameSync(temporary, join(folders.dir, name));
			rmSync(join(folders.dir, bytes ? jsonFile : bytesFile), { force: true });
			saved = true;
		},
		restore(): unknown {
			if (folders.restore === undefined) return undefined;
			const bin = join(folders.restore, bytesFile);
			if (existsSync(bin)) return new Uint8Array(readFileSync(bin));
			const json = join(folders.restore, jsonFile);
			if (existsSync(json)) return JSON.parse(readFileSync(json, 'utf8')) as unknown;
			throw new Error(`context.checkpoint.restore(): ${folders.restore} holds no ${jsonFile} or ${bytesFile}; save state with context.checkpoint.save(state) before the report that ends a segment`);
		},
	};
	return {
		context,
		takeSaved: () => {
			const was = saved;
			saved = false;
			return was;
		},
	};
}
