/**
 * Garbage collection of population checkpoints (folders: checkpoints.ts): which folders a member can
 * still return to, and deleting the others. Per pbt arm, with C the current generation
 * (population-arm.ts `currentGeneration`: the one being asked or run, or the next once it has ended)
 * and its plans, a folder is kept when it is
 *
 *   - the checkpoint a planned segment of C not asked yet will restore (the plans are a pure
 *     function of C-1's recorded ends, so every process knows them before the segments are asked);
 *   - the checkpoint an unended segment of C restores, until that segment (or an earlier attempt of
 *     its slot) holds its private copy `<trial>.restore` (restore.ts: renamed into place only once
 *     complete and checked, so its existence is proof);
 *   - an unended segment's own folder (unless its attempt failed and a retry will write its own),
 *     and the restore copies of its slot's attempts (a retry takes over its failed attempt's copy);
 *   - a segment of C that has ended complete (what C+1 continues from);
 *   - a member without a plan in C (its training has ended, or the arm's has): its latest complete
 *     segment, its final state.
 *
 * Everything else of a trial the journal knows goes: the output of a failed attempt, restore copies
 * of ended segments, checkpoints of C-1 no planned segment restores or every restorer has copied.
 * So an arm holds one checkpoint per member (a restoring segment's copy stands for its source) plus
 * one folder per segment being prepared or run: the copy being made, or the output being written.
 *
 * Deleting outside the lock is safe: a folder unneeded in a durable state is never needed again
 * (segments restore only from the generation before theirs, whose restorers are all in the plans),
 * and a state read earlier than another process's records is only behind: in it the folders those
 * records free are still needed. A folder of a trial this process has not read yet is left alone.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isEnded, type StudyState, type TrialState } from '../journal/state.js';
import type { StudySpec } from '../spec/spec.js';
import { checkpointsRoot, folderKind, restoreDir } from './checkpoints.js';
import { currentGeneration, isPopulationArm } from './population-arm.js';

/** The trials of a slot's attempts, latest first (a retry names the attempt it retries). */
export function attemptsOf(state: StudyState, t: TrialState): number[] {
	const out = [t.asked.trial];
	for (let back = t.asked.retry_of; back !== undefined; back = state.trials[back]?.asked.retry_of) out.push(back);
	return out;
}

/**
 * The names of the folders under checkpoints/ still needed (see the header). `copied(trial)`: whether
 * segment `trial`'s private restore copy is complete (by default: its folder exists).
 */
export function neededCheckpoints(studyDir: string, spec: StudySpec, state: StudyState, copied = (trial: number) => existsSync(restoreDir(studyDir, trial))): Set<string> {
	const needed = new Set<string>();
	for (const arm of spec.arms) {
		if (!isPopulationArm(spec, arm)) continue;
		const P = arm.config.population;
		const latest = state.latest(arm.name, 'search');
		const { generation, plans } = currentGeneration(spec, state, arm);
		const planned = new Set(plans.map((p) => p.member));
		const final = new Map<number, TrialState>();
		for (const t of latest.values()) {
			const s = t.asked.segment;
			if (s === undefined || planned.has(s.member) || t.phase !== 'complete') continue;
			const held = final.get(s.member);
			if (held === undefined || (held.asked.segment?.generation ?? 0) < s.generation) final.set(s.member, t);
		}
		for (const t of final.values()) needed.add(String(t.asked.trial));
		for (const plan of plans) {
			const t = latest.get(generation * P + plan.member);
			if (t === undefined) {
				if (plan.restore !== undefined) needed.add(String(plan.restore));
				continue;
			}
			if (isEnded(t, spec.retries)) {
				if (t.phase === 'complete') needed.add(String(t.asked.trial));
				continue;
			}
			if (t.phase !== 'failed') needed.add(String(t.asked.trial));
			const attempts = attemptsOf(state, t);
			for (const a of attempts) needed.add(`${a}.restore`).add(`${a}.restore.tmp`);
			const source = t.asked.segment?.restore;
			if (source !== undefined && !attempts.some(copied)) needed.add(String(source));
		}
	}
	return needed;
}

/** Delete the checkpoint folders no member can return to; returns the names deleted. */
export function collectCheckpoints(studyDir: string, spec: StudySpec, state: StudyState): string[] {
	const root = checkpointsRoot(studyDir);
	if (!existsSync(root)) return [];
	const needed = neededCheckpoints(studyDir, spec, state);
	const deleted: string[] = [];
	for (const name of readdirSync(root)) {
		const folder = folderKind(name);
		if (folder === undefined || state.trials[folder.trial]?.asked.segment === undefined || needed.has(name)) continue; // not ours, unknown to this process yet, or needed
		rmSync(join(root, name), { recursive: true, force: true });
		deleted.push(name);
	}
	return deleted;
}
