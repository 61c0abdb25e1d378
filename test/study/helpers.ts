/** Shared helpers for the study tests: temp folders, study files, running the CLI in a child process. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { tempDir as removedTempDir } from '../temp.js';

export const root = resolve(import.meta.dirname, '../..');
export const fixtures = resolve(import.meta.dirname, 'fixtures');

/** A temporary folder, removed when the test process exits (test/temp.ts). */
export function tempDir(prefix = 'metatune-study-'): string {
	return removedTempDir(prefix);
}

/** Write a YAML study file into `dir` and return its path. */
export function writeStudy(dir: string, doc: Record<string, unknown>, name = 'study.yaml'): string {
	const file = join(dir, name);
	writeFileSync(file, stringify(doc));
	return file;
}

export interface Spawned {
	readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
	readonly pid: number;
	kill(signal: NodeJS.Signals): void;
}

/** Run `metatune <args>` from the sources in a child process; `env` adds variables to this process's, and removes those given as undefined. */
export function spawnCli(args: readonly string[], env: Record<string, string | undefined> = {}): Spawned {
	const merged: Record<string, string | undefined> = { ...process.env, ...env };
	for (const [key, value] of Object.entries(merged)) if (value === undefined) delete merged[key];
	const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, env: merged, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
	child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
	const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((res) => child.on('close', (code, signal) => res({ code, signal, stdout, stderr })));
	return { done, pid: child.pid ?? -1, kill: (s) => child.kill(s) };
}

/** Poll `check` every `everyMs` until it holds; throws after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 20): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > end) throw new Error('timed out waiting');
		await new Promise((r) => setTimeout(r, everyMs));
	}
}
