/**
 * Opening a study from its file: read and validate the spec, check its objective (bandit settings
 * and space names, a command's program and placeholders here; a module is imported in a throwaway
 * worker thread with a time limit, so a module that exits, hangs or keeps timers alive at import
 * cannot stop or hang this process), and only then create or resume the journal, so a bad study file
 * creates nothing under results/. Notes on settings that are valid but probably unintended (bandit
 * settings, a grid or gp arm the budget cuts short: spec/plan.ts) are printed as warnings.
 */
import { validateObjective } from '../objectives/registry.js';
import { checkObjective } from './run/pool.js';
import { searchPlanNotes } from './spec/plan.js';
import { loadStudyFile } from './spec/file.js';
import { Study, type OpenOptions } from './study.js';

export interface OpenFileOptions extends Omit<OpenOptions, 'file' | 'dir'> {
	/** time limit for importing a module objective to check it (default 30 s) */
	readonly importTimeoutMs?: number;
}

export async function openStudyFile(file: string, options: OpenFileOptions = {}): Promise<Study> {
	const loaded = loadStudyFile(file);
	const ref = { objective: loaded.spec.objective, dir: loaded.dir, file };
	const notes: string[] = [];
	if (loaded.spec.objective.kind === 'module') await checkObjective(ref, options.importTimeoutMs);
	else notes.push(...(await validateObjective(loaded.spec, ref)));
	notes.push(...searchPlanNotes(loaded.spec).map((n) => `${file}: ${n}`));
	const warn = options.warn ?? ((m: string) => process.stderr.write(`metatune: warning: ${m}\n`));
	for (const note of notes) warn(note);
	const { importTimeoutMs: _, ...open } = options;
	return Study.open(loaded.spec, { ...open, file, dir: loaded.dir });
}
