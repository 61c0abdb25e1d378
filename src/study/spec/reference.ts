/**
 * The study-file reference page (docs/reference/study-file.md), generated from the study file's JSON
 * Schema (json-schema.ts), which is generated from the zod schemas the loader validates with: every
 * field with its type, default, allowed values and the description written beside it in the schema.
 * `npm run docs` writes it; a test keeps the committed page equal to `studyFileReference()`.
 *
 * What JSON Schema cannot say (one bound below another, a budget a multiple of repeats, what the
 * objective checks) is listed in `loadChecks`; a test shows each kind is accepted by the JSON Schema
 * and refused when the study loads.
 */
import type { JsonSchema } from './json-schema.js';
import { allowedCell, cell, defaultCell, discriminatorOf, typeCell, variantsOf } from './reference-cells.js';

/** The checks made in code when a study loads or opens, beyond what the JSON Schema checks. */
const loadChecks: readonly string[] = [
	'`space`: a float or int param has `low` <= `high`, and `low` > 0 when `log: true`.',
	'`space`: at least one param is not `fixed`.',
	'`space`: a `when` names params of the space (not the param itself), none of them a float, with values each can take (a choice, an int on its range and step, a fixed value), and conditions form no cycle; tuner arms (metagradient, pbt) refuse a space with conditions.',
	'`searchers`: arm names are unique (arms without a name are named after their kind: `random`, `random-2`, ...).',
	"`budget` (the study's and each arm's) is a multiple of `repeats`.",
	'`pruner` in an arm: only searcher arms (grid, random, gp) are pruned; tuner arms refuse one.',
	'`pruner`: asha and hyperband need `max_resource` > `min_resource`.',
	'`metric`: the bandit objective has `lifetime_return` and `final_return` only.',
	'`metrics`: not beside `metric` or `direction` (each entry has its own direction), names unique; `reference_point` only with `metrics`, one value per metric; a constraint has `min` <= `max`. The bandit objective: `metrics` and `constraints` name fields it logs (`lifetime_return`, `final_return`, `env_steps`, `agent_ms`, `param_count`, ...); any other objective: a lifetime that does not log one as a number fails, naming the field.',
	'Tuner arms (metagradient, pbt) need the bandit objective. metagradient tunes a float param `gamma`, and every other param is `fixed`; pbt tunes every searched param, each a float among the agent settings a lifetime can change (`gamma`, `lr`, `entropy`, `value_coef`, `grad_clip`), needs a float `gamma` with `meta_gradient: true`, and its `start` names only searched params.',
	"Bandit objective: every space param is an agent setting (or `entropy_start`, `entropy_end`, `entropy_anneal`, `train_episodes`), the space's bounds, choices and fixed values are valid values of their setting, `entropy` is not searched beside its parts, and an rbf `reward_encoding` has `high` > `low`.",
	'Command objective: the command is not empty, its program exists (a path with a slash is relative to the study file; a bare name is looked up on PATH), every `{placeholder}` names a param (or `seed`, `trial`), the placeholder of a conditional param has a default (`{name:default}`), and `cwd` exists.',
	'Module objective: the module is imported in a throwaway worker thread (30 s limit) and must export a function.',
	'`objective` may be left out only when a program gives the objective to `runStudy(study, {objective})` or evaluates ask/tell itself; `metatune run` refuses a study without one.',
];

/** A study file shown at the top of the page, as committed (its path and text). */
export interface ReferenceExample {
	readonly path: string;
	readonly text: string;
}

const armFields = ['name', 'budget', 'pruner'];

function def(schema: JsonSchema, name: string): JsonSchema {
	const node = schema.$defs?.[name];
	if (node === undefined) throw new Error(`reference.ts: the study JSON Schema has no definition ${name}`);
	return node;
}

