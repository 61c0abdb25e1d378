/**
 * Temporary folders for tests. Every folder made here is removed, with whatever the test (or a child
 * process it spawned) put in it, when the test file's worker process exits, whether its tests passed
 * or failed. A process `exit` handler rather than ava's test.after.always: a hook declared in this
 * module is declared before the test file's own tests, and ava refuses the file's later declarations
 * ("must be declared synchronously") when its imports take more than one tick to load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

process.on('exit', () => {
	for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});

/** A new empty folder under the system temp folder (`os.tmpdir()`), removed when this process exits. */
export function tempDir(prefix = 'metatune-test-'): string {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	created.push(dir);
	return dir;
}
