/**
 * The cells of the study-file reference's field tables (reference.ts), read from a JSON Schema node
 * (json-schema.ts): the type, the default and the allowed values, written the way a study file
 * writes them (`[adam, rmsprop]`, `{kind: rbf, features: 16}`), with `|` escaped for Markdown tables.
 */
import type { JsonSchema } from './json-schema.js';

/** Where each shared definition is described on the page: its name and the heading's anchor. */
const defLinks: Readonly<Record<string, { readonly label: string; readonly anchor: string }>> = {
	objective: { label: 'objective', anchor: '#objectives' },
	bandit_settings: { label: 'bandit settings', anchor: '#bandit-settings' },
	param: { label: 'param', anchor: '#space-params' },
	arm: { label: 'arm', anchor: '#arms' },
	pruner: { label: 'pruner', anchor: '#pruners' },
};

/** zod writes `.int()` as these bounds; they say nothing a reader needs. */
const safeInteger = Number.MAX_SAFE_INTEGER;

function defLink(ref: string): string {
	const name = ref.replace(/^#\/\$defs\//, '');
	const link = defLinks[name];
	if (link === undefined) throw new Error(`reference-cells.ts: no section for the JSON Schema definition ${name}; add it to defLinks`);
	return `[${link.label}](${link.anchor})`;
}

/** A value as a study file writes it (YAML flow style). */
function yamlValue(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(yamlValue).join(', ')}]`;
	if (value !== null && typeof value === 'object')
		return `{${Object.entries(value)
			.map(([k, v]) => `${k}: ${yamlValue(v)}`)
			.join(', ')}}`;
	return typeof value === 'string' ? value : JSON.stringify(value);
}

const code = (value: unknown): string => `\`${yamlValue(value)}\``;

/** The variants of a union node (zod writes discriminated unions as oneOf, others as anyOf). */
export function variantsOf(node: JsonSchema): readonly JsonSchema[] {
	return node.oneOf ?? node.anyOf ?? [];
}

/** The discriminator of an object variant (`type: float`, `kind: grid`) as [field, value], if it has one. */
export function discriminatorOf(node: JsonSchema): [string, unknown] | undefined {
	for (const field of ['type', 'kind']) {
		const value = node.properties?.[field]?.const;
		if (value !== undefined) return [field, value];
	}
	return undefined;
}

/** The type column: int, number, string, boolean, list of ..., mapping of names to ..., a linked definition. */
export function typeCell(node: JsonSchema): string {
	if (node.$ref !== undefined) return defLink(node.$ref);
	const variants = variantsOf(node);
	if (variants.length > 0) return [...new Set(variants.map(typeCell))].join(' or ');
	if (node.enum !== undefined) return 'string';
	if (Array.isArray(node.type)) return node.type.join(' or ');
	switch (node.type) {
		case 'integer':
			return 'int';
		case 'array':
			return node.items === undefined ? 'list' : `list of ${typeCell(node.items)}`;
		case 'object':
			if (node.title !== undefined) return node.title;
			return typeof node.additionalProperties === 'object' ? `mapping of names to ${typeCell(node.additionalProperties)}` : 'mapping';
		default:
			return typeof node.type === 'string' ? node.type : 'any';
	}
}

function bounds(node: JsonSchema): string[] {
	const out: string[] = [];
	if (node.exclusiveMinimum !== undefined) out.push(`> ${node.exclusiveMinimum}`);
	if (node.minimum !== undefined && node.minimum !== -safeInteger) out.push(`>= ${node.minimum}`);
	if (node.exclusiveMaximum !== undefined) out.push(`< ${node.exclusiveMaximum}`);
	if (node.maximum !== undefined && node.maximum !== safeInteger) out.push(`<= ${node.maximum}`);
	return out;
}

/** The allowed-values column: choices, bounds, patterns, sizes (empty when anything of the type goes). */
export function allowedCell(node: JsonSchema): string {
	if (node.$ref !== undefined) return `see ${defLink(node.$ref)}`;
	const variants = variantsOf(node);
	if (variants.length > 0) {
		const kinds = variants.map(discriminatorOf);
		if (kinds.every((k) => k !== undefined)) return `${kinds[0]?.[0]}: ${kinds.map((k) => code(k?.[1])).join(', ')}`;
		return variants
			.map((v) => {
				const allowed = allowedCell(v);
				return allowed === '' ? '' : `${allowed} (${typeCell(v)})`;
			})
			.filter((a) => a !== '')
			.join('; ');
	}
	if (node.enum !== undefined) return node.enum.map(code).join(', ');
	if (node.const !== undefined) return code(node.const);
	const parts = [...bounds(node)];
	if (node.type === 'boolean') parts.push('`true`, `false`');
	if (node.pattern !== undefined) parts.push(`matches \`${node.pattern}\``);
	if (node.minLength === 1) parts.push('not empty');
	else if (node.minLength !== undefined) parts.push(`at least ${node.minLength} characters`);
	if (node.maxLength !== undefined) parts.push(`at most ${node.maxLength} characters`);
	if (node.minItems !== undefined) parts.push(`at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`);
	if (node.items !== undefined) {
		const each = allowedCell(node.items);
		if (each !== '') parts.push(`each ${each}`);
	}
	if (node.propertyNames?.pattern !== undefined) parts.push(`names match \`${node.propertyNames.pattern}\``);
	if (node.minProperties !== undefined) parts.push(`at least ${node.minProperties} entr${node.minProperties === 1 ? 'y' : 'ies'}`);
	if (typeof node.additionalProperties === 'object') {
		const each = allowedCell(node.additionalProperties);
		if (each !== '') parts.push(`each ${each}`);
	}
	return parts.join(', ');
}

/** The default column: the default as a study file writes it, else whether the field must be given. */
export function defaultCell(node: JsonSchema, required: boolean): string {
	if (node.default !== undefined) return code(node.default);
	return required ? '**required**' : 'optional';
}

/** A table cell: one line, `|` escaped. */
export function cell(text: string): string {
	return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}
