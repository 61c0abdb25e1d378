/** Study commands: run, status, compare, export. Parsing only; the work is in src/study and src/report. */
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { InputError, InterruptedError } from '../core/errors.js';
import { comparisonRows, compareFormats, formatComparison, type CompareFormat } from '../report/compare.js';
import { exportFormats, formatExport, lifetimeRows, type ExportFormat } from '../report/export.js';
import { loadStoredStudy } from '../study/stored.js';
import { studyStatus } from '../report/status.js';
import { openStudyFile } from '../study/open.js';
import { progressView } from './progress.js';
import { runStudy } from '../study/run/runner.js';
import { runVerdict } from './verdict.js';

const resultsOption = { type: 'string', default: 'results', describe: 'Folder holding one folder per study' } as const;

interface RunArgs {
	'study-file': string;
	results: string;
	concurrency?: number;
	fresh: boolean;
	quiet: boolean;
}

const runCommand: CommandModule<object, RunArgs> = {
	command: 'run <study-file>',
	describe: 'Run (or resume) a study: ask -> evaluate lifetimes in worker threads -> journal, then print the comparison table',
	builder: (y) =>
		y
			.positional('study-file', { type: 'string', demandOption: true, describe: 'Study file (YAML or JSON), e.g. studies/quickstart.yaml' })
			.option('results', resultsOption)
			.option('concurrency', { type: 'number', describe: 'Lifetimes at once in this process (default: the study\'s, else the number of cores)' })
			.option('fresh', {
				type: 'boolean',
				default: false,
				describe: 'Start over: move the existing journal (and report/) to results/<study>/archive/<time>/; refused while another process runs the study',
			})
			.option('quiet', { type: 'boolean', default: false, describe: 'No progress output' })
			.epilogue(
				'Resume = run the same command again: complete lifetimes are kept, interrupted ones re-run with the same params and seed. ' +
					'Several processes (or machines on a shared disk) may run one study at once. Ctrl-C once: finish running lifetimes and stop; twice: abort them. ' +
					'Failed lifetimes do not fail the run: their count and the first reason go to stderr (`metatune status` lists them all). ' +
					'Exit codes: 0 done, 1 internal error, 2 bad input (also a --results path that cannot be a folder), 4 study changed, ' +
					'5 locked (also --fresh while another process runs the study), 7 every lifetime failed (nothing to compare), 130 interrupted.',
			) as never,
	handler: async (args) => {
		if (args.concurrency !== undefined && (!Number.isInteger(args.concurrency) || args.concurrency < 1)) {
			throw new InputError(`--concurrency: must be a whole number >= 1 (got ${args.concurrency})`, undefined, 'concurrency');
		}
		const study = await openStudyFile(args['study-file'], { resultsDir: args.results, resultsLabel: '--results', fresh: args.fresh });
		const archived = study.archived;
		if (archived !== undefined) {
			const report = archived.report !== undefined ? ' with its report/' : archived.reportLeft !== undefined ? ` (report/ stayed: ${archived.reportLeft})` : '';
			process.stderr.write(`metatune: --fresh: moved the old journal${report} to ${archived.journal}; \`metatune status ${archived.dir}\` reads it\n`);
		}
		const stop = new AbortController();
		const abort = new AbortController();
		const onSigint = () => (stop.signal.aborted ? abort.abort() : stop.abort());
		process.on('SIGINT', onSigint);
		const view = args.quiet ? undefined : progressView(study);
		try {
			const summary = await runStudy(study, {
				...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }),
				stop: stop.signal,
				abort: abort.signal,
				...(view ? { onEvent: (e) => view.onEvent(e) } : {}),
			});
			view?.stop();
			const stored = loadStoredStudy(study.dir, args.results, () => undefined);
			process.stdout.write(`${formatComparison(comparisonRows(stored), 'text')}\n`);
			const more = args.results === resultsOption.default ? '' : ` --results ${args.results}`;
			const verdict = runVerdict(stored, summary, `metatune status ${study.spec.name}${more}`, `metatune run ${args['study-file']}${more} --fresh`);
			for (const note of verdict.notes) process.stderr.write(`metatune: ${note}\n`);
			if (summary.stopped) throw new InterruptedError(`${study.spec.name}: interrupted${summary.aborted ? ' (running lifetimes aborted)' : ''}; run the same command to resume`);
			process.stderr.write(`Journal: ${study.journalPath}\n`);
			if (verdict.error !== undefined) throw verdict.error;
		} finally {
			view?.stop();
			process.off('SIGINT', onSigint);
			study.close();
		}
	},
};

