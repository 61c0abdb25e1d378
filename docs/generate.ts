/**
 * `npm run docs`: writes the generated documentation files from the code they describe: the study
 * file's JSON Schema and reference page (from the zod schemas) and the CLI reference (from the yargs
 * command definitions). Each entry is a path and a function giving the file's text; a test compares
 * every committed file with its `render()` (test/docs/generate.test.ts), so a schema or command
 * change without a re-run fails there. Run from anywhere: paths are relative to the repository root.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { studyJsonSchema, studyJsonSchemaText } from '../src/study/spec/json-schema.js';
import { studyFileReference } from '../src/study/spec/reference.js';
import { renderCliReference } from './cli-reference.js';

export const repositoryRoot = join(import.meta.dirname, '..');

/** The study shown at the top of the study-file reference. */
const example = 'studies/noisy-quadratic.yaml';

export interface GeneratedFile {
	/** relative to the repository root */
	readonly path: string;
	readonly render: () => string;
}

export const generatedFiles: readonly GeneratedFile[] = [
	{ path: 'studies/study.schema.json', render: studyJsonSchemaText },
	{
		path: 'docs/reference/study-file.md',
		render: () => studyFileReference(studyJsonSchema(), { path: example, text: readFileSync(join(repositoryRoot, example), 'utf8') }),
	},
	{ path: 'docs/reference/cli.md', render: renderCliReference },
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	for (const file of generatedFiles) {
		const path = join(repositoryRoot, file.path);
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, file.render());
		process.stdout.write(`wrote ${file.path}\n`);
	}
}
