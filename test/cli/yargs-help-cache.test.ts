/**
 * skipHelpCache (src/cli/yargs-help-cache.ts): yargs builds a running command's help text as it calls
 * the handler unless the cache is skipped; with it skipped the handler still runs with its arguments
 * and --help still prints the command's help. The control (no skip) shows that the probe sees yargs
 * build the cache, so the test fails should yargs' internals move.
 */
import test from 'ava';
import yargs, { type Argv } from 'yargs';
import { skipHelpCache } from '../../src/cli/yargs-help-cache.js';

const usageOf = (parser: Argv) => (parser as unknown as { getInternalMethods(): { getUsageInstance(): { hasCachedHelpMessage(): boolean } } }).getInternalMethods().getUsageInstance();

function parserOf(args: string[], ran: string[]): Argv {
	return yargs(args)
		.scriptName('tool')
		.command(
			'go <what>',
			'go somewhere',
			(y) => y.positional('what', { type: 'string', demandOption: true }).option('fast', { type: 'boolean', describe: 'go fast' }),
			(argv) => {
				ran.push(`${argv.what}${argv.fast ? ' fast' : ''}`);
			},
		)
		.strict()
		.exitProcess(false);
}

test('control: yargs builds the help text of the command it runs', async (t) => {
	const ran: string[] = [];
	const parser = parserOf(['go', 'home'], ran);
	await parser.parseAsync();
	t.deepEqual(ran, ['home']);
	t.true(usageOf(parser).hasCachedHelpMessage());
});

test('with the cache skipped the command runs and no help text is built', async (t) => {
	const ran: string[] = [];
	const parser = parserOf(['go', 'home', '--fast'], ran);
	skipHelpCache(parser);
	await parser.parseAsync();
	t.deepEqual(ran, ['home fast']);
	t.false(usageOf(parser).hasCachedHelpMessage());
});

test('with the cache skipped --help still prints the command help', async (t) => {
	const ran: string[] = [];
	const parser = parserOf(['go', '--help'], ran);
	skipHelpCache(parser);
	const output = await new Promise<string>((resolve) => {
		parser.parse(['go', '--help'], {}, (_error, _argv, text) => resolve(text));
	});
	t.regex(output, /tool go <what>/);
	t.regex(output, /--fast\s+go fast/);
	t.deepEqual(ran, []);
});
