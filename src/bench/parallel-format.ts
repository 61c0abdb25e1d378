/** The text table of `bench parallel` (parallel.ts measures; the notation is there). */
import { median as medianOf } from 'simple-statistics';
import { formatMs, type ParallelBenchResult, type ParallelRun } from './parallel.js';

const median = (xs: readonly number[]): number => medianOf([...xs]);

/** "median [min, max]" of ratios, or n/a when there are none. */
function ratios(xs: readonly number[]): string {
	return xs.length === 0 ? 'n/a' : `${median(xs).toFixed(2)}x [${Math.min(...xs).toFixed(2)}, ${Math.max(...xs).toFixed(2)}]`;
}

/** "a / b" of the medians of a figure at 1 lane and at c lanes, rounded to ms. */
function atOneAndMany(ones: readonly ParallelRun[], many: readonly ParallelRun[], figure: (run: ParallelRun) => number | undefined): string {
	const at = (runs: readonly ParallelRun[]) => {
		const xs = runs.map(figure).filter((x): x is number => x !== undefined && Number.isFinite(x));
		return xs.length === 0 ? 'n/a' : String(Math.round(median(xs)));
	};
	return `${at(ones)} / ${at(many)}`;
}

export function formatParallelBench(r: ParallelBenchResult): string {
	const code = r.code === 'dist' ? 'compiled dist/' : 'TypeScript sources through tsx (each worker compiles what it loads; an installed package runs dist/)';
	const lines = [
		`parallel lifetimes: ${r.lifetimes} lifetimes per study, 1 lane vs ${r.concurrency}, alternated pairs; ${r.cores} cores, load average ${r.loadBefore.toFixed(1)} before, ${r.loadAfter.toFixed(1)} after; code: ${code}`,
		'',
		'| workload | lifetimes | wall at 1 lane (median) | wall at c lanes (median) | speedup median [min, max] | steady speedup (warm lifetimes) | worker start-up ms at 1 / c lanes | warm lifetime ms at 1 / c | CPU ms per lifetime at 1 / c lanes | V8 helper threads CPU ms per study at 1 / c | cores used at c | main thread busy at c |',
		'|---|---|---|---|---|---|---|---|---|---|---|---|',
	];
	for (const w of r.workloads) {
		const ones = w.runs.filter((x) => x.concurrency === 1);
		const many = w.runs.filter((x) => x.concurrency !== 1);
		lines.push(
			`| ${w.workload} | ${median(w.runs.map((x) => x.lifetimes))} | ${formatMs(median(ones.map((x) => x.wallMs)))} | ${formatMs(median(many.map((x) => x.wallMs)))} | ${ratios(w.speedups)} | ${ratios(w.steadySpeedups)} | ${atOneAndMany(ones, many, (x) => median(x.workerStartMs))} | ${atOneAndMany(ones, many, (x) => x.warmLifetimeMs)} | ${atOneAndMany(ones, many, (x) => x.cpuMsPerLifetime)} | ${atOneAndMany(ones, many, (x) => x.helperMs)} | ${median(many.map((x) => x.coresUsed)).toFixed(2)} | ${(100 * median(many.map((x) => x.mainBusy))).toFixed(0)}% |`,
		);
	}
	if (r.loadBefore > 0.5 || r.loadAfter > 0.5)
		lines.push('', `note: other jobs were running (load average above 0.5): the speedup then measures the share of the ${r.cores} cores the study got, not metatune alone`);
	return lines.join('\n');
}
