/**
 * Every generated docs page (docs/generate.ts) is committed as its code renders it today: a change
 * to the code it documents without `npm run docs` fails here.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import test from 'ava';
import { pages, repositoryRoot } from '../../docs/generate.js';

for (const page of pages) {
	test(`${page.path} is up to date with the code it documents`, (t) => {
		const committed = readFileSync(resolve(repositoryRoot, page.path), 'utf8').split('\n');
		const rendered = page.render().split('\n');
		const line = rendered.findIndex((text, i) => text !== committed[i]);
		const first = line < 0 ? committed.length : line;
		t.true(
			committed.length === rendered.length && line < 0,
			`${page.path} differs from what the code renders from line ${first + 1} on: run \`npm run docs\` and commit it\n  committed: ${committed[first] ?? '(end of file)'}\n  rendered:  ${rendered[first] ?? '(end of file)'}`,
		);
	});
}