/** A field's description, or the description of the definition it refers to. */
function descriptionOf(field: JsonSchema, defs: JsonSchema['$defs']): string {
	const ref = field.$ref?.replace(/^#\/\$defs\//, '');
	return field.description ?? (ref === undefined ? undefined : defs?.[ref]?.description) ?? '';
}

/** A Markdown table of an object node's fields, in schema order, less `skip`. */
function fieldTable(node: JsonSchema, defs: JsonSchema['$defs'], skip: readonly string[] = []): string {
	const required = new Set(node.required ?? []);
	const rows = Object.entries(node.properties ?? {})
		.filter(([name]) => !skip.includes(name))
		.map(([name, field]) => {
			const cells = [`\`${name}\``, typeCell(field), defaultCell(field, required.has(name)), allowedCell(field) || 'any', descriptionOf(field, defs)];
			if (cells[4] === '') throw new Error(`reference.ts: field ${name} has no description; add .describe() beside it in its zod schema`);
			return `| ${cells.map(cell).join(' | ')} |`;
		});
	return ['| field | type | default | allowed values | description |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** One section per variant of a union: heading (`kind: grid`), its description, its fields. */
function variantSections(union: JsonSchema, defs: JsonSchema['$defs'], level: string, keep: (variant: JsonSchema) => boolean, skip: readonly string[] = []): string[] {
	return variantsOf(union)
		.filter(keep)
		.flatMap((variant) => {
			const kind = discriminatorOf(variant);
			const name = kind === undefined ? Object.keys(variant.properties ?? {})[0] : `${kind[0]}: ${String(kind[1])}`;
			const fields = Object.keys(variant.properties ?? {}).filter((f) => f !== kind?.[0] && !skip.includes(f));
			return [
				`${level} \`${name}\``,
				'',
				sentence(variant.description),
				'',
				fields.length === 0 ? 'No other fields.' : fieldTable(variant, defs, [...skip, ...(kind === undefined ? [] : [kind[0]])]),
				'',
			];
		});
}

/** A description as a sentence: capital first letter, full stop. */
function sentence(text: string | undefined): string {
	if (text === undefined || text === '') return '';
	return `${text[0]?.toUpperCase()}${text.slice(1)}${text.endsWith('.') ? '' : '.'}`;
}

const isTuner = (arm: JsonSchema): boolean => ['metagradient', 'pbt'].includes(String(discriminatorOf(arm)?.[1]));

/** The reference page's Markdown. */
export function studyFileReference(schema: JsonSchema, example: ReferenceExample): string {
	const defs = schema.$defs;
	const arm = def(schema, 'arm');
	const bandit = def(schema, 'bandit_settings');
	const banditField = (name: string): JsonSchema => {
		const node = bandit.properties?.[name];
		if (node === undefined) throw new Error(`reference.ts: the bandit settings have no ${name}`);
		return node;
	};
	const entropySchedule = variantsOf(banditField('entropy')).find((v) => v.type === 'object');
	const firstArm = variantsOf(arm)[0] ?? {};
	const armOnly: JsonSchema = { properties: Object.fromEntries(armFields.map((f) => [f, firstArm.properties?.[f] ?? {}])) };
	return [
		'# Study file reference',
		'',
		'<!-- Generated from the zod schemas by `npm run docs` (src/study/spec/reference.ts); do not edit by hand. -->',
		'',
		`${schema.description ?? ''} A study file is YAML or JSON; this page lists every field it may hold, with its type, default, allowed values and what it does. The same schemas give the JSON Schema \`studies/study.schema.json\` (shipped in the package), so an editor can complete and check study files (see *Editor completion*). A field not listed here is an error.`,
		'',
		'## Example',
		'',
		`\`${example.path}\`, run it with \`npx metatune run ${example.path}\` (about a second):`,
		'',
		'```yaml',
		example.text.trimEnd(),
		'```',
		'',
		'## Editor completion',
		'',
		'The first line `# yaml-language-server: $schema=./study.schema.json` points [yaml-language-server](https://github.com/redhat-developer/yaml-language-server) (VS Code: the *YAML* extension, `code --install-extension redhat.vscode-yaml`; also Neovim, Helix, Emacs and JetBrains through their YAML support) at the schema: fields complete, and a misspelt field, a wrong type or a value out of range is underlined as you type. In a project of your own, point it at the installed copy: `# yaml-language-server: $schema=./node_modules/metatune/studies/study.schema.json` (the path is relative to the study file).',
		'',
		'## Top level',
		'',
		'Give exactly one of `searcher` and `searchers`.',
		'',
		fieldTable(schema, defs),
		'',
		'## Space params',
		'',
		`\`space\` maps each parameter's name to one of these, told apart by \`type\`.`,
		'',
		...variantSections(def(schema, 'param'), defs, '###', () => true),
		'## Objectives',
		'',
		'`objective` is one of these mappings.',
		'',
		...variantSections(def(schema, 'objective'), defs, '###', () => true),
		'### Bandit settings',
		'',
		sentence(bandit.description),
		'',
		fieldTable(bandit, defs),
		'',
		'#### `entropy` as a schedule',
		'',
		sentence(entropySchedule?.description),
		'',
		fieldTable(entropySchedule ?? {}, defs),
		'',
		'#### `reward_encoding`',
		'',
		...variantSections(banditField('reward_encoding'), defs, '#####', () => true),
		'## Arms',
		'',
		`${sentence(arm.description)} \`searcher:\` takes one arm, \`searchers:\` a list of them; every arm takes these fields beside its own:`,
		'',
		fieldTable(armOnly, defs),
		'',
		'## Searchers',
		'',
		'A searcher proposes configurations from finished lifetimes; its chosen configuration is re-evaluated on fresh seeds (`reevaluate`).',
		'',
		...variantSections(arm, defs, '###', (v) => !isTuner(v), armFields),
		'## Online tuners',
		'',
		'An online tuner runs whole lifetimes that adapt hyperparameters inside themselves; none is selected, so none is re-evaluated.',
		'',
		...variantSections(arm, defs, '###', isTuner, armFields),
		'## Pruners',
		'',
		`\`pruner:\` at the top level (every searcher arm) or in a searcher arm (overrides the study's). ${sentence(def(schema, 'pruner').description)}`,
		'',
		...variantSections(def(schema, 'pruner'), defs, '###', () => true),
		'## Checked when the study loads',
		'',
		'The JSON Schema cannot express these; `metatune run` (and `loadStudyFile`, `openStudyFile`) refuse a study that breaks one, with one line naming the file, the field and the fix (exit code 2):',
		'',
		...loadChecks.map((c) => `- ${c}`),
		'',
	].join('\n');
}
