/** `metatune serve [studies..]`: parses arguments; the handler imports the server (src/serve/serve.ts) when it runs. */
import type { CommandModule } from 'yargs';
import { warningLine } from './colour.js';
import { storageOf, storageOption } from './storage-flag.js';

/** The flags' defaults, shared by yargs' options below and the plain reader (serve-args.ts). */
export const serveDefaults = { results: 'results', port: 8080, host: '127.0.0.1' } as const;

export interface ServeArgs {
	studies: string[];
	results: string;
	storage?: string;
	port: number;
	host: string;
}

const serve: CommandModule<object, ServeArgs> = {
	command: 'serve [studies..]',
	describe: 'Serve a live dashboard of studies in the browser: list, comparison, status, figures and a sortable lifetime table, updated as records are written',
	builder: (y) =>
		y
			.positional('studies', { type: 'string', array: true, default: [], describe: 'Study names (under --results), folders or study files (default: every study there, and those started later)' })
			.option('results', { type: 'string', default: serveDefaults.results, describe: 'Folder holding one folder per study' })
			.option('storage', storageOption)
			.option('port', { type: 'number', default: serveDefaults.port, describe: 'Port to serve on (0: any free port)' })
			.option('host', { type: 'string', default: serveDefaults.host, describe: 'Address to serve on; another than loopback lets anyone who can reach it read the studies (a warning says so)' })
			.example('$0 serve', 'Serve every study under results/ on http://127.0.0.1:8080/')
			.example('$0 serve quickstart --port 0', 'Serve one study on any free port')
			.epilogue(
				'The server only reads (it never writes to a study); every script and style of the page comes from it (no CDN: it works offline). Pages update within a second of a record being written: journal files are followed from the bytes appended, PostgreSQL through LISTEN/NOTIFY. Ctrl-C stops it.',
			) as never,
	handler: (args) => runServe(args),
};

/** Serve until Ctrl-C (SIGINT) or SIGTERM; main.ts calls it directly for plain arguments (serve-args.ts). */
export async function runServe(args: ServeArgs): Promise<void> {
	if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
		const { InputError } = await import('../core/errors.js');
		throw new InputError(`--port: ${args.port} is not a port; give 0 to 65535 (0: any free port)`, undefined, 'port');
	}
	const { serve: start } = await import('../serve/serve.js');
	const served = await start({
		studies: args.studies,
		resultsDir: args.results,
		storage: storageOf(args),
		port: args.port,
		host: args.host,
		warn: (m) => process.stderr.write(warningLine(`warning: ${m}`)),
	});
	const n = served.studies.size;
	process.stdout.write(`metatune serve: ${served.url} (${n} stud${n === 1 ? 'y' : 'ies'}; Ctrl-C to stop)\n`);
	await new Promise<void>((resolve) => {
		const stop = () => {
			process.off('SIGINT', stop);
			process.off('SIGTERM', stop);
			resolve();
		};
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
	});
	await served.close();
}

export const serveCommand = serve as unknown as CommandModule;
