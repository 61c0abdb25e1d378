/**
 * Study files: the zod schema, the loader (YAML or JSON) and the normalised `StudySpec` the runner
 * uses. Every problem becomes one `InputError` line naming the file, the field path and the fix:
 *
 *   studies/x.yaml: space.gamma.low: must be below high (0.99 >= 0.9)
 *
 * File shape (snake_case as written by users):
 *   name          letters, digits, . _ - (it names the results folder, so it cannot escape it)
 *   objective     {bandit: {...settings}} | {module: ./file.js, export?: name} |
 *                 {command: [program, ...args], cwd?, env?, timeout?, grace?, stdout?} (objectives/command.ts);
 *                 absent: the library caller gives a function (runStudy(study, {objective}), ask/tell)
 *   metric        bandit: lifetime_return | final_return; module: a returned field (default value)
 *   direction     maximize | minimize (default maximize)
 *   metrics       [{name, direction}, ...] (>= 2) instead of metric/direction: a Pareto front per arm;
 *   constraints   [{field, max?, min?}] on logged fields; reference_point: the hypervolume's (objectives.ts)
 *   space         name -> {type: float|int|categorical|fixed, ...} (src/space.ts)
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
 * (reference.ts); checks zod runs in code (superRefine, `parseStudyDocument`) are listed in
 * `loadChecks` so the reference can name them.
 */
import { z } from 'zod';
import { gpConfigSchema, gridConfigSchema, randomConfigSchema, type SearcherConfig, tpeConfigSchema } from '../../../searchers/config.js';
import type { Direction } from '../../../searchers/searcher.js';
import { InputError } from '../../core/errors.js';
import type { Param, Params, ParamValue, Space } from '../../core/space.js';
import { formatIssue, type IssueLike } from '../../core/issues.js';
import { commandStdoutModes, type ObjectiveSpec } from '../../objectives/objective.js';
import { isTunerConfig, metagradientConfigSchema, type PbtConfig, pbtConfigSchema, type TunerConfig } from '../../tuners/config.js';
import { populationArmProblem } from './population.js';
import { createTuner } from '../../tuners/index.js';
import { checkConditions, normaliseSpace, whenSchema } from './conditions.js';
import { type PrunerConfig, prunerSchema } from './pruner.js';
import { checkObjectives, type ConstraintSpec, constraintsSchema, type MetricSpec, metricsSchema, referencePointSchema } from './objectives.js';
import type { OnlineTuner } from '../../tuners/tuner.js';

const value = z.union([z.number(), z.string(), z.boolean()]);
const logScale = z.boolean().optional().describe('search the range on a log scale (low must be > 0)');

const floatSchema = z
	.object({
		type: z.literal('float'),
		low: z.number().describe('lowest value (inclusive)'),
		high: z.number().describe('highest value (inclusive)'),
		log: logScale,
		when: whenSchema,
	})
	.strict()
	.superRefine((p, ctx) => {
		if (p.low > p.high) ctx.addIssue({ code: 'custom', path: ['low'], message: `must be below high (${p.low} >= ${p.high}); swap the bounds` });
		if (p.log && p.low <= 0) ctx.addIssue({ code: 'custom', path: ['low'], message: `must be > 0 for a log-scaled param (got ${p.low}); raise low or drop log` });
	})
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
	.superRefine((p, ctx) => {
		if (p.low > p.high) ctx.addIssue({ code: 'custom', path: ['low'], message: `must be below high (${p.low} >= ${p.high}); swap the bounds` });
		if (p.log && p.low <= 0) ctx.addIssue({ code: 'custom', path: ['low'], message: `must be > 0 for a log-scaled param (got ${p.low}); raise low or drop log` });
	})
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

/** The value of one param of a study document's space: float, int -> number; categorical -> one of its choices; fixed -> its value. */
type ParamValueOf<P> = P extends { readonly type: 'float' | 'int' }
	? number
	: P extends { readonly type: 'categorical'; readonly choices: readonly (infer C)[] }
		? C
		: P extends { readonly type: 'fixed'; readonly value: infer V }
			? V
			: ParamValue;

/**
 * The params a study's lifetimes get, typed from its space: `ParamsOf<{gamma: {type: 'float', ...}}>`
 * is `{readonly gamma: number}`; a param with `when` is optional (absent while inactive).
 */
export type ParamsOf<S> = { readonly [K in keyof S as S[K] extends { readonly when: object } ? never : K]: ParamValueOf<S[K]> } & {
	readonly [K in keyof S as S[K] extends { readonly when: object } ? K : never]?: ParamValueOf<S[K]>;
};

