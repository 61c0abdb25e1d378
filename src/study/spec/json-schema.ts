/**
 * The JSON Schema of a study file (draft 2020-12), generated from the zod schemas the loader uses
 * (schema.ts and the searcher, tuner, pruner and bandit-settings schemas it embeds), with their
 * descriptions, so editors complete and check study files. `npm run docs` writes it to
 * studies/study.schema.json; a test keeps that file equal to `studyJsonSchema()`.
 *
 * It describes what a user writes (zod's input side: defaulted fields are optional and carry their
 * `default`). Checks zod makes in code (bounds in order, budget a multiple of repeats, the objective's
 * own checks) are not in it: the reference page lists them (reference.ts `loadChecks`).
 */
import { z } from 'zod';
import { banditObjectiveSchema } from '../../objectives/bandit/settings.js';
import { studyFileSchema } from './schema.js';

/** A JSON Schema node, as far as the reference page reads it. */
export interface JsonSchema {
	readonly $schema?: string;
	readonly $ref?: string;
	readonly $defs?: Readonly<Record<string, JsonSchema>>;
	readonly title?: string;
	readonly description?: string;
	readonly type?: string | readonly string[];
	readonly const?: unknown;
	readonly enum?: readonly unknown[];
	readonly default?: unknown;
	readonly properties?: Readonly<Record<string, JsonSchema>>;
	readonly required?: readonly string[];
	readonly additionalProperties?: boolean | JsonSchema;
	readonly propertyNames?: JsonSchema;
	readonly minProperties?: number;
	readonly items?: JsonSchema;
	readonly minItems?: number;
	readonly minLength?: number;
	readonly maxLength?: number;
	readonly pattern?: string;
	readonly minimum?: number;
	readonly maximum?: number;
	readonly exclusiveMinimum?: number;
	readonly exclusiveMaximum?: number;
	readonly anyOf?: readonly JsonSchema[];
	readonly oneOf?: readonly JsonSchema[];
}

type Mutable = { -readonly [K in keyof JsonSchema]: JsonSchema[K] };

/** zod -> JSON Schema: the input side, draft 2020-12; a schema part JSON Schema cannot express is an error here, not a silent `{}`. */
function toJsonSchema(schema: z.ZodType): Mutable {
	return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'throw' }) as Mutable;
}

/**
 * The study file's JSON Schema. The spec keeps `objective.bandit` an open mapping (the objective
 * checks its settings when the study opens, with messages naming the setting); here it is the
 * objective's own schema, so editors complete bandit settings too.
 */
export function studyJsonSchema(): JsonSchema {
	const schema = toJsonSchema(studyFileSchema);
	const { $schema: _, $defs: banditDefs, ...bandit } = toJsonSchema(banditObjectiveSchema);
	const defs = schema.$defs ?? {};
	if (defs.bandit_settings === undefined) throw new Error('json-schema.ts: schema.ts no longer names the bandit settings `bandit_settings`');
	schema.$defs = { ...defs, ...banditDefs, bandit_settings: bandit };
	return schema;
}

/** The schema file's text: two-space JSON, as the repository's formatter writes it, and a final newline. */
export function studyJsonSchemaText(): string {
	return `${JSON.stringify(studyJsonSchema(), null, 2)}\n`;
}
