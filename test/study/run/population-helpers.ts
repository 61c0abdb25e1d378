/** Shared by the population (pbt on a command objective) tests: the study file and the population history a journal records. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJournal, type AskedRecord, type CompleteRecord, type FailedRecord, type JournalRecord } from '../../../src/study/journal/journal.js';
import { fixtures, spawnCli, writeStudy } from '../helpers.js';

export const member = join(fixtures, 'pbt-member.py');

/** A pbt study of the fixture program: `steps` in reports of 10, segments of `interval`; `study` overrides study fields (e.g. concurrency). */
export function populationStudy(dir: string, name: string, over: Record<string, unknown> = {}, env: Record<string, string> = {}, steps = 60, study: Record<string, unknown> = {}): string {
	return writeStudy(dir, {
		name,
		objective: { command: ['python3', member, String(steps), '10'], env },
		space: { lr: { type: 'float', low: 0.05, high: 1 }, width: { type: 'int', low: 0, high: 4 }, peak: { type: 'fixed', value: 1 } },
		searchers: [{ kind: 'pbt', population: 4, interval: 20, quantile: 0.25, resample: 0.5, ...over }],
		retries: 0,
		budget: 1,
		concurrency: 2,
		...study,
	});
}

export function records(journal: string): JournalRecord[] {
	return existsSync(journal) ? readJournal(journal, () => undefined) : [];
}

/**
 * The population history: per (arm, slot) the segment's params, decisions (exploit, explore,
 * restore), seed, and how its latest attempt ended (value, checkpoint digest, or failure message).
 */
export function history(journal: string): Record<string, unknown> {
	const rs = records(journal);
	const latest = new Map<string, AskedRecord>();
	for (const r of rs) if (r.type === 'asked') latest.set(`${r.arm}/${r.purpose}/${String(r.slot).padStart(3, '0')}`, r); // later attempts replace earlier ones
	const ends = new Map<number, CompleteRecord | FailedRecord>();
	for (const r of rs) if (r.type === 'complete' || r.type === 'failed') ends.set(r.trial, r);
	const trialSlot = new Map([...latest].map(([key, a]) => [a.trial, key]));
	const out: Record<string, unknown> = {};
	for (const [key, a] of [...latest].sort(([x], [y]) => x.localeCompare(y))) {
		const end = ends.get(a.trial);
		const { restore, ...segment } = a.segment ?? { member: -1, generation: -1, end: 0 };
		out[key] = {
			params: a.params,
			seed: a.seed,
			segment: { ...segment, ...(restore === undefined ? {} : { restore: trialSlot.get(restore) ?? `trial ${restore}` }) },
			exploit: a.segment?.exploit === undefined ? undefined : trialSlot.get(a.segment.exploit.trial),
			end: end === undefined ? 'none' : end.type === 'complete' ? { value: end.value, checkpoint: end.checkpoint?.sha256, step: end.checkpoint?.step } : { failed: end.message },
		};
	}
	return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}

/** Trial numbers of the checkpoint folders a study holds now. */
export function folders(studyDir: string): number[] {
	const root = join(studyDir, 'checkpoints');
	return existsSync(root)
		? readdirSync(root)
				.filter((n) => /^\d+$/.test(n))
				.map(Number)
				.sort((a, b) => a - b)
		: [];
}

/** The fixture's log (PBT_LOG): what each trial read and wrote, in order. */
export function log(path: string): { trial: number; read?: string; wrote?: string; step?: number }[] {
	return existsSync(path)
		? readFileSync(path, 'utf8')
				.split('\n')
				.filter((l) => l !== '')
				.map((l) => JSON.parse(l) as { trial: number; read?: string; wrote?: string; step?: number })
		: [];
}

/**
 * `metatune run` of a study, listing its checkpoints/ folder every 2 ms while it runs: the most
 * folders seen at once, and how many listings were taken.
 */
export async function runListingCheckpoints(
	file: string,
	results: string,
	name: string,
): Promise<{ readonly code: number | null; readonly stderr: string; readonly peak: number; readonly listings: number }> {
	const root = join(results, name, 'checkpoints');
	let peak = 0;
	let listings = 0;
	const poll = setInterval(() => {
		try {
			if (!existsSync(root)) return;
			peak = Math.max(peak, readdirSync(root).length);
			listings++;
		} catch {
			// listed while being deleted: the next listing counts
		}
	}, 2);
	const run = await spawnCli(['run', file, '--results', results, '--quiet']).done;
	clearInterval(poll);
	return { code: run.code, stderr: run.stderr, peak, listings };
}
