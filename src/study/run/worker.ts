/**
 * Worker-thread entry: builds the study's objective once (from `workerData`, an ObjectiveRef plus
 * the metric) and evaluates one task per message, answering `{id, outcome}`. An outcome that cannot
 * be sent (structured clone refuses something evaluate.ts let through, e.g. a Promise field) is
 * answered as an `unstorable` failure naming what could not be cloned, never left to kill the worker.
 * With `check` it only imports the objective and says whether that worked (validating a study file).
 *
 * The process groups its command objectives start are reported to the pool as `{group}` messages
 * (process-groups.ts). `{stop: true}` aborts the running task's signal, so that a command objective
 * stops its program (SIGTERM, SIGKILL after its grace), and is answered `{stopped: true}` once no
 * program of this worker is left: then the pool may end the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { objectiveFor, type ObjectiveRef } from '../../objectives/registry.js';
import { forwardGroups, noGroupsLeft } from '../../objectives/process-groups.js';
import type { ObjectiveFunction } from '../../objectives/objective.js';
import { errorMessage } from '../../core/errors.js';
import { evaluateHere, type EvaluationTask } from './evaluate.js';

interface WorkerInit {
	readonly ref: ObjectiveRef;
	readonly metric: string;
	/** only import the objective and answer `{checked, message?, field?}` (pool.ts `checkObjective`) */
	readonly check?: boolean;
}

const init = workerData as WorkerInit;
if (init.check) check();
else serve();

/**
 * Import the objective as a run would, answering whether it loaded. `process.exit` throws here, so a
 * module that calls it at its top level fails its import with that reason instead of ending the
 * worker without a word. Hangs (an await that never settles) are the caller's time limit to catch.
 */
function check(): void {
	process.exit = ((code?: number | string | null) => {
		throw new Error(`it calls process.exit(${code ?? ''}) while being imported; an objective module must not end the process`);
	}) as typeof process.exit;
	objectiveFor(init.ref).then(
		() => parentPort?.postMessage({ checked: true }),
		(error: unknown) => parentPort?.postMessage({ checked: false, message: errorMessage(error), field: (error as { field?: unknown }).field }),
	);
}

function serve(): void {
	// Build the objective at once and say when it is ready, so task timeouts exclude start-up time.
	const objective: Promise<ObjectiveFunction> = objectiveFor(init.ref);
	objective.then(
		() => parentPort?.postMessage({ ready: true }),
		() => parentPort?.postMessage({ ready: true }),
	);

	forwardGroups((group) => parentPort?.postMessage({ group }));
	// Reports go to the pool as {id, report: {n, step, value}}; its answer {reply: n, stop} settles them.
	const answers = new Map<number, (stop: boolean) => void>();
	let nextReport = 0;
	const running = new Set<AbortController>();
	parentPort?.on('message', (message: { id: number; task: EvaluationTask } | { reply: number; stop: boolean } | { stop: true }) => {
		if (!('id' in message) && !('reply' in message)) {
			for (const controller of running) controller.abort();
			void noGroupsLeft().then(() => parentPort?.postMessage({ stopped: true }));
			return;
		}
		if ('reply' in message) {
			answers.get(message.reply)?.(message.stop);
			answers.delete(message.reply);
			return;
		}
		const listener = (step: number, value: number, checkpoint: boolean, values?: readonly number[]) =>
			new Promise<boolean>((resolve) => {
				const n = nextReport++;
				answers.set(n, resolve);
				parentPort?.postMessage({ id: message.id, report: { n, step, value, checkpoint, ...(values === undefined ? {} : { values }) } });
			});
		void (async () => {
			let fn: ObjectiveFunction;
			try {
				fn = await objective;
			} catch (error) {
				parentPort?.postMessage({ id: message.id, outcome: { ok: false, reason: 'threw', message: `objective did not load: ${errorMessage(error)}`, wall_ms: 0 } });
				return;
			}
			const controller = new AbortController();
			running.add(controller);
			const outcome = await evaluateHere(fn, message.task, init.metric, undefined, controller.signal, listener);
			running.delete(controller);
			try {
				parentPort?.postMessage({ id: message.id, outcome });
			} catch (error) {
				const why = `returned a value that cannot be sent from the worker (${errorMessage(error)})`;
				parentPort?.postMessage({ id: message.id, outcome: { ok: false, reason: 'unstorable', message: why, wall_ms: outcome.wall_ms } });
			}
		})();
	});
}
