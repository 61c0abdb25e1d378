/**
 * Opening a study from its file: read and validate the spec, check its objective (module exists
 * and exports a function; bandit settings and space names), and only then create or resume the
 * journal, so a bad study file creates nothing under results/. Notes on settings that are valid but
 * probably unintended (bandit settings, a grid or gp arm the budget cuts short: spec/plan.ts) are
 * printed as warnings.
 */
import { validateObjective } from '../objectives/registry.js';
import { searchPlanNotes } from './spec/plan.js';
import { loadStudyFile } from './spec/spec.js';
import { Study, type OpenOptions } from './study.js';

export async function openStudyFile(file: string, options: Omit<OpenOptions, 'file' | 'dir'> = {}): Promise<Study> {
	const loaded = loadStudyFile(file);
	const notes = [...(await validateObjective(loaded.spec, { objective: loaded.spec.objective, dir: loaded.dir, file })), ...searchPlanNotes(loaded.spec).map((n) => `${file}: ${n}`)];
	const warn = options.warn ?? ((m: string) => process.stderr.write(`metatune: warning: ${m}\n`));
	for (const note of notes) warn(note);
	return Study.open(loaded.spec, { ...options, file, dir: loaded.dir });
}