/** A param as written in a document: a condition's value may be one value or a list (`Space` holds lists). */
type WrittenParam<P> = P extends Param ? Omit<P, 'when'> & { readonly when?: Readonly<Record<string, ParamValue | readonly ParamValue[]>> } : never;
type WrittenSpace = Readonly<Record<string, WrittenParam<Param>>>;

/** Carries a spec's params type (compile time only; never present at run time). */
declare const paramsType: unique symbol;

/** An arm's settings: a searcher's or an online tuner's (told apart by `kind`, see `armRole`). */
type ArmConfig = SearcherConfig | TunerConfig;

export interface Arm {
	readonly name: string;
	readonly config: ArmConfig;
	/** overrides the study's budget for this arm */
	readonly budget?: number;
	/** this arm's pruner (searcher arms only; overrides the study's) */
	readonly pruner?: PrunerConfig;
}

/** What an arm is: a searcher (proposes configurations from finished lifetimes) or an online tuner. */
export type ArmRole = { readonly role: 'search'; readonly config: SearcherConfig } | { readonly role: 'tune'; readonly config: TunerConfig };

export function armRole(arm: Arm): ArmRole {
	return isTunerConfig(arm.config) ? { role: 'tune', config: arm.config } : { role: 'search', config: arm.config };
}

/** Search lifetimes of an arm. */
export function armBudget(spec: StudySpec, arm: Arm): number {
	return arm.budget ?? spec.budget;
}

/**
 * Re-evaluation lifetimes of an arm: `reevaluate` for searcher arms and for tuner arms whose chosen
 * settings run as a fixed configuration (pbt); none for the others (metagradient: every lifetime is
 * a full tuning run and the table averages all of them).
 */
export function armReevaluations(spec: StudySpec, arm: Arm): number {
	const role = armRole(arm);
	return role.role === 'tune' && !createTuner(role.config).reevaluate ? 0 : spec.reevaluate;
}

export type { ObjectiveSpec };

/** A validated, normalised study (plain JSON: it is stored in the journal); `P`: its params' type (`ParamsOf` its space). */
export interface StudySpec<P = Params> {
	readonly [paramsType]?: P;
	readonly name: string;
	readonly description?: string;
	readonly objective: ObjectiveSpec;
	/** the first of `metrics` when there are several */
	readonly metric: string;
	readonly direction: Direction;
	/** several metrics (m >= 2; objectives.ts); absent in a single-metric study (its hash is unchanged) */
	readonly metrics?: readonly MetricSpec[];
	readonly constraints?: readonly ConstraintSpec[];
	/** the hypervolume's reference point, one value per metric (absent: the worst feasible value seen plus 10% of the range: report/fronts.ts) */
	readonly reference_point?: readonly number[];
	readonly space: Space;
	readonly arms: readonly Arm[];
	readonly budget: number;
	readonly repeats: number;
	readonly concurrency?: number;
	/** seconds */
	readonly trial_timeout?: number;
	readonly retries: number;
	readonly reevaluate: number;
	readonly seed: number;
	/** the pruner of every searcher arm without its own */
	readonly pruner?: PrunerConfig;
}

/** The pruner that judges an arm's search lifetimes, if any (tuner arms: none). */
export function armPruner(spec: StudySpec, arm: Arm): PrunerConfig | undefined {
	return armRole(arm).role === 'search' ? (arm.pruner ?? spec.pruner) : undefined;
}

const banditMetrics = ['lifetime_return', 'final_return'] as const;
/** The numeric fields every bandit lifetime logs (objectives/bandit/objective.ts): what `metrics` and `constraints` may name. */
const banditNumericFields = [
	'lifetime_return',
	'final_return',
	'final_return_std',
	'final_regret',
	'cumulative_reward',
	'train_episodes',
	'env_steps',
	'agent_ms',
	'steps_per_second',
	'updates',
	'param_count',
] as const;

/**
 * Validate a study document written in TypeScript: a typo or a wrong type in it is a compile error
 * (the document is checked against `StudyFile`, the schema's input type), and the spec carries its
 * params' type, so `Study.open(spec)` asks for and `runStudy` evaluates `ParamsOf` its space
 * (`params.gamma` is a number). `objective` may be left out when the caller gives a function to
 * `runStudy` (or evaluates ask/tell by hand). Documents of unknown shape (read from a file):
 * `parseStudyDocument`. Throws InputError as `run` does.
 */
