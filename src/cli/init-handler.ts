/**
 * `metatune init`: writes the study file and the objective (init-templates.ts) into the current
 * folder. Every file is checked before any is written, and each is created exclusively, so an
 * existing file is never overwritten, not even one made between the check and the write.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { objectiveFile, type ObjectiveKind, studyFile } from './init-templates.js';

export interface InitArgs {
	readonly objective: ObjectiveKind;
	readonly name: string;
}

/** The study-name rule of study files (src/study/spec/spec.ts): it names a folder under results/. */
const studyName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function init(args: InitArgs, dir = process.cwd()): void {
	if (!studyName.test(args.name) || args.name.length > 100)
		throw new InputError(`--name: use letters, digits, . _ - (up to 100, starting with a letter or digit; got '${args.name}')`, undefined, 'name');
	const files = [studyFile(args.name, args.objective), objectiveFile(args.objective)];
	for (const file of files) {
		if (existsSync(join(dir, file.name)))
			throw new InputError(`${file.name}: already exists; init writes only new files (move it away, or run init in another folder${file.name.endsWith('.yaml') ? ' or with --name' : ''})`, file.name);
	}
	for (const file of files) writeFileSync(join(dir, file.name), file.text, { flag: 'wx', mode: file.name.endsWith('.py') ? 0o755 : 0o644 });
	process.stdout.write(
		`wrote ${files[0]?.name} (the study: params to search, searchers, budget)\nwrote ${files[1]?.name} (the objective: replace its toy score with your training)\nnext: npx metatune run ${files[0]?.name}\n`,
	);
}
