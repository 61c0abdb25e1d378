/**
 * `npm run docs`: writes the generated documentation files from the code they describe. Each entry
 * is a path and a function giving the file's text; tests compare every committed file with its
 * `render()` (test/docs/generate.test.ts), so a schema change without a re-run fails there.
 * Run from anywhere: paths are relative to the repository root.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { studyJsonSchema, studyJsonSchemaText } from '../src/study/spec/json-schema.js';
import { studyFileReference } from '../src/study/spec/reference.js';

const root = join(import.meta.dirname, '..');

/** The study shown at the top of the study-file reference. */
const example = 'studies/noisy-quadratic.yaml';

export interface GeneratedFile {
	/** relative to the repository root */
	readonly path: string;
	readonly render: () => string;
}

export const generatedFiles: readonly GeneratedFile[] = [
	{ path: 'studies/study.schema.json', render: studyJsonSchemaText },
	{ path: 'docs/reference/study-file.md', render: () => studyFileReference(studyJsonSchema(), { path: example, text: readFileSync(join(root, example), 'utf8') }) },
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	for (const file of generatedFiles) {
		const path = join(root, file.path);
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, file.render());
		process.stdout.write(`wrote ${file.path}\n`);
	}
}
