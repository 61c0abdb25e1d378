/**
 * The docs' table (docs/objectives.md) of the bandit objective's settings (`objective: {bandit: {...}}`), generated
 * from the schema the validation uses (settings.ts `banditObjectiveSchema`, whose agent settings are
 * learner/agent-config.ts `agentConfigSchema`): name, type and range read from the zod schema, default from
 * parsing an empty document, and what each does from the description beside the field. A test keeps
 * the docs' table equal to `banditSettingsTable()` and every setting described.
 */
import type { z } from 'zod';
import { agentConfigSchema } from './learner/agent-config.js';
import { banditObjectiveSchema } from './settings.js';

type Check = { check?: string; format?: string; value?: number; inclusive?: boolean };
type Def = {
	type: string;
	innerType?: z.ZodType;
	in?: z.ZodType;
	checks?: { _zod: { def: Check } }[];
	entries?: Record<string, unknown>;
	element?: z.ZodType;
	options?: z.ZodType[];
	shape?: Record<string, z.ZodType>;
	values?: unknown[];
};
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** What each setting does (every key of the schema, no other): the description beside it in the schema. */
export const settingDocs: Readonly<Record<string, string>> = Object.fromEntries(
	Object.entries(banditObjectiveSchema.shape).flatMap(([name, schema]) => {
		const description = descriptionOf(schema as z.ZodType);
		return description === undefined ? [] : [[name, description]];
	}),
);

/** The description of a schema node or of the node it wraps (optional, default). */
function descriptionOf(s: z.ZodType): string | undefined {
	for (let node: z.ZodType | undefined = s; node !== undefined; node = defOf(node).innerType) {
		if (node.description !== undefined) return node.description;
	}
	return undefined;
}

/** The schema node without its optional/default wrappers (and a transform's input side). */
function unwrap(s: z.ZodType): z.ZodType {
	let node = s;
	for (let def = defOf(node); ; def = defOf(node)) {
		if ((def.type === 'optional' || def.type === 'default') && def.innerType !== undefined) node = def.innerType;
		else if (def.type === 'pipe' && def.in !== undefined) node = def.in;
		else return node;
	}
}

/** Type and range of a schema node, e.g. ["int", ">= 1, <= 1024"], ["string", "adam, rmsprop, sgd"]. */
function typeAndRange(s: z.ZodType): [string, string] {
	return describe(defOf(unwrap(s)));
}

function describe(def: Def): [string, string] {
	switch (def.type) {
		case 'number': {
			const checks = (def.checks ?? []).map((c) => c._zod.def);
			const int = checks.some((c) => c.format === 'safeint' || c.format === 'int32');
			const bounds = checks.flatMap((c) => (c.check === 'greater_than' ? [`${c.inclusive ? '>=' : '>'} ${c.value}`] : c.check === 'less_than' ? [`${c.inclusive ? '<=' : '<'} ${c.value}`] : []));
			return [int ? 'int' : 'number', bounds.join(', ') || 'any'];
		}
		case 'boolean':
			return ['boolean', 'true, false'];
		case 'enum':
			return ['string', Object.values(def.entries ?? {}).join(', ')];
		case 'array':
			return ['list', def.element === undefined ? 'any' : `of ${typeAndRange(def.element)[1]}`];
		case 'union': {
			const parts = (def.options ?? []).map((o) => defOf(unwrap(o)));
			const objects = parts.filter((p) => p.type === 'object');
			const kinds = objects.map((o) => (o.shape?.kind === undefined ? undefined : defOf(o.shape.kind).values?.[0])).filter((k) => k !== undefined);
			const number = parts.find((p) => p.type === 'number');
			const numberRange = number === undefined ? '' : describe(number)[1];
			if (number === undefined) return ['mapping', kinds.length > 0 ? `kind: ${kinds.join(' or ')}` : 'see description'];
			return ['number or mapping', `${numberRange} (a number)`];
		}
		default:
			return ['mapping', 'see description'];
	}
}

const cell = (v: unknown): string => (v === undefined ? '(task)' : typeof v === 'string' ? v : JSON.stringify(v).replace(/"/g, '').replace(/,/g, ', ').replace(/:/g, ': '));

/** The markdown table (header, rule, one row per setting in schema order). */
export function banditSettingsTable(): string {
	const agentDefaults = agentConfigSchema.parse({}) as Record<string, unknown>;
	const lifetimeDefaults = banditObjectiveSchema.parse({}) as Record<string, unknown>;
	const rows = Object.entries(banditObjectiveSchema.shape).map(([name, schema]) => {
		const [type, range] = typeAndRange(schema as z.ZodType);
		const fallback = name in agentConfigSchema.shape ? agentDefaults[name] : lifetimeDefaults[name];
		const doc = settingDocs[name];
		if (doc === undefined) throw new Error(`settings-doc.ts: no description of the bandit setting ${name}`);
		return `| \`${name}\` | ${type} | ${cell(fallback)} | ${range.replace(/\|/g, '\\|')} | ${doc} |`;
	});
	return ['| setting | type | default | range | what it does |', '|---|---|---|---|---|', ...rows].join('\n');
}
