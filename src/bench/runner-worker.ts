/**
 * One worker process of `benchRunnerWorkers` (runner-workers.ts), started with `fork`: it warms up
 * on a study of its own, opens the shared study, says `ready`, waits for `go`, runs the study with
 * a trivial in-process objective until the study is done, and reports how many trials it completed.
 * The objective has no effect besides its value, so with `pipeline` (the default of `bench runner
 * --workers`) lifetimes start while their decision is written (runStudy `pipeline`).
 *
 * argv[2]: WorkerJob as JSON. Messages: -> {ready} | {done, completed} | {error, message}; <- {go}.
 */
import { errorMessage } from '../core/errors.js';
import { runStudy } from '../study/run/runner.js';
import { parseStudySpec } from '../study/spec/spec.js';
import { Study } from '../study/study.js';

interface WorkerJob {
	readonly name: string;
	readonly trials: number;
	readonly warmup: number;
	/** a PostgreSQL URL, or a results folder (the file journal) */
	readonly storage?: string;
	readonly resultsDir?: string;
	/** runStudy `pipeline` */
	readonly pipeline: boolean;
	/** runStudy `electLeader` */
	readonly leader: boolean;
}

const send = (m: object) => new Promise<void>((resolve) => process.send?.(m, () => resolve()));

async function open(job: WorkerJob, name: string, trials: number): Promise<Study> {
	const spec = parseStudySpec({
		name,
		space: { x: { type: 'float', low: 0, high: 1 }, y: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 0 },
		budget: trials,
	});
	return Study.open(spec, job.storage === undefined ? { resultsDir: job.resultsDir as string } : { storage: job.storage });
}

const run = (study: Study, job: WorkerJob) => runStudy(study, { objective: (p) => Number(p.x) + Number(p.y), concurrency: 1, commit: 'bench', pipeline: job.pipeline, electLeader: job.leader });

async function main(): Promise<void> {
	const job = JSON.parse(process.argv[2] as string) as WorkerJob;
	if (job.warmup > 0) {
		const warm = await open(job, `${job.name}-warmup-${process.pid}`, job.warmup);
		await run(warm, job);
		warm.close();
	}
	const study = await open(job, job.name, job.trials);
	const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
	await send({ ready: true });
	await go;
	const summary = await run(study, job);
	study.close();
	await send({ done: true, completed: summary.completed });
}

main().then(
	() => process.disconnect?.(),
	async (error: unknown) => {
		await send({ error: true, message: errorMessage(error) });
		process.exitCode = 1;
		process.disconnect?.();
	},
);
