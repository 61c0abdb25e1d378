/**
 * Study commands: run, status, list, compare, export. Flags only: each handler imports its implementation
 * (run-handler.ts, study-read-handlers.ts) when it runs, so --help loads neither the runner nor the
 * searchers.
 */
import type { CommandModule } from 'yargs';
import { compareFormats, type CompareFormat, exportFormats, type ExportFormat, type ListFormat, listFormats, type StatusFormat, statusFormats } from '../report/formats.js';
import type { RunArgs } from './run-handler.js';
import type { CompareArgs, ExportArgs, ListArgs, StatusArgs } from './study-read-handlers.js';
import { storageOption } from './storage-flag.js';

const resultsOption = { type: 'string', default: 'results', describe: 'Folder holding one folder per study' } as const;

const runCommand: CommandModule<object, RunArgs> = {
	command: 'run <study-file>',
	describe: 'Run (or resume) a study: ask -> evaluate lifetimes in worker threads -> journal, then print the comparison table',
	builder: (y) =>
		y
			.positional('study-file', { type: 'string', demandOption: true, describe: 'Study file (YAML or JSON), e.g. studies/quickstart.yaml' })
			.option('results', resultsOption)
			.option('storage', storageOption)
			.option('concurrency', { type: 'number', describe: "Lifetimes at once in this process (default: the study's, else the number of cores)" })
			.option('fresh', {
				type: 'boolean',
				default: false,
				describe: 'Start over: move the existing journal (and report/) to results/<study>/archive/<time>/; refused while another process runs the study',
			})
			.option('quiet', { type: 'boolean', default: false, describe: 'No progress output' })
			.option('lease', {
				type: 'number',
				describe:
					'With --storage postgresql://...: seconds this process keeps its lifetimes without a heartbeat (default 30); stalled or cut off longer, it has them taken over by others, its late results are refused, and it exits (code 10) once the server stays unreachable that long',
			})
			.option('leader', {
				type: 'boolean',
				default: false,
				describe:
					'With --storage postgresql://...: the processes of this study on this machine that pass it elect a leader that decides and records for all; the others only evaluate the lifetimes it sends them (docs/storage.md)',
			})
			.epilogue(
				'Resume = run the same command again: complete lifetimes are kept, interrupted ones re-run with the same params and seed. ' +
					'Several processes (or machines on a shared disk) may run one study at once. Ctrl-C once: finish running lifetimes and stop; twice (or SIGTERM/SIGHUP): abort them (the programs of command objectives get SIGTERM, SIGKILL after grace); they re-run on resume. ' +
					'Failed lifetimes do not fail the run: their count and the first reason go to stderr (`metatune status` lists them all). ' +
					'Exit codes: 0 done, 1 internal error, 2 bad input (also a --results path that cannot be a folder), 3 bad stored state (a corrupted journal), 4 study changed, ' +
					'5 locked (also --fresh while another process runs the study), 7 every lifetime failed (nothing to compare), 9 disk full (free space, then resume), 10 storage unreachable (--storage; also mid-run for longer than --lease), 130 interrupted.',
			) as never,
	handler: async (args) => (await import('./run-handler.js')).run(args),
};

