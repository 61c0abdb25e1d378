/**
 * Conditional params in study files: `when: {optimizer: adam}` or `when: {optimizer: [adam, nadam]}`
 * on a param of `space:` makes it active only when every named param is active and takes one of the
 * listed values (core/conditions.ts); an inactive param is absent from a lifetime's params.
 *
 * The schema takes one value or a list per parent; `normaliseSpace` turns every condition into lists
 * (what the core Space holds) and leaves a param without `when` as written, so a study without
 * conditions keeps its spec, and its hash, exactly. `checkConditions` refuses, one line naming the
 * field: a parent that is not in the space (with the nearest name), a parent that is a float (a
 * condition compares values exactly), a value the parent cannot take, and a cycle of conditions.
 */
import { z } from 'zod';
import { activationOrder } from '../../core/conditions.js';
import { nearest } from '../../core/nearest.js';
import { valueProblem } from '../../core/param-value.js';
import type { Condition, Param, ParamValue, Space } from '../../core/space.js';

const value = z.union([z.number(), z.string(), z.boolean()]);

export const whenSchema = z
	.record(z.string(), z.union([value, z.array(value).min(1)]))
	.refine((w) => Object.keys(w).length > 0, { message: 'is empty; name a param and its value(s), e.g. when: {optimizer: adam}' })
	.optional()
	.describe(
		"makes the param conditional: active only when each named param is active and takes the value (or one of the values) given, e.g. `when: {optimizer: adam}` or `when: {layers: [2, 3]}`; an inactive param is absent from the lifetime's params. The named params are categorical, int or fixed, never float",
	);

type WrittenParam = Omit<Param, 'when'> & { readonly when?: Readonly<Record<string, ParamValue | readonly ParamValue[]>> | undefined };

/** The space with every condition's values as lists; a param without `when` is returned as is. */
export function normaliseSpace(space: Readonly<Record<string, WrittenParam>>): Space {
	const out: Record<string, Param> = {};
	for (const [name, param] of Object.entries(space)) {
		const { when, ...rest } = param;
		if (when === undefined) {
			out[name] = param as Param;
			continue;
		}
		const lists: Record<string, readonly ParamValue[]> = {};
		for (const [parent, values] of Object.entries(when)) lists[parent] = Array.isArray(values) ? [...(values as readonly ParamValue[])] : [values as ParamValue];
		out[name] = { ...rest, when: lists as Condition } as Param;
	}
	return out;
}

/** Refuse conditions that cannot be decided (see the header); `fail` throws the one-line InputError. */
export function checkConditions(space: Space, fail: (field: string, message: string) => never): void {
	const names = Object.keys(space);
	for (const [name, param] of Object.entries(space)) {
		for (const [parent, values] of Object.entries(param.when ?? {})) {
			const field = `space.${name}.when.${parent}`;
			const of = space[parent];
			if (of === undefined) {
				const guess = nearest(parent, names);
				fail(field, `no param ${parent} in the space; ${guess === undefined ? `a condition names one of ${names.join(', ')}` : `did you mean ${guess}?`}`);
			}
			if (parent === name) fail(field, `${name} depends on itself; a condition names another param`);
			if (of.type === 'float') fail(field, `${parent} is a float param; a condition names a categorical, int or fixed param (its values are compared exactly), e.g. make ${parent} categorical`);
			for (const v of values) {
				const problem = valueProblem(of, v);
				if (problem !== undefined) fail(field, `${JSON.stringify(v)} is ${problem.replace('outside the space', `not a value of ${parent}`)}; name values ${parent} can take`);
			}
		}
	}
	try {
		activationOrder(space);
	} catch (error) {
		const cycle = error instanceof RangeError ? error.message.replace(/^conditions form a cycle: /, '') : String(error);
		fail(`space.${cycle.split(' -> ')[0]}.when`, `conditions form a cycle (${cycle}); a param cannot depend on itself, directly or through others`);
	}
}
