/**
 * The `metatune` command line. This file only parses arguments and calls the library; it is the one
 * place where errors become exit codes (see `exitCodeFor`).
 */
import type { CommandModule } from 'yargs';
import { diskFull, InputError, MetatuneError } from '../core/errors.js';
import { ignoreClosedPipes } from './closed-pipes.js';
import { errorLine } from './colour.js';
import { plainServeArgs } from './serve-args.js';
import { skipHelpCache } from './yargs-help-cache.js';

export function exitCodeFor(error: unknown): number {
	return error instanceof MetatuneError ? error.exitCode : 1;
}

export async function main(argv: readonly string[]): Promise<number> {
	try {
		// a plain `serve` starts without loading yargs and every command's options (serve-args.ts)
		const plainServe = plainServeArgs(argv);
		if (plainServe !== undefined) {
			const { runServe } = await import('./serve.js');
			await runServe(plainServe);
			return 0;
		}
		return await parsed(argv);
	} catch (error) {
		return failed(error, argv);
	}
}

/** Parse `argv` with yargs and run the command it names. */
async function parsed(argv: readonly string[]): Promise<number> {
	const [{ default: yargs }, { commands, program }] = await Promise.all([import('yargs'), import('./commands.js')]);
	const parser = yargs(argv as string[])
		.scriptName('metatune')
		.usage(`${program.usage}\n\n${program.description}`)
		.command(commands as CommandModule[])
		.middleware(refuseRepeatedFlags)
		.middleware(refuseEmptyValues)
		.demandCommand(1, 'Name a command; `metatune --help` lists them.')
		.strict()
		.recommendCommands()
		.wrap(Math.min(110, process.stdout.columns ?? 100))
		.epilogue(program.epilogue)
		.fail((message, error) => {
			if (error) throw error;
			throw new UsageError(message);
		});
	skipHelpCache(parser);
	// `metatune` alone: the full help on stdout, as `--help` prints it (git, npm and optuna do the same)
	if (argv.length === 0) {
		process.stdout.write(`${await parser.getHelp()}\n`);
		return 0;
	}
	await parser.parseAsync();
	return 0;
}

/** The exit code of a failed command, after one line on stderr. */
function failed(error: unknown, argv: readonly string[]): number {
	if (error instanceof UsageError) {
		process.stderr.write(`${errorLine(error.message)}Run \`metatune ${helpTarget(argv)}--help\` for usage.\n`);
		return 2;
	}
	const full = diskFull(error, (error as NodeJS.ErrnoException).path ?? 'a file', 'writing it');
	if (full !== undefined) {
		process.stderr.write(errorLine(full.message));
		return full.exitCode;
	}
	if (error instanceof MetatuneError) {
		process.stderr.write(errorLine(withRawFlag(error, argv)));
		return exitCodeFor(error);
	}
	process.stderr.write(errorLine(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
	return 1;
}

class UsageError extends Error {}

/** Flags that take several values (lists merged by their commands, positional study lists). */
const multiValued = new Set(['_', '$0', 'studies', 'freeze', 'batch', 'functions', 'searchers', 'gammas', 'horizons', 'tasks']);

/** yargs hands a flag given twice to the handler as an array; for single-valued flags that is one line and exit 2. */
function refuseRepeatedFlags(argv: Record<string, unknown>): void {
	for (const [key, value] of Object.entries(argv)) {
		if (multiValued.has(key) || !Array.isArray(value) || /[A-Z]/.test(key)) continue;
		throw new InputError(`--${key}: given ${value.length} times; give it once`, undefined, key);
	}
}

/** What an empty flag should have been (the agent's folder flags say the same, agent-args.ts). */
const emptyNeeds: Record<string, string> = {
	results: 'a folder',
	out: 'a folder',
	checkpoint: 'a folder',
	from: 'a folder',
	dir: 'a folder',
	output: 'a file path',
	'study-file': 'a study file',
	study: 'a study name, folder or file',
	studies: 'study names, folders or files',
	name: 'a study name',
};

/** Positional arguments (named `<name>` in messages, not `--name`). */
const positionals = new Set(['study-file', 'study', 'studies']);

/**
 * An empty value (`--results ""`, usually an unset shell variable) is never a path or a list: one
 * line and exit 2, instead of writing into the current folder.
 */
function refuseEmptyValues(argv: Record<string, unknown>): void {
	for (const [key, value] of Object.entries(argv)) {
		if (key === '_' || key === '$0' || /[A-Z]/.test(key)) continue;
		const values = Array.isArray(value) ? value : [value];
		if (!values.some((v) => typeof v === 'string' && v.trim() === '')) continue;
		const name = positionals.has(key) ? `<${key}>` : `--${key}`;
		throw new InputError(`${name}: needs ${emptyNeeds[key] ?? 'a value'} (got an empty value; is a shell variable unset?)`, undefined, key);
	}
}

/** A numeric flag given as text reaches the handlers as NaN: show what was typed instead. */
function withRawFlag(error: MetatuneError, argv: readonly string[]): string {
	if (!(error instanceof InputError) || error.field === undefined || !error.message.includes('(got NaN)')) return error.message;
	const flag = `--${error.field}`;
	const i = argv.indexOf(flag);
	const raw = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
	return raw === undefined ? error.message : error.message.replace('(got NaN)', `(got '${raw}')`);
}

const topCommands = ['init', 'run', 'status', 'list', 'compare', 'export', 'report', 'serve', 'agent', 'bench', 'storage'];

/** The command whose --help fits a usage error: `run `, `bench agent `, or '' (the top level). */
function helpTarget(argv: readonly string[]): string {
	const [first, second] = argv;
	if (first === undefined || !topCommands.includes(first)) return '';
	const hasSub = (first === 'agent' || first === 'bench' || first === 'storage') && second !== undefined && /^[a-z][a-z-]*$/.test(second);
	return hasSub ? `${first} ${second} ` : `${first} `;
}

const isEntry = (process.argv[1] !== undefined && /cli[\\/]main\.(ts|js)$/.test(process.argv[1])) || process.argv[1]?.endsWith('metatune') || process.argv[1]?.endsWith('metatune.js');
if (isEntry) {
	ignoreClosedPipes();
	// what yargs' hideBin gives under node: the arguments after the script
	const code = await main(process.argv.slice(2));
	// a handler may have set a failing exit code itself (agent grad-stats on a gradient mismatch)
	if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
}
