/**
 * Tests' way to run `metatune <args>` in this process: the exit code and what it wrote to stdout and
 * stderr. The capture replaces the process's streams, so runs are queued one after another: two
 * concurrent tests of one file never see each other's output.
 */
import { main } from '../src/cli/main.js';

export interface CliRun {
	readonly code: number;
	readonly stdout: string;
	readonly stderr: string;
}

let queue: Promise<unknown> = Promise.resolve();

export function runCli(args: readonly string[]): Promise<CliRun> {
	const run = queue.then(() => capture(args));
	queue = run.catch(() => undefined);
	return run;
}

async function capture(args: readonly string[]): Promise<CliRun> {
	const out = process.stdout.write.bind(process.stdout);
	const err = process.stderr.write.bind(process.stderr);
	let stdout = '';
	let stderr = '';
	process.stdout.write = ((chunk: string | Uint8Array) => {
		stdout += chunk.toString();
		return true;
	}) as typeof process.stdout.write;
	process.stderr.write = ((chunk: string | Uint8Array) => {
		stderr += chunk.toString();
		return true;
	}) as typeof process.stderr.write;
	try {
		return { code: await main(args), stdout, stderr };
	} finally {
		process.stdout.write = out;
		process.stderr.write = err;
	}
}