export function parseStudySpec<const S extends WrittenSpace>(raw: Omit<StudyFile, 'space'> & { readonly space: S }, file = '<study>'): StudySpec<ParamsOf<S>> {
	return parseStudyDocument(raw, file) as StudySpec<ParamsOf<S>>;
}

/** The arm as written in the document: `searchers[i]`, or `searcher` when `i` is undefined. */
function writtenArm(raw: object, i: number | undefined): Record<string, unknown> | undefined {
	const doc = raw as { readonly searchers?: unknown; readonly searcher?: unknown };
	const arm = i === undefined ? doc.searcher : Array.isArray(doc.searchers) ? doc.searchers[i] : undefined;
	return arm !== null && typeof arm === 'object' ? (arm as Record<string, unknown>) : undefined;
}

/** Validate a parsed study document of unknown shape. `file` names it in errors. Pure: does not touch the objective. */
export function parseStudyDocument(raw: unknown, file = '<study>'): StudySpec {
	if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
		const got = Array.isArray(raw) ? 'a list' : raw === null ? 'null' : `a ${typeof raw}`;
		throw new InputError(
			`${file}: the study is ${got}; it must be a mapping of fields (name:, objective:, space:, searchers:, budget:), e.g. \`name: my-study\` on its own line, not \`- name: my-study\``,
			file,
		);
	}
	const parsed = studyFileSchema.safeParse(raw);
	if (!parsed.success) {
		const issue = parsed.error.issues[0] as IssueLike;
		throw new InputError(`${file}: ${formatIssue(issue, raw)}`, file, issue.path.map(String).join('.'));
	}
	const s = parsed.data;
	const fail = (field: string, message: string): never => {
		throw new InputError(`${file}: ${field}: ${message}`, file, field);
	};
	const space = normaliseSpace(s.space);
	checkConditions(space, fail);
	if (s.searcher !== undefined && s.searchers !== undefined) fail('searchers', 'give either searcher (one) or searchers (a list), not both');
	const rawArms = s.searchers ?? (s.searcher === undefined ? [] : [s.searcher]);
	if (rawArms.length === 0) fail('searcher', 'missing; add e.g. searcher: {kind: random, seed: 0}');
	const arms: Arm[] = [];
	const used = new Set<string>();
	rawArms.forEach((arm, i) => {
		const { name, budget, pruner, ...config } = arm;
		const field = s.searchers === undefined ? 'searcher' : `searchers.${i}`;
		// the parsed arm keeps seed 0 (committed journals hash it); a seed written in the file would be ignored, so it is refused
		if (config.kind === 'metagradient' && writtenArm(raw, s.searchers === undefined ? undefined : i)?.seed !== undefined)
			fail(`${field}.seed`, 'the meta-gradient makes no random draws of its own (its lifetimes are fixed by their lifetime seeds); remove seed');
		if (config.kind === 'pbt' && s.objective !== undefined && !('bandit' in s.objective)) {
			const problem = populationArmProblem(config as PbtConfig, { budget, pruner }, s.space as Space);
			if (problem !== undefined) fail(`${field}.${problem.field}`, problem.message);
		}
		if (pruner !== undefined && isTunerConfig(config as ArmConfig))
			fail(`${field}.pruner`, `a ${config.kind} arm tunes inside each lifetime and is not pruned; give pruners to grid, random or gp arms`);
		if (budget !== undefined && budget % s.repeats !== 0) fail(`searchers.${i}.budget`, `must be a multiple of repeats (${budget} lifetimes, ${s.repeats} per configuration)`);
		let armName = name ?? config.kind;
		if (name !== undefined && used.has(name)) fail(`searchers.${i}.name`, `"${name}" is used twice; give each arm its own name`);
		for (let k = 2; used.has(armName); k++) armName = `${name ?? config.kind}-${k}`;
		used.add(armName);
		arms.push({ name: armName, config: config as SearcherConfig, ...(budget === undefined ? {} : { budget }), ...(pruner === undefined ? {} : { pruner }) });
	});
	arms.forEach((arm, i) => {
		const role = armRole(arm);
		// a pbt arm on any other objective than the bandit's: members are lifetimes that checkpoint (checked above)
		if (role.role === 'tune' && !(role.config.kind === 'pbt' && s.objective !== undefined && !('bandit' in s.objective)))
			checkTunerArm(
				createTuner(role.config),
				arm.name,
				s.searchers === undefined ? 'searcher' : `searchers.${i}`,
				s.objective === undefined ? 'function' : 'bandit' in s.objective ? 'bandit' : 'module' in s.objective ? 'module' : 'command',
				space,
				fail,
			);
	});
	if (s.budget % s.repeats !== 0) fail('budget', `must be a multiple of repeats (${s.budget} lifetimes, ${s.repeats} per configuration)`);
	if (!Object.values(s.space).some((p) => p.type !== 'fixed')) fail('space', 'has only fixed params; make at least one float, int or categorical');
	const written = raw as { readonly metric?: unknown; readonly direction?: unknown };
	checkObjectives(written, s, s.objective !== undefined && 'bandit' in s.objective ? banditNumericFields : undefined, fail);
	const firstMetric = s.metrics?.[0];
	let objective: ObjectiveSpec;
	let metric: string;
	if (s.objective === undefined) {
		objective = { kind: 'function' };
		metric = firstMetric?.name ?? s.metric ?? 'value';
	} else if ('bandit' in s.objective) {
		objective = { kind: 'bandit', settings: s.objective.bandit };
		metric = firstMetric?.name ?? s.metric ?? 'lifetime_return';
		if (firstMetric === undefined && !(banditMetrics as readonly string[]).includes(metric)) fail('metric', `must be one of ${banditMetrics.join(', ')} for the bandit objective (got "${metric}")`);
	} else if ('module' in s.objective) {
		objective = s.objective.export === undefined ? { kind: 'module', module: s.objective.module } : { kind: 'module', module: s.objective.module, export: s.objective.export };
		metric = firstMetric?.name ?? s.metric ?? 'value';
	} else {
		const { command, cwd, env, timeout, grace, stdout } = s.objective;
		objective = {
			kind: 'command',
			command,
			...(cwd === undefined ? {} : { cwd }),
			...(env === undefined ? {} : { env }),
			...(timeout === undefined ? {} : { timeout }),
			...(grace === undefined ? {} : { grace }),
			...(stdout === undefined ? {} : { stdout }),
		};
		metric = firstMetric?.name ?? s.metric ?? 'value';
	}
	return {
		name: s.name,
		...(s.description === undefined ? {} : { description: s.description }),
		objective,
		metric,
		direction: firstMetric?.direction ?? s.direction,
		...(s.metrics === undefined ? {} : { metrics: s.metrics }),
		...(s.constraints === undefined ? {} : { constraints: s.constraints }),
		...(s.reference_point === undefined ? {} : { reference_point: s.reference_point }),
		space,
		arms,
		budget: s.budget,
		repeats: s.repeats,
		...(s.concurrency === undefined ? {} : { concurrency: s.concurrency }),
		...(s.trial_timeout === undefined ? {} : { trial_timeout: s.trial_timeout }),
		retries: s.retries,
		reevaluate: s.reevaluate,
		seed: s.seed,
		...(s.pruner === undefined ? {} : { pruner: s.pruner }),
	};
}

