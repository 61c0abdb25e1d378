/**
 * The CLI reference (docs/cli-reference.ts) against the parser itself: for every command on the page,
 * yargs' own `metatune <command> --help`, built from the same command table, lists the same
 * subcommands, positionals and options as the page's section, so a recorder that missed a
 * declaration cannot pass. And a builder calling a yargs
 * method the recorder does not render fails the render, naming it.
 */
import test from 'ava';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { type CommandDoc, recordCommand, renderCliReference } from '../../docs/cli-reference.js';
import { commands } from '../../src/cli/commands.js';

/** yargs' own `metatune <path> --help` for the command table main.ts parses with (without exiting the process). */
function helpOf(path: readonly string[]): Promise<string> {
	const parser = yargs()
		.scriptName('metatune')
		.command(commands as CommandModule[])
		.exitProcess(false)
		.wrap(100);
	return new Promise((resolve, reject) => {
		parser.parse([...path, '--help'], {}, (error, _argv, output) => (error ? reject(error) : resolve(output)));
	});
}

/** What `--help` lists: subcommands (as paths after `metatune`), positionals (`<name>`) and options (`--name`, without --help and --version). */
function helpEntries(help: string): { commands: string[]; arguments: string[] } {
	const found = { commands: [] as string[], arguments: [] as string[] };
	let section = '';
	for (const line of help.split('\n')) {
		if (/^[A-Z][a-z]+:$/.test(line)) section = line;
		// an entry starts 2 spaces in (6 for an option beside others with aliases); deeper lines continue a description
		const entry = /^ {2}(?: {4})?(\S+(?: \S+)*?)(?: {2,}|$)/.exec(line)?.[1];
		if (entry === undefined) continue;
		if (section === 'Commands:') found.commands.push(entry.replace(/^metatune /, '').replace(/ [<[].*$/, ''));
		else if (section === 'Positionals:') found.arguments.push(`<${entry}>`);
		else if (section === 'Options:' && entry.startsWith('-')) found.arguments.push(...entry.split(', ').filter((flag) => flag !== '--help' && flag !== '--version'));
	}
	return found;
}

/** What the page says of one command: its subcommand table and its argument table. */
function pageEntries(page: string, path: string): { commands: string[]; arguments: string[] } {
	const start = page.search(new RegExp(`^#+ metatune ${path}$`, 'm'));
	const rest = page.slice(start).split('\n');
	const end = rest.findIndex((line, i) => i > 0 && /^#+ /.test(line));
	const section = rest.slice(0, end < 0 ? undefined : end);
	return {
		commands: section.flatMap((line) => /^\| \[`metatune ([^`]+)`\]/.exec(line)?.[1] ?? []),
		arguments: section.flatMap((line) => /^\| (`[^|]+`) \|/.exec(line)?.[1]?.match(/`[^`]+`/g) ?? []).map((name) => name.slice(1, -1)),
	};
}

const all = (docs: readonly CommandDoc[]): CommandDoc[] => docs.flatMap((doc) => [doc, ...all(doc.subcommands)]);

test('every command on the page lists what its --help lists: subcommands, positionals and options', async (t) => {
	const page = renderCliReference();
	const docs = all(commands.map((m) => recordCommand(m)));
	t.true(docs.length >= 18, `${docs.length} commands on the page`);
	const top = await helpOf([]);
	const topTable = page.slice(0, page.indexOf('\n## ')).split('\n');
	t.deepEqual(
		topTable.flatMap((line) => /^\| \[`metatune ([^`]+)`\]/.exec(line)?.[1] ?? []),
		helpEntries(top).commands,
		'the top-level commands',
	);
	for (const doc of docs) {
		const path = doc.path.join(' ');
		const expected = helpEntries(await helpOf(doc.path));
		t.true(expected.commands.length + expected.arguments.length > 0, `${path}: --help lists something`);
		const listed = pageEntries(page, path);
		t.deepEqual({ commands: listed.commands, arguments: [...listed.arguments].sort() }, { commands: expected.commands, arguments: [...expected.arguments].sort() }, path);
	}
});

test('a builder calling a yargs method the recorder does not render fails the render, naming it', (t) => {
	const module: CommandModule = {
		command: 'odd',
		describe: 'a command with conflicting flags',
		builder: (y: Argv) => y.option('a', { type: 'string' }).option('b', { type: 'string' }).conflicts('a', 'b'),
		handler: () => undefined,
	};
	t.throws(() => recordCommand(module), { message: /`metatune odd` calls yargs \.conflicts\(\), which the recorder does not render/ });
});

test('placeholders stay visible: words holding <name> become code, in prose and in tables', (t) => {
	const page = renderCliReference();
	t.true(page.includes('to `results/<study>/archive/<time>/`; refused'), 'run --fresh keeps its placeholders');
	t.true(page.includes('(default: `results/<first study>/report/`)'), 'report --out keeps a placeholder with a space');
	const prose = page.split(/```[\s\S]*?```/).join('');
	t.deepEqual(prose.replace(/`[^`]*`/g, '').match(/<(?!!--)[^>]*>/g) ?? [], [], 'no raw tag-like text outside code');
});
