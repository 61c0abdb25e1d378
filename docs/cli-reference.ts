/**
 * The CLI reference page (docs/reference/cli.md), rendered from the yargs command modules that
 * `metatune` itself parses with (src/cli/commands.ts). Each module's builder runs against a
 * recording stand-in for yargs that keeps what it declares (positionals, options, examples,
 * epilogue, subcommands) instead of parsing, so the page lists exactly what `--help` shows, as
 * Markdown tables. A builder calling a yargs method the recorder does not know fails the render,
 * naming the method, rather than leaving something out of the page.
 */
import type { Argv, CommandModule } from 'yargs';
import { commands, program } from '../src/cli/commands.js';

/** One positional or option as declared to yargs. */
interface ArgumentDoc {
	readonly kind: 'positional' | 'option';
	readonly name: string;
	readonly alias?: string | readonly string[];
	readonly type?: string;
	readonly array?: boolean;
	readonly choices?: readonly unknown[];
	readonly default?: unknown;
	readonly demandOption?: boolean | string;
	readonly describe?: string;
}

export interface CommandDoc {
	/** words after `metatune`, e.g. ['agent', 'train'] */
	readonly path: readonly string[];
	/** the command string after its name, e.g. '<study-file>' */
	readonly positionals: string;
	readonly describe: string;
	readonly arguments: readonly ArgumentDoc[];
	readonly examples: readonly (readonly [string, string])[];
	readonly epilogue: string | undefined;
	readonly subcommands: readonly CommandDoc[];
}

/** yargs methods that change parsing but add nothing a reader needs on the page. */
const parsingOnly = new Set(['demandCommand', 'strict', 'middleware', 'recommendCommands']);

/** What one command module declares: its builder run against the recorder. */
export function recordCommand(module: CommandModule, parent: readonly string[] = []): CommandDoc {
	const [name = '', ...rest] = (typeof module.command === 'string' ? module.command : (module.command?.[0] ?? '')).split(' ');
	const path = [...parent, name];
	const declared: ArgumentDoc[] = [];
	const examples: [string, string][] = [];
	const subcommands: CommandDoc[] = [];
	let epilogue: string | undefined;
	const calls: Record<string, (...args: never[]) => void> = {
		positional: (key: string, options: Omit<ArgumentDoc, 'kind' | 'name'>) => declared.push({ ...options, kind: 'positional', name: key }),
		option: (key: string, options: Omit<ArgumentDoc, 'kind' | 'name'>) => declared.push({ ...options, kind: 'option', name: key }),
		example: (command: string, description: string) => examples.push([command, description]),
		epilogue: (text: string) => {
			epilogue = text;
		},
		command: (sub: CommandModule | readonly CommandModule[]) => {
			for (const m of Array.isArray(sub) ? sub : [sub as CommandModule]) subcommands.push(recordCommand(m, path));
		},
	};
	const recorder: object = new Proxy(
		{},
		{
			get:
				(_target, method: string) =>
				(...args: never[]) => {
					const call = calls[method];
					if (call !== undefined) call(...args);
					else if (!parsingOnly.has(method)) throw new Error(`docs/cli-reference.ts: \`metatune ${path.join(' ')}\` calls yargs .${method}(), which the recorder does not render; teach it`);
					return recorder;
				},
		},
	);
	const builder = module.builder;
	if (typeof builder === 'function') builder(recorder as Argv);
	else if (builder !== undefined) for (const [key, options] of Object.entries(builder)) calls.option?.(key as never, options as never);
	return {
		path,
		positionals: rest.join(' '),
		describe: typeof module.describe === 'string' ? module.describe : '',
		arguments: declared,
		examples,
		epilogue,
		subcommands,
	};
}