/**
 * A tuner arm needs its objective kind and a space it can tune: the space is shared by all arms, so
 * every param it does not tune must be fixed.
 */
function checkTunerArm(tuner: OnlineTuner, arm: string, field: string, objective: string, space: Space, fail: (field: string, message: string) => never): void {
	if (tuner.objective !== objective) fail(`${field}.kind`, `${tuner.kind} tunes the ${tuner.objective} objective inside its lifetimes; it needs objective: {${tuner.objective}: ...}`);
	const tuned = tuner.tuned(space);
	for (const { name, example } of tuned) {
		if (space[name]?.type !== 'float') fail(`space.${name}`, `the ${tuner.kind} arm "${arm}" needs a float param named ${name} (the param it tunes), e.g. ${example}`);
	}
	const conditional = Object.keys(space).find((name) => space[name]?.when !== undefined);
	if (conditional !== undefined)
		fail(`space.${conditional}.when`, `the ${tuner.kind} arm "${arm}" tunes every param in every lifetime, so none can be conditional; drop when or run the ${tuner.kind} arm in its own study`);
	const problem = tuner.check(space);
	if (problem !== undefined) fail(problem.field, problem.message);
	const names = tuned.map((p) => p.name);
	for (const [name, param] of Object.entries(space)) {
		if (!names.includes(name) && param.type !== 'fixed')
			fail(
				`space.${name}`,
				`searched, but the ${tuner.kind} arm "${arm}" tunes only ${names.join(', ')} and the space is shared by all arms; fix it (${name}: {type: fixed, value: ...}) or run the ${tuner.kind} arm in its own study`,
			);
	}
}
