/**
 * Study specs: a study document (of unknown shape, or typed in TypeScript) validated against the
 * study file's schema (schema.ts) and normalised into the `StudySpec` the runner uses, its arms and
 * what each arm gets (role, budget, re-evaluations, pruner). Every problem becomes one `InputError`
 * line naming the file, the field path and the fix:
 *
 *   studies/x.yaml: space.gamma.low: must be below high (0.99 >= 0.9)
 *
 * Checks that need more than one field (an arm against the space, budget a multiple of repeats,
 * metrics against the objective) run here after the schema; reference.ts `loadChecks` lists them.
 */
import type { SearcherConfig } from '../../../searchers/config.js';
import type { Direction } from '../../../searchers/searcher.js';
import { InputError } from '../../core/errors.js';
import { formatIssue, type IssueLike } from '../../core/issues.js';
import type { Param, Params, ParamValue, Space } from '../../core/space.js';
import type { ObjectiveSpec } from '../../objectives/objective.js';
import { isTunerConfig, type PbtConfig, type TunerConfig } from '../../tuners/config.js';
import { createTuner } from '../../tuners/index.js';
import { checkConditions, normaliseSpace } from './conditions.js';
import { checkObjectives, type ConstraintSpec, type MetricSpec } from './objectives.js';
import { populationArmProblem } from './population.js';
import type { PrunerConfig } from './pruner.js';
import { type StudyFile, studyFileSchema } from './schema.js';
import { checkTunerArm } from './tuner-arm.js';

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