/** A path or name with a placeholder, e.g. `results/<first study>/report/`: shown as code. */
const placeholderWord = /[^\s(),;`]*<[^<>`]+>[^\s(),;`]*/g;

/**
 * Text for Markdown prose. Outside code spans, `<study>` would start an HTML tag and vanish from the
 * rendered page, so words holding a placeholder become code spans (and any other `<` an entity).
 */
function prose(text: string): string {
	const outsideCode = (t: string, f: (part: string) => string) =>
		t
			.split(/(`[^`]*`)/)
			.map((part, i) => (i % 2 === 1 ? part : f(part)))
			.join('');
	const coded = outsideCode(text, (part) => part.replace(placeholderWord, (word) => `\`${word}\``));
	return outsideCode(coded, (part) => part.replaceAll('<', '&lt;'));
}

/** Text for a table cell: prose with `|` escaped (also inside code spans, as GitHub's tables need). */
const cell = (text: string) => prose(text).replaceAll('|', '\\|');

const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

function argumentRow(arg: ArgumentDoc): string {
	const aliases = arg.alias === undefined ? [] : typeof arg.alias === 'string' ? [arg.alias] : arg.alias;
	const names = arg.kind === 'positional' ? `\`<${arg.name}>\`` : [arg.name, ...aliases].map((n) => `\`${n.length === 1 ? '-' : '--'}${n}\``).join(', ');
	const base = arg.choices !== undefined ? arg.choices.map(code).join(' \\| ') : (arg.type ?? 'string');
	const many = arg.array === true || arg.type === 'array' ? (arg.choices !== undefined ? `list of ${base}` : 'list') : base;
	const type = arg.kind === 'positional' && arg.array === true ? `${arg.type ?? 'string'}, one or more` : many;
	const fallback = arg.demandOption ? 'required' : arg.default === undefined ? '' : code(arg.default);
	return `| ${names} | ${type} | ${fallback} | ${cell(arg.describe ?? '')} |`;
}

const title = (doc: CommandDoc) => `metatune ${doc.path.join(' ')}`;
const anchor = (doc: CommandDoc) => title(doc).replaceAll(' ', '-');
const withProgram = (command: string) => command.replace(/^\$0\b/, 'metatune');

function renderCommand(doc: CommandDoc, depth: number): string[] {
	const lines = [
		`${'#'.repeat(depth)} ${title(doc)}`,
		'',
		'```',
		`${title(doc)}${doc.positionals === '' ? '' : ` ${doc.positionals}`}${doc.subcommands.length > 0 ? '' : ' [options]'}`,
		'```',
		'',
		`${prose(doc.describe)}.`,
		'',
	];
	if (doc.arguments.length > 0) {
		lines.push('| argument | type | default | description |', '|---|---|---|---|', ...doc.arguments.map(argumentRow), '');
	}
	if (doc.examples.length > 0) {
		lines.push('Examples:', '');
		for (const [command, description] of doc.examples) lines.push(`- \`${withProgram(command)}\`${description === '' ? '' : `: ${prose(description)}`}`);
		lines.push('');
	}
	if (doc.epilogue !== undefined) lines.push(prose(doc.epilogue), '');
	if (doc.subcommands.length > 0) {
		lines.push(...commandTable(doc.subcommands), '');
		for (const sub of doc.subcommands) lines.push(...renderCommand(sub, depth + 1));
	}
	return lines;
}

function commandTable(docs: readonly CommandDoc[]): string[] {
	return ['| command | what it does |', '|---|---|', ...docs.map((d) => `| [\`${title(d)}\`](#${anchor(d)}) | ${cell(d.describe)} |`)];
}

/** The whole page, from the command table `metatune` parses with. */
export function renderCliReference(): string {
	const docs = commands.map((m) => recordCommand(m));
	const lines = [
		'# Command-line reference',
		'',
		'<!-- Generated from the yargs command definitions in src/cli/ by `npm run docs` (docs/cli-reference.ts); edit those, not this page. -->',
		'',
		'```',
		withProgram(program.usage),
		'```',
		'',
		prose(program.description),
		'',
		'Every command also takes `--help` (its usage, as on this page) and `--version`. Run it from a project with `npx metatune ...`.',
		'',
		...commandTable(docs),
		'',
		prose(program.epilogue),
		'',
		...docs.flatMap((doc) => renderCommand(doc, 2)),
	];
	return `${lines.join('\n').trimEnd()}\n`;
}
