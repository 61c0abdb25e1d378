/**
 * The generated docs pages: each entry renders one page from the code it documents. `npm run docs`
 * writes them all; test/docs/generate.test.ts fails when a committed page differs from its render.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { renderCliReference } from './cli-reference.js';

interface Page {
	/** relative to the repository root */
	readonly path: string;
	render(): string;
}

export const pages: readonly Page[] = [{ path: 'docs/reference/cli.md', render: renderCliReference }];

export const repositoryRoot = resolve(import.meta.dirname, '..');

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
	for (const page of pages) {
		const file = resolve(repositoryRoot, page.path);
		mkdirSync(dirname(file), { recursive: true });
		writeFileSync(file, page.render());
		process.stdout.write(`wrote ${page.path}\n`);
	}
}
