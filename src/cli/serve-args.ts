/**
 * The arguments of a plain `metatune serve` read without yargs. Loading yargs and building every
 * command's options costs the server about 0.2 s of CPU before it starts reading (yargs alone is
 * 0.14 s of module loading), time a large study's open waits for. So main.ts first tries this
 * reader: it accepts only what is plainly valid (the known flags, each once, as `--flag value` or
 * `--flag=value`, non-empty values not starting with `-`, a port in digits, study names) and gives
 * exactly what yargs would hand the handler; anything else (`--help`, an unknown or repeated flag,
 * an empty value, a port in words) returns undefined, and yargs parses it as before, with its help
 * text and its messages. test/cli/serve-args.test.ts holds both readers to the same result.
 */
import { type ServeArgs, serveDefaults } from './serve.js';

const stringFlags = new Set(['results', 'storage', 'host']);

/** `argv` (after the program name) as `serve`'s arguments, or undefined when yargs must read it. */
export function plainServeArgs(argv: readonly string[]): ServeArgs | undefined {
	if (argv[0] !== 'serve') return undefined;
	const given = new Map<string, string>();
	const studies: string[] = [];
	for (let i = 1; i < argv.length; i++) {
		const arg = argv[i] as string;
		if (!arg.startsWith('--')) {
			if (!plainValue(arg)) return undefined;
			studies.push(arg);
			continue;
		}
		const eq = arg.indexOf('=');
		const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
		const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
		if (!(stringFlags.has(name) || name === 'port') || given.has(name) || value === undefined) return undefined;
		if (name === 'port' ? !/^(0|[1-9][0-9]{0,4})$/.test(value) : !plainValue(value)) return undefined;
		given.set(name, value);
	}
	const storage = given.get('storage');
	return {
		studies,
		results: given.get('results') ?? serveDefaults.results,
		...(storage === undefined ? {} : { storage }),
		port: Number(given.get('port') ?? serveDefaults.port),
		host: given.get('host') ?? serveDefaults.host,
	};
}

/** A value yargs hands on as the same string: not blank (refused by main.ts) and not taken for a flag. */
function plainValue(value: string): boolean {
	return value.trim() !== '' && !value.startsWith('-');
}
