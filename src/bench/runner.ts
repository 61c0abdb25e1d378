/**
 * The runner-overhead benchmark: the study machinery's cost per trial, with an objective that costs
 * nothing. It runs a real study the way `metatune run` does (Study.open -> runStudy: lock, journal,
 * replay, scheduler, random searcher, durable complete records), except that the objective is an
 * in-process function (`runStudy({objective})`) instead of a worker thread, so what is timed is the
 * runner, not thread messaging.
 *
 * Notation
 *   N          trials (the study's budget; repeats 1, one random arm, seed 0)
 *   space      x, y uniform on [0, 1]; value = x + y (the sum of the params)
 *   ms/trial   wall time of runStudy / N (the warm-up study, run first in its own folder, excluded)
 *   fsync      the durable-journal part (one fdatasync per trial): set by the disk, not by metatune
 *              (~0.05 ms on a fast NVMe disk, ~3 ms on a network-backed virtual disk), so the
 *              output gives it and the rest (ms/trial - fsync) separately
 *   parts      the Profile split (profile.ts) per trial; `other` = ms/trial - their sum (the runner
 *              loop, promise scheduling, the objective call); with concurrency > 1 parts of
 *              different lanes overlap, so `other` can be negative
 *
 * Reference (`optunaReference`, printed with the source below): Optuna 3.1, trivial objective,
 * random sampler, 500 trials, measured on the machine metatune was developed on (2-core AMD EPYC
 * virtual machine); README, section Studies, quotes the journal-file and SQLite figures.
 *
 * `dir`, when given, is checked and created before any work (ensureOutputDir, named `--dir`).
 */
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureOutputDir } from '../core/output-dir.js';
import { Profile, profileParts, type ProfilePart } from '../study/journal/profile.js';
import { runStudy } from '../study/run/runner.js';
import { parseStudySpec } from '../study/spec/spec.js';
import { Study } from '../study/study.js';

export const optunaReference = [
	{ storage: 'Optuna 3.1, in memory', msPerTrial: 0.13 },
	{ storage: 'Optuna 3.1, journal file', msPerTrial: 1.33 },
	{ storage: 'Optuna 3.1, SQLite', msPerTrial: 12.8 },
] as const;

/** Where the reference figures come from, for users who cannot see the machine they were measured on. */
const optunaReferenceSource = 'Optuna 3.1 (Python), trivial objective, random sampler, 500 trials, on a 2-core AMD EPYC virtual machine (docs/design-notes.md, What the runner costs per trial)';

const benchRunnerPath = 'Study.open + runStudy({objective}) (the runner `metatune run` uses; objective in this thread, not a worker)';

export interface RunnerBenchOptions {
	readonly trials: number;
	readonly concurrency: number;
	/** trials of a separate study run first to warm up the JIT (default 50; 0: none) */
	readonly warmup?: number;
	/** folder for the results (default: a new temp folder, deleted afterwards) */
	readonly dir?: string;
}

export interface RunnerBenchResult {
	readonly trials: number;
	readonly completed: number;
	readonly concurrency: number;
	readonly warmup: number;
	readonly path: string;
	readonly filesystem: string;
	readonly wallMs: number;
	readonly msPerTrial: number;
	/** fsync's ms per trial and share of msPerTrial, and everything else per trial (msPerTrial - fsync) */
	readonly fsync: { readonly msPerTrial: number; readonly share: number; readonly restMsPerTrial: number };
	/** per trial, by part, plus `other` */
	readonly parts: Readonly<Record<ProfilePart | 'other', number>>;
	/** calls per trial, by part */
	readonly callsPerTrial: Readonly<Record<ProfilePart, number>>;
	readonly reference: readonly { readonly storage: string; readonly msPerTrial: number }[];
	readonly referenceSource: string;
}

