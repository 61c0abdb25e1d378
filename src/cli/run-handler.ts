/** What `metatune run` does once its flags are parsed (study.ts): open the study, run it with a progress view, print the comparison and the verdict. */
import { InputError, InterruptedError } from '../core/errors.js';
import { comparisonRows } from '../report/compare.js';
import { formatComparison } from '../report/compare-format.js';
import { learningNotes } from '../report/learning-check.js';
import { loadStoredStudy, loadStudy } from '../study/stored.js';
import { storageOf } from './storage-flag.js';
import { urlLabel } from '../study/journal/postgres.js';
import { openStudyFile } from '../study/open.js';
import { sessionOf } from '../study/study.js';
import { runStudy } from '../study/run/runner.js';
import { paintFor, warningLine } from './colour.js';
import { progressView } from './progress.js';
import { runVerdict } from './verdict.js';

export interface RunArgs {
	'study-file': string;
	results: string;
	concurrency?: number;
	fresh: boolean;
	quiet: boolean;
	storage?: string;
	lease?: number;
	leader?: boolean;
}

export async function run(args: RunArgs): Promise<void> {
	if (args.concurrency !== undefined && (!Number.isInteger(args.concurrency) || args.concurrency < 1)) {
		throw new InputError(`--concurrency: must be a whole number >= 1 (got ${args.concurrency})`, undefined, 'concurrency');
	}
	const storage = storageOf(args);
	const study = await openStudyFile(args['study-file'], {
		resultsDir: args.results,
		resultsLabel: '--results',
		fresh: args.fresh,
		...(storage === undefined ? {} : { storage }),
		...(args.lease === undefined ? {} : { leaseSeconds: args.lease }),
		warn: (message) => process.stderr.write(warningLine(`warning: ${message}`)),
	});
	const archived = study.archived;
	if (archived !== undefined) {
		const report = archived.report !== undefined ? ' with its report/' : archived.reportLeft !== undefined ? ` (report/ stayed: ${archived.reportLeft})` : '';
		const where = storage === undefined ? '' : ` --storage ${urlLabel(storage)}`;
		process.stderr.write(warningLine(`--fresh: moved the old journal${report} to ${archived.journal}; \`metatune status ${archived.dir}${where}\` reads it`));
	}
	const stop = new AbortController();
	const abort = new AbortController();
	// Ctrl-C once: ask no more, let running lifetimes finish; twice, or SIGTERM/SIGHUP (a kill, the
	// terminal closed): abort them, their programs stopped, to re-run on resume. Command objectives'
	// programs lead their own process groups, so the terminal's Ctrl-C reaches only this process.
	const onSigint = () => (stop.signal.aborted ? abort.abort() : stop.abort());
	const onHardStop = () => {
		stop.abort();
		abort.abort();
	};
	process.on('SIGINT', onSigint);
	process.on('SIGTERM', onHardStop);
	process.on('SIGHUP', onHardStop);
	const view = args.quiet ? undefined : progressView(study);
	// an arm stuck at the task's random level is said as soon as it shows (4 lifetimes), so the run can be stopped
	let learningWarned = false;
	const onFinished = () => {
		if (learningWarned) return;
		const notes = learningNotes(sessionOf(study), 4);
		if (notes.length === 0) return;
		learningWarned = true;
		for (const note of notes) (view ? view.note.bind(view) : (l: string) => process.stderr.write(`${l}\n`))(warningLine(`warning: ${note} (the run goes on; Ctrl-C stops it)`).trimEnd());
	};
	try {
		const summary = await runStudy(study, {
			...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }),
			...(args.leader === true ? { electLeader: true } : {}),
			stop: stop.signal,
			abort: abort.signal,
			onEvent: (e) => {
				view?.onEvent(e);
				if (e.type === 'finished') onFinished();
			},
		});
		view?.stop();
		const stored = storage === undefined ? loadStoredStudy(study.dir, args.results, () => undefined) : await loadStudy(study.spec.name, { storage, warn: () => undefined });
		process.stdout.write(`${formatComparison(comparisonRows(stored), 'text', paintFor(process.stdout))}\n`);
		const more = args.results === 'results' ? '' : ` --results ${args.results}`; // 'results': the flag's default
		const verdict = runVerdict(stored, summary, `metatune status ${study.spec.name}${more}`, `metatune run ${args['study-file']}${more} --fresh`);
		for (const note of [...verdict.notes, ...(learningWarned ? [] : learningNotes(stored))]) process.stderr.write(warningLine(note));
		if (summary.stopped) throw new InterruptedError(`${study.spec.name}: interrupted${summary.aborted ? ' (running lifetimes aborted)' : ''}; run the same command to resume`);
		process.stderr.write(`${paintFor(process.stderr).dim('Journal:')} ${study.journalPath}\n`);
		if (verdict.error !== undefined) throw verdict.error;
	} finally {
		view?.stop();
		process.off('SIGINT', onSigint);
		process.off('SIGTERM', onHardStop);
		process.off('SIGHUP', onHardStop);
		study.close();
	}
}
