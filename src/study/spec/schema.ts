/**
 * The study file's zod schema: what a study document may hold, field by field, as users write it
 * (snake_case). spec.ts validates a document with it and normalises it into a `StudySpec`.
 *
 *   name          letters, digits, . _ - (it names the results folder, so it cannot escape it)
 *   objective     {bandit: {...settings}} | {module: ./file.js, export?: name} |
 *                 {command: [program, ...args], cwd?, env?, timeout?, grace?, stdout?} (objectives/command.ts);
 *                 absent: the library caller gives a function (runStudy(study, {objective}), ask/tell)
 *   metric        bandit: lifetime_return | final_return; module: a returned field (default value)
 *   direction     maximize | minimize (default maximize)
 *   metrics       [{name, direction}, ...] (>= 2) instead of metric/direction: a Pareto front per arm;
 *   constraints   [{field, max?, min?}] on logged fields; reference_point: the hypervolume's (objectives.ts)
 *   space         name -> {type: float|int|categorical|fixed, ...} (src/core/space.ts)
 *   searcher | searchers   one arm or a list of arms (each may carry a `name` and a `budget`): a
 *                 searcher (grid, random, gp: proposes configurations from finished lifetimes) or
 *                 an online tuner (metagradient: adapts params inside each lifetime)
 *   budget        lifetimes per arm; repeats: lifetimes per configuration (budget a multiple of it)
 *   concurrency   lifetimes at once in one process (default: number of cores)
 *   trial_timeout seconds; retries: re-runs of a failed lifetime; reevaluate: fresh-seed lifetimes
 *                 of each arm's chosen configuration; seed: base of the lifetime seeds
 *   pruner        stops unpromising lifetimes early, for every searcher arm (an arm's own `pruner`
 *                 overrides it): median | asha | hyperband (pruner.ts)
 *
 * The descriptions beside the fields are the text of the study-file reference and of the JSON Schema
 * (reference.ts, json-schema.ts); checks zod runs in code (superRefine, `parseStudyDocument`) are
 * listed in `loadChecks` so the reference can name them.
 */
import { z } from 'zod';
import { gpConfigSchema, gridConfigSchema, randomConfigSchema, tpeConfigSchema } from '../../../searchers/config.js';
import { commandStdoutModes } from '../../objectives/objective.js';
import { metagradientConfigSchema, pbtConfigSchema } from '../../tuners/config.js';
import { whenSchema } from './conditions.js';
import { constraintsSchema, metricsSchema, referencePointSchema } from './objectives.js';
import { prunerSchema } from './pruner.js';

const value = z.union([z.number(), z.string(), z.boolean()]);
const logScale = z.boolean().optional().describe('search the range on a log scale (low must be > 0)');

/** A float or int param's range: low <= high, and low > 0 on a log scale. */
function boundsInOrder(p: { readonly low: number; readonly high: number; readonly log?: boolean | undefined }, ctx: z.RefinementCtx): void {
	if (p.low > p.high) ctx.addIssue({ code: 'custom', path: ['low'], message: `must be below high (${p.low} >= ${p.high}); swap the bounds` });
	if (p.log && p.low <= 0) ctx.addIssue({ code: 'custom', path: ['low'], message: `must be > 0 for a log-scaled param (got ${p.low}); raise low or drop log` });
}

const floatSchema = z
	.object({
		type: z.literal('float'),
		low: z.number().describe('lowest value (inclusive)'),
		high: z.number().describe('highest value (inclusive)'),
		log: logScale,
		when: whenSchema,
	})
	.strict()
	.superRefine(boundsInOrder)
	.meta({ title: 'float param', description: 'a real number between low and high' });
const intSchema = z
	.object({
		type: z.literal('int'),
		low: z.number().int().describe('lowest value (inclusive)'),
		high: z.number().int().describe('highest value (inclusive)'),
		step: z.number().int().positive().optional().describe('distance between neighbouring values, counted from low (default 1)'),
		log: logScale,
		when: whenSchema,
	})
	.strict()
	.superRefine(boundsInOrder)
	.meta({ title: 'int param', description: 'an integer between low and high' });
const categoricalSchema = z
	.object({
		type: z.literal('categorical'),
		choices: z.array(value).min(1).describe('the values to choose from (numbers, strings or booleans), e.g. `[adam, rmsprop]`'),
		when: whenSchema,
	})
	.strict()
	.meta({ title: 'categorical param', description: 'one of a list of values' });
const fixedSchema = z
	.object({ type: z.literal('fixed'), value: value.describe('the value every lifetime gets'), when: whenSchema })
	.strict()
	.meta({ title: 'fixed param', description: 'one value for every lifetime: set, not searched (tuner arms need every param they do not tune fixed)' });

const paramSchema = z.discriminatedUnion('type', [floatSchema, intSchema, categoricalSchema, fixedSchema]).meta({ id: 'param', description: 'one parameter of the space, by `type`' });
const spaceSchema = z
	.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'parameter names are identifiers (letters, digits, _)'), paramSchema)
	.refine((s) => Object.keys(s).length > 0, {
		message: 'is empty; add at least one parameter, e.g. gamma: {type: float, low: 0.5, high: 0.99}',
	})
	.meta({ minProperties: 1, description: 'the parameters searched or tuned: name -> param, e.g. `gamma: {type: float, low: 0.5, high: 0.99}`' });