const filesystems: ReadonlyMap<number, string> = new Map([
	[0xef53, 'ext4'],
	[0x01021994, 'tmpfs (fsync costs nothing here)'],
	[0x794c7630, 'overlayfs'],
	[0x9123683e, 'btrfs'],
	[0x58465342, 'xfs'],
	[0x6969, 'nfs'],
	[0x65735546, 'fuse'],
]);

function filesystemOf(dir: string): string {
	try {
		const type = statfsSync(dir).type;
		return filesystems.get(type) ?? `type 0x${type.toString(16)}`;
	} catch {
		return 'unknown';
	}
}

async function runOnce(results: string, name: string, trials: number, concurrency: number, profile?: Profile, onFinished?: () => void): Promise<{ wallMs: number; completed: number }> {
	const spec = parseStudySpec({
		name,
		space: { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 0 },
		budget: trials,
	});
	const study = await Study.open(spec, { resultsDir: results, ...(profile === undefined ? {} : { profile }) });
	try {
		profile?.reset();
		const t0 = performance.now();
		const summary = await runStudy(study, {
			objective: (p) => Number(p.x) + Number(p.y),
			concurrency,
			commit: 'bench',
			...(onFinished === undefined ? {} : { onEvent: (e) => e.type === 'finished' && onFinished() }),
		});
		return { wallMs: performance.now() - t0, completed: summary.completed };
	} finally {
		study.close();
	}
}

export async function benchRunner(options: RunnerBenchOptions): Promise<RunnerBenchResult> {
	const { trials, concurrency } = options;
	const warmup = options.warmup ?? 50;
	if (options.dir !== undefined) ensureOutputDir(options.dir, '--dir');
	const results = options.dir ?? mkdtempSync(join(tmpdir(), 'metatune-bench-runner-'));
	try {
		if (warmup > 0) await runOnce(results, 'warmup', warmup, concurrency);
		const profile = new Profile();
		const { wallMs, completed } = await runOnce(results, 'bench-runner', trials, concurrency, profile);
		const per = (ms: number) => ms / Math.max(1, completed);
		const parts = {} as Record<ProfilePart | 'other', number>;
		const callsPerTrial = {} as Record<ProfilePart, number>;
		let sum = 0;
		for (const p of profileParts) {
			parts[p] = per(profile.ms[p]);
			callsPerTrial[p] = per(profile.calls[p]);
			sum += parts[p];
		}
		parts.other = per(wallMs) - sum;
		return {
			trials,
			completed,
			concurrency,
			warmup,
			path: benchRunnerPath,
			filesystem: filesystemOf(results),
			wallMs,
			msPerTrial: per(wallMs),
			fsync: { msPerTrial: parts.fsync, share: parts.fsync / Math.max(1e-12, per(wallMs)), restMsPerTrial: per(wallMs) - parts.fsync },
			parts,
			callsPerTrial,
			reference: optunaReference,
			referenceSource: optunaReferenceSource,
		};
	} finally {
		if (options.dir === undefined) rmSync(results, { recursive: true, force: true });
	}
}

export function formatRunnerBench(r: RunnerBenchResult): string {
	const f = (ms: number) => ms.toFixed(3);
	const lines = [
		`metatune runner: ${r.completed} trials, concurrency ${r.concurrency}, random searcher, value = x + y (after a ${r.warmup}-trial warm-up study)`,
		`path: ${r.path}`,
		`journal on: ${r.filesystem}`,
		'',
		`ms per trial: ${f(r.msPerTrial)}   (wall ${(r.wallMs / 1000).toFixed(2)} s)`,
		`  fsync of the journal: ${f(r.fsync.msPerTrial)} (${Math.round(100 * r.fsync.share)}%; set by this disk)`,
		`  everything else:      ${f(r.fsync.restMsPerTrial)} (metatune's own work)`,
		'',
		'part       ms/trial  calls/trial',
		...profileParts.map((p) => `${p.padEnd(9)}  ${f(r.parts[p]).padStart(8)}  ${r.callsPerTrial[p].toFixed(2).padStart(11)}`),
		`${'other'.padEnd(9)}  ${f(r.parts.other).padStart(8)}`,
		'',
		`reference: ${r.referenceSource}`,
		'(measured once on that machine; on another machine the ratios are indicative only)',
		`${'reference'.padEnd(56)}  ms/trial  metatune here is`,
		...r.reference.map((ref) => `${ref.storage.padEnd(56)}  ${ref.msPerTrial.toFixed(2).padStart(8)}  ${ratio(r.msPerTrial, ref.msPerTrial)}`),
	];
	return lines.join('\n');
}