const statusCommand: CommandModule<object, StatusArgs> = {
	command: 'status <study>',
	describe: 'Progress of a study: lifetimes per arm, best so far, failures, running and interrupted lifetimes',
	builder: (y) =>
		y
			.positional('study', { type: 'string', demandOption: true, describe: 'Study name (under --results), study folder or study file' })
			.option('results', resultsOption)
			.option('storage', storageOption)
			.option('format', { choices: statusFormats, default: 'text' as StatusFormat, describe: 'Output format: the text view, or one JSON object with every field it shows' })
			.example('$0 status quickstart --format json', 'One JSON object with every field the text shows')
			.epilogue(
				'JSON keys: study, where, description, objective, metric, direction, budget, repeats, reevaluate, retries, state (complete | running | interrupted | not started), ' +
					'lifetimes {ended, total, running, interrupted}, failed_attempts {total, retried, gave_up, to_retry}, pruning, ' +
					'arms [{name, searcher, ended, total, failed, pruned, env_steps, best {value, trial, params, final} or null}], ' +
					'running [{trial, arm, purpose, slot, seed, params, host, pid, since, last_report {step, value} or null}], interrupted [{trial, arm, purpose, slot, seed, params}], ' +
					'failed [{trial, arm, purpose, slot, seed, params, reason, message, fate {kind: retried (trial, outcome, value) | gave up (attempts) | not retried | to retry}}]. ' +
					'The text view lists at most 20 lifetimes per section; JSON lists them all.',
			) as never,
	handler: async (args) => (await import('./study-read-handlers.js')).status(args),
};

const listCommand: CommandModule<object, ListArgs> = {
	command: 'list',
	describe: 'The studies under --results (or in --storage), one line each: state, lifetimes ended/total (also per arm), last activity, description',
	builder: (y) =>
		y
			.option('results', resultsOption)
			.option('storage', storageOption)
			.option('format', { choices: listFormats, default: 'text' as ListFormat, describe: 'Output format: one line per study, or a JSON array with the same fields' })
			.epilogue(
				'States: complete (nothing left to run), running (a process holds lifetimes), interrupted (stopped before the end: `metatune run` resumes it), not started, unreadable (the reason is shown). ' +
					'Reads only: takes no lock and writes nothing, so it is safe next to running studies. ' +
					'JSON keys: study, state, lifetimes {ended, total}, arms [{name, ended, total}], last_activity (ISO 8601, UTC), description, where, problem.',
			) as never,
	handler: async (args) => (await import('./study-read-handlers.js')).list(args),
};

const compareCommand: CommandModule<object, CompareArgs> = {
	command: 'compare <studies..>',
	describe: 'Comparison table of the searchers (arms) of one or more studies',
	builder: (y) =>
		y
			.positional('studies', { type: 'string', array: true, demandOption: true, describe: 'Study names, folders or files' })
			.option('results', resultsOption)
			.option('storage', storageOption)
			.option('format', { choices: compareFormats, default: 'text' as CompareFormat, describe: 'Output format' })
			.option('front', {
				type: 'boolean',
				default: false,
				describe: "studies with several metrics: list each arm's Pareto front (params, search means, values re-evaluated on fresh seeds) instead of the table",
			})
			.epilogue(
				'Columns: Method | the chosen configuration ("Discount (chosen)" when gamma is the only searched param; else its name, or "Chosen" with every searched param) | reward of the chosen configuration, mean and 95% CI over its ' +
					're-evaluation lifetimes (fresh seeds; `reevaluate: k` in the study) | Best observed | Lifetimes (search + re-evaluation) | Env steps | Wall time (sum over lifetimes). Studies with several metrics: Pareto front (its size) | Hypervolume (mean, 95% CI over the re-evaluation seeds; the reference point is stated under the table).',
			) as never,
	handler: async (args) => (await import('./study-read-handlers.js')).compare(args),
};

const exportCommand: CommandModule<object, ExportArgs> = {
	command: 'export <study>',
	describe: 'Every lifetime of a study, one row each with every logged field (CSV or JSON)',
	builder: (y) =>
		y
			.positional('study', { type: 'string', demandOption: true, describe: 'Study name (under --results), study folder or study file' })
			.option('results', resultsOption)
			.option('storage', storageOption)
			.option('format', { choices: exportFormats, default: 'csv' as ExportFormat, describe: 'Output format' })
			.option('output', { alias: 'o', type: 'string', describe: 'Write to this file instead of stdout' }) as never,
	handler: async (args) => (await import('./study-read-handlers.js')).exportRows(args),
};

export const studyCommands: CommandModule[] = [runCommand, statusCommand, listCommand, compareCommand, exportCommand] as unknown as CommandModule[];
