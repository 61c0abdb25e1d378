/**
 * `metatune serve` with plain arguments is read without yargs (src/cli/serve-args.ts): for every
 * argument list it accepts, the arguments must be those yargs hands the serve command's handler;
 * whatever it is not sure of (help, unknown or repeated flags, empty values, ports in words) it
 * leaves to yargs, so the help text and the messages stay yargs'.
 */
import test from 'ava';
import yargs, { type CommandModule } from 'yargs';
import { plainServeArgs } from '../../src/cli/serve-args.js';
import { type ServeArgs, serveCommand } from '../../src/cli/serve.js';

/** What yargs hands the real serve command's handler for `argv`. */
async function yargsServeArgs(argv: readonly string[]): Promise<ServeArgs> {
	let got: Record<string, unknown> | undefined;
	await yargs([...argv])
		.command({
			...serveCommand,
			handler: (args: Record<string, unknown>) => {
				got = args;
			},
		} as CommandModule)
		.strict()
		.fail((message, error) => {
			throw error ?? new Error(message);
		})
		.parseAsync();
	if (got === undefined) throw new Error(`yargs ran no handler for ${argv.join(' ')}`);
	const { studies, results, storage, port, host } = got as unknown as ServeArgs;
	return { studies, results, ...(storage === undefined ? {} : { storage }), port, host };
}

const plain: readonly (readonly string[])[] = [
	['serve'],
	['serve', 'quickstart', '--port', '0'],
	['serve', 'a', 'b', '123', 'results/c d', '--results=/tmp/x', '--host', '0.0.0.0'],
	['serve', '--port=65535', '--host=127.0.0.1', '--storage', 'postgresql://me@db:5432/studies', 'é-study'],
	['serve', '--results', '007', 'x=y'],
];

for (const argv of plain) {
	test(`${JSON.stringify(argv)}: read without yargs, as yargs reads it`, async (t) => {
		const fast = plainServeArgs(argv);
		t.not(fast, undefined, 'plain arguments are read without yargs');
		t.deepEqual(fast, await yargsServeArgs(argv));
	});
}

const forYargs: readonly (readonly string[])[] = [
	['serve', '--help'],
	['serve', '-h'],
	['serve', '--version'],
	['serve', '--port', 'eighty'],
	['serve', '--port', '08080'],
	['serve', '--port', '1e3'],
	['serve', '--port'],
	['serve', '--port', '1', '--port', '2'],
	['serve', '--results', ''],
	['serve', '--results', ' '],
	['serve', '--host', '--port', '1'],
	['serve', '--resluts', 'x'],
	['serve', '--no-host'],
	['serve', '--', 'study'],
	['serve', '-p', '1'],
	['status', 'quickstart'],
	[],
];

for (const argv of forYargs) {
	test(`${JSON.stringify(argv)}: left to yargs`, (t) => {
		t.is(plainServeArgs(argv), undefined);
	});
}