const armName = {
	name: z
		.string()
		.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'arm names use letters, digits, . _ -')
		.optional()
		.describe("the arm's name in tables and reports (default: its kind, then kind-2, kind-3, ...)"),
	budget: z.number().int().positive().optional().describe("lifetimes of this arm, overriding the study's budget (e.g. fewer meta-gradient lifetimes)"),
	pruner: prunerSchema.optional().describe("stops this arm's unpromising lifetimes early, overriding the study's `pruner` (searcher arms only)"),
};
/** The title and description of a searcher's or tuner's settings, for its arm (`extend` does not carry them). */
const metaOf = (settings: z.ZodType) => z.globalRegistry.get(settings) ?? {};
const armSchema = z
	.discriminatedUnion('kind', [
		gridConfigSchema.extend(armName).meta(metaOf(gridConfigSchema)),
		randomConfigSchema.extend(armName).meta(metaOf(randomConfigSchema)),
		gpConfigSchema.extend(armName).meta(metaOf(gpConfigSchema)),
		tpeConfigSchema.extend(armName).meta(metaOf(tpeConfigSchema)),
		metagradientConfigSchema.extend(armName).meta(metaOf(metagradientConfigSchema)),
		pbtConfigSchema.extend(armName).meta(metaOf(pbtConfigSchema)),
	])
	.meta({ id: 'arm', description: 'one arm of the comparison: a searcher (grid, random, gp, tpe) or an online tuner (metagradient, pbt), by `kind`' });

const objectiveSchema = z
	.union([
		z
			.object({ bandit: z.record(z.string(), z.unknown()).meta({ id: 'bandit_settings' }) })
			.strict()
			.meta({ title: 'bandit objective', description: 'the built-in A2C-LSTM agent on a bandit task; its settings are checked when the study opens' }),
		z
			.object({
				module: z.string().min(1).describe('path of a JavaScript module, relative to the study file, whose export is the objective function'),
				export: z.string().min(1).optional().describe('the export to call (default: the default export)'),
			})
			.strict()
			.meta({ title: 'module objective', description: 'a function of yours: `(params, context) => number | {value, ...fields}`' }),
		z
			.object({
				command: z
					.array(z.string())
					.describe(
						'program and arguments, no shell; `{name}` is replaced by param `name`, `{seed}` by the lifetime seed, `{trial}` by the trial number; a conditional param (`when`) needs a default, used while it is inactive: `{name:default}`',
					),
				cwd: z.string().min(1).optional().describe("the program's working folder, relative to the study file"),
				env: z.record(z.string(), z.string()).optional().describe("environment variables added to metatune's"),
				timeout: z.number().positive().optional().describe('seconds a lifetime may run'),
				grace: z.number().nonnegative().optional().describe('seconds between SIGTERM and SIGKILL when a lifetime is stopped (default 5)'),
				stdout: z
					.enum(commandStdoutModes)
					.optional()
					.describe(
						'what stdout lines are: strict (default): every line is a protocol line, anything else fails the lifetime; lenient: a line that is not a protocol line (a stray print, JSON without "value") is ignored; prefixed: lines beginning `metatune:` are protocol lines (`metatune: {"value": 18.2}`), every other line is ignored. Ignored lines are counted and shown with the stderr tail when a lifetime fails',
					),
			})
			.strict()
			.meta({
				title: 'command objective',
				description: 'a program run per lifetime (any language) that prints JSON lines on stdout: `{"step": 1000, "value": 12.3}` as it goes, `{"value": 18.2, "fields": {...}}` last',
			}),
	])
	.meta({ id: 'objective', description: 'what a lifetime runs: one of bandit, module or command' });

export const studyFileSchema = z
	.object({
		name: z
			.string()
			.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, . _ - (it names the folder under results/)')
			.max(100)
			.describe('names the study and its folder under results/'),
		description: z.string().optional().describe('one line shown in reports'),
		objective: objectiveSchema.optional().describe('what a lifetime runs; optional only for library use, where `runStudy(study, {objective})` (or ask/tell) supplies it'),
		metric: z.string().min(1).optional().describe('the result field compared: bandit `lifetime_return` (default) or `final_return`; module and command: a returned field (default `value`)'),
		direction: z.enum(['maximize', 'minimize']).default('maximize').describe('whether a higher or a lower metric is better'),
		metrics: metricsSchema.optional(),
		constraints: constraintsSchema.optional(),
		reference_point: referencePointSchema.optional(),
		space: spaceSchema,
		searcher: armSchema.optional().describe('the one arm of the study (or give `searchers`)'),
		searchers: z.array(armSchema).min(1).optional().describe('the arms compared, all run on the same lifetime seeds (or give `searcher`)'),
		budget: z.number().int().positive().describe('lifetimes per arm (an arm may give its own)'),
		repeats: z.number().int().positive().default(1).describe('lifetimes per configuration, on different seeds'),
		concurrency: z.number().int().positive().optional().describe('lifetimes at once in one process (default: the number of cores)'),
		trial_timeout: z.number().positive().optional().describe('seconds a lifetime may run before it fails'),
		retries: z.number().int().nonnegative().default(0).describe('re-runs of a failed lifetime'),
		reevaluate: z.number().int().nonnegative().default(0).describe("fresh-seed lifetimes of each arm's chosen configuration, for the table"),
		seed: z.number().int().nonnegative().default(0).describe('base of the lifetime seeds'),
		pruner: prunerSchema.optional().describe('stops unpromising lifetimes early, for every searcher arm without its own `pruner`'),
	})
	.strict()
	.meta({
		title: 'metatune study file',
		description: 'A metatune study: an objective, a search space, one or more arms (searchers or online tuners) and a budget.',
		// for the JSON Schema: exactly one of searcher and searchers (parseStudyDocument checks it)
		oneOf: [{ required: ['searcher'] }, { required: ['searchers'] }],
	});

/** A study document as users write it (the schema's input type): for typed study specs in TypeScript. */
export type StudyFile = z.input<typeof studyFileSchema>;