interface StatusArgs {
	study: string;
	results: string;
}

const statusCommand: CommandModule<object, StatusArgs> = {
	command: 'status <study>',
	describe: 'Progress of a study: lifetimes per arm, best so far, failures, running and interrupted lifetimes',
	builder: (y) => y.positional('study', { type: 'string', demandOption: true, describe: 'Study name (under --results), study folder or study file' }).option('results', resultsOption) as never,
	handler: (args) => {
		process.stdout.write(`${studyStatus(loadStoredStudy(args.study, args.results))}\n`);
	},
};

interface CompareArgs {
	studies: string[];
	results: string;
	format: CompareFormat;
}

const compareCommand: CommandModule<object, CompareArgs> = {
	command: 'compare <studies..>',
	describe: 'Comparison table of the searchers (arms) of one or more studies',
	builder: (y) =>
		y
			.positional('studies', { type: 'string', array: true, demandOption: true, describe: 'Study names, folders or files' })
			.option('results', resultsOption)
			.option('format', { choices: compareFormats, default: 'text' as CompareFormat, describe: 'Output format' })
			.epilogue(
				'Columns: Method | the chosen configuration ("Discount (chosen)" when gamma is the only searched param; else its name, or "Chosen" with every searched param) | reward of the chosen configuration, mean and 95% CI over its ' +
					're-evaluation lifetimes (fresh seeds; `reevaluate: k` in the study) | Best observed | Lifetimes (search + re-evaluation) | Env steps | Wall time (sum over lifetimes).',
			) as never,
	handler: (args) => {
		// A study named twice (by name, folder, journal or file) is compared once.
		const byJournal = new Map<string, ReturnType<typeof loadStoredStudy>>();
		for (const s of args.studies) {
			const stored = loadStoredStudy(s, args.results);
			if (!byJournal.has(resolve(stored.journalPath))) byJournal.set(resolve(stored.journalPath), stored);
		}
		const rows = [...byJournal.values()].flatMap((stored) => comparisonRows(stored));
		process.stdout.write(`${formatComparison(rows, args.format)}\n`);
	},
};

interface ExportArgs {
	study: string;
	results: string;
	format: ExportFormat;
	output?: string;
}

const exportCommand: CommandModule<object, ExportArgs> = {
	command: 'export <study>',
	describe: 'Every lifetime of a study, one row each with every logged field (CSV or JSON)',
	builder: (y) =>
		y
			.positional('study', { type: 'string', demandOption: true, describe: 'Study name (under --results), study folder or study file' })
			.option('results', resultsOption)
			.option('format', { choices: exportFormats, default: 'csv' as ExportFormat, describe: 'Output format' })
			.option('output', { alias: 'o', type: 'string', describe: 'Write to this file instead of stdout' }) as never,
	handler: async (args) => {
		const stored = loadStoredStudy(args.study, args.results);
		const text = `${formatExport(lifetimeRows(stored), args.format, stored.spec.metric)}\n`;
		if (args.output === undefined) process.stdout.write(text);
		else {
			const { writeFileSync } = await import('node:fs');
			writeFileSync(args.output, text);
		}
	},
};

export const studyCommands: CommandModule[] = [runCommand, statusCommand, compareCommand, exportCommand] as unknown as CommandModule[];
