/**
 * Loading extra benchmark functions from a user's JS module (`metatune bench searchers --module FILE`).
 * The module's default export is an array of `{name, space, evaluate(params) => number, minimum}`,
 * with `space` in the study-file format (float/int/categorical/fixed params), validated here.
 *
 * A module's evaluate is a user's code: when it throws, or returns anything but a finite number,
 * the benchmark stops with one line (InputError, exit 2) naming the module, the function, the params
 * and the error. A test function with a known minimum is defined on its whole space, so a non-finite
 * value is a bug to show (typically a misspelt param name: `p.X` is undefined, the result NaN), not
 * a failed evaluation to count; the built-in functions are not wrapped.
 *
 * The space schema below mirrors src/space.ts; when the study spec (src/study/) exports its own
 * space schema, this one should be replaced by it so both accept exactly the same files. Conditions
 * (`when`) are the study file's (src/study/spec/conditions.ts): normalised to lists and checked the
 * same way, so a conditional test function gets exactly its active params.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import type { Params, Space } from '../core/space.js';
import { checkConditions, normaliseSpace, whenSchema } from '../study/spec/conditions.js';
import type { TestFunction } from './functions.js';

const value = z.union([z.number(), z.string(), z.boolean()]);

const paramSchema = z.discriminatedUnion('type', [
	z
		.object({ type: z.literal('float'), low: z.number(), high: z.number(), log: z.boolean().optional(), when: whenSchema })
		.strict()
		.refine((p) => p.low <= p.high, { message: 'low must not exceed high' })
		.refine((p) => !p.log || p.low > 0, { message: 'log params need low > 0' }),
	z
		.object({ type: z.literal('int'), low: z.number().int(), high: z.number().int(), step: z.number().int().positive().optional(), log: z.boolean().optional(), when: whenSchema })
		.strict()
		.refine((p) => p.low <= p.high, { message: 'low must not exceed high' })
		.refine((p) => !p.log || p.low > 0, { message: 'log params need low > 0' }),
	z.object({ type: z.literal('categorical'), choices: z.array(value).min(1), when: whenSchema }).strict(),
	z.object({ type: z.literal('fixed'), value, when: whenSchema }).strict(),
]);

const spaceSchema = z.record(z.string(), paramSchema).refine((s) => Object.values(s).some((p) => p.type !== 'fixed'), { message: 'space needs at least one non-fixed param' });

const functionSchema = z.object({
	name: z.string().min(1),
	space: spaceSchema,
	evaluate: z.custom<(params: Params) => unknown>((v) => typeof v === 'function', { message: 'expected a function evaluate(params) => number' }),
	minimum: z.number(),
});

/** Import `file` and validate its default export. Throws InputError naming the file and field. */
export async function loadFunctionsModule(file: string): Promise<TestFunction[]> {
	const path = resolve(file);
	if (!existsSync(path)) throw new InputError(`${file}: no such file`, file, 'module');
	let mod: { default?: unknown };
	try {
		mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
	} catch (error) {
		throw new InputError(`${file}: could not import (${error instanceof Error ? error.message : String(error)})`, file, 'module');
	}
	const parsed = z.array(functionSchema).min(1).safeParse(mod.default);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const field = issue === undefined ? '' : issue.path.map(String).join('.');
		throw new InputError(`${file}: default export${field ? `[${field}]` : ''}: ${issue?.message ?? 'invalid'} (expected an array of {name, space, evaluate, minimum})`, file, field || 'default');
	}
	return parsed.data.map((f, i) => {
		const space: Space = normaliseSpace(f.space);
		checkConditions(space, (field, message) => {
			throw new InputError(`${file}: default export[${i}.${field}]: ${message}`, file, `${i}.${field}`);
		});
		return { name: f.name, space, evaluate: checkedEvaluate(file, f.name, f.evaluate), minimum: f.minimum };
	});
}

const paramsText = (params: Params) =>
	`{${Object.entries(params)
		.map(([k, v]) => `${k}: ${typeof v === 'number' ? Number(v.toPrecision(6)) : JSON.stringify(v)}`)
		.join(', ')}}`;

const valueText = (v: unknown) =>
	typeof v === 'number'
		? String(v)
		: typeof v === 'string'
			? `the string ${JSON.stringify(v)}`
			: v instanceof Promise
				? 'a Promise (evaluate must be synchronous)'
				: v === null
					? 'null'
					: typeof v === 'object'
						? 'an object'
						: String(v);

/** The user's evaluate, turning a throw or a non-finite result into one InputError naming module, function and params. */
function checkedEvaluate(file: string, name: string, evaluate: (params: Params) => unknown): TestFunction['evaluate'] {
	return (params) => {
		let value: unknown;
		try {
			value = evaluate(params);
		} catch (error) {
			throw new InputError(`${file}: function '${name}': evaluate threw at ${paramsText(params)}: ${error instanceof Error ? error.message : String(error)}`, file, name);
		}
		if (typeof value !== 'number' || !Number.isFinite(value))
			throw new InputError(`${file}: function '${name}': evaluate returned ${valueText(value)} at ${paramsText(params)}; it must return a finite number everywhere in its space`, file, name);
		return value;
	};
}
