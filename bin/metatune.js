#!/usr/bin/env node
// Entry point of the `metatune` command. Runs the compiled CLI (built by `npm run build`, which
// `npm install`/`npm ci` run through `prepare`); in a source checkout without a build it falls back
// to running the TypeScript directly through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));
if (existsSync(compiled)) {
	await import(pathToFileURL(compiled).href);
} else {
	const { register } = await import('tsx/esm/api');
	register();
	await import(new URL('../src/cli.ts', import.meta.url).href);
}