function ratio(ours: number, theirs: number): string {
	return ours <= theirs ? `${(theirs / ours).toFixed(1)}x faster` : `${(ours / theirs).toFixed(1)}x slower`;
}

/** One study size of `benchRunnerScaling`: the whole run, and its first and last tenth. */
interface ScalingPoint {
	readonly trials: number;
	readonly wallMs: number;
	readonly msPerTrial: number;
	/** ms per trial over the first and the last tenth of the run's lifetimes */
	readonly firstTenth: number;
	readonly lastTenth: number;
}

export interface ScalingResult {
	readonly filesystem: string;
	readonly concurrency: number;
	readonly points: readonly ScalingPoint[];
}

/**
 * Whether the cost per trial stays flat as a study grows: the same study at `trials / 10` and at
 * `trials` lifetimes (`metatune bench runner --scaling`), each with the cost of its first and last
 * tenth. Flat: the four ms/trial figures agree; a super-linear step shows as a last tenth dearer
 * than the first and a big study dearer per trial than the small one.
 */
export async function benchRunnerScaling(options: RunnerBenchOptions): Promise<ScalingResult> {
	const { trials, concurrency } = options;
	if (options.dir !== undefined) ensureOutputDir(options.dir, '--dir');
	const results = options.dir ?? mkdtempSync(join(tmpdir(), 'metatune-bench-runner-'));
	try {
		if ((options.warmup ?? 50) > 0) await runOnce(results, 'warmup', options.warmup ?? 50, concurrency);
		const points: ScalingPoint[] = [];
		for (const n of [Math.max(10, Math.round(trials / 10)), trials]) {
			const tenth = Math.max(1, Math.floor(n / 10));
			const marks: number[] = [];
			let done = 0;
			const t0 = performance.now();
			const { wallMs, completed } = await runOnce(results, `scaling-${n}`, n, concurrency, undefined, () => {
				done++;
				if (done === tenth || done === n - tenth || done === n) marks.push(performance.now() - t0);
			});
			const [first = 0, lastStart = 0, end = wallMs] = marks;
			points.push({ trials: completed, wallMs, msPerTrial: wallMs / Math.max(1, completed), firstTenth: first / tenth, lastTenth: (end - lastStart) / tenth });
		}
		return { filesystem: filesystemOf(results), concurrency, points };
	} finally {
		if (options.dir === undefined) rmSync(results, { recursive: true, force: true });
	}
}

export function formatRunnerScaling(r: ScalingResult): string {
	const f = (ms: number) => ms.toFixed(3);
	return [
		`metatune runner scaling: random searcher, value = x + y, concurrency ${r.concurrency}, journal on ${r.filesystem}`,
		`${'trials'.padStart(8)}  ${'wall s'.padStart(8)}  ${'ms/trial'.padStart(8)}  ${'first 10%'.padStart(9)}  ${'last 10%'.padStart(9)}`,
		...r.points.map(
			(p) => `${String(p.trials).padStart(8)}  ${(p.wallMs / 1000).toFixed(2).padStart(8)}  ${f(p.msPerTrial).padStart(8)}  ${f(p.firstTenth).padStart(9)}  ${f(p.lastTenth).padStart(9)}`,
		),
	].join('\n');
}
