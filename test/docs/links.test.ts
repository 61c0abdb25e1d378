/**
 * Every relative link of the README and the docs pages names a file or folder that exists, so a page
 * moved or renamed leaves no dead link behind (web links and in-page anchors are not checked).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import test from 'ava';
import { root } from '../study/helpers.js';

function markdownFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return markdownFiles(path);
		return entry.name.endsWith('.md') ? [path] : [];
	});
}

/** The targets of `[text](target)` and `![alt](target)` outside code blocks, without their #anchors. */
function relativeLinks(markdown: string): string[] {
	const prose = markdown.replace(/```[\s\S]*?```/g, '');
	return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => (m[1] as string).split('#')[0] as string).filter((target) => target !== '' && !/^[a-z]+:/.test(target));
}

const pages = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];

test('the docs have the pages the README maps', (t) => {
	t.true(pages.length >= 15, `${pages.length} pages`);
});

for (const page of pages) {
	test(`${relative(root, page)}: every relative link resolves`, (t) => {
		const dead = relativeLinks(readFileSync(page, 'utf8')).filter((target) => !existsSync(join(dirname(page), target)));
		t.deepEqual(dead, []);
	});
}

test('a dead link is found (the check itself can fail)', (t) => {
	t.deepEqual(relativeLinks('see [a](no-such-page.md#x), [b](https://example.org), [c](../README.md)'), ['no-such-page.md', '../README.md']);
});
