#!/usr/bin/env node
// Entry point of the `metatune` command. Runs the compiled CLI (dist/, built by `npm run build`, which
// `npm install`/`npm ci` run through `prepare` and `npm pack` through `prepare` after `prepack` empties
// dist/). An installed package holds no TypeScript sources (package.json "files") and always runs the
// build. In a source checkout it runs the TypeScript directly through tsx (a devDependency) when there
// is no build or when a source file is newer than the build (so an edited checkout never runs stale
// code; `npm run build` makes it use the compiled code again).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const compiled = join(root, 'dist', 'src', 'cli', 'main.js');

/** Newest modification time (ms) of the .ts files under the given folders (0 when none). */
function newestSource(dirs) {
	let newest = 0;
	const walk = (dir) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) walk(path);
			else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
		}
	};
	for (const dir of dirs) if (existsSync(dir)) walk(dir);
	return newest;
}

const sources = [join(root, 'src'), join(root, 'searchers')];
const checkout = existsSync(join(root, 'src', 'cli', 'main.ts'));
if (!checkout && !existsSync(compiled)) {
	process.stderr.write(`metatune: ${compiled}: missing; reinstall metatune (its package holds this build)\n`);
	process.exit(1);
}
const stale = checkout && existsSync(compiled) && newestSource(sources) > statSync(compiled).mtimeMs;
if (!checkout || (existsSync(compiled) && !stale)) {
	await import(pathToFileURL(compiled).href);
} else {
	const { register } = await import('tsx/esm/api');
	register();
	await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
}
