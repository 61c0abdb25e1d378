/**
 * The docs' table of the bandit objective's settings (docs/objectives.md) (`objective: {bandit: {...}}`), generated
 * from the schema the validation uses (settings.ts `banditObjectiveSchema`, whose agent settings are
 * learner/agent-config.ts `agentConfigSchema`): name, type and range read from the zod schema, default from
 * parsing an empty document, and what each does from `settingDocs` below. A test keeps the docs'
 * table equal to `banditSettingsTable()` and `settingDocs` keyed by exactly the schema's settings.
 */
import type { z } from 'zod';
import { agentConfigSchema } from './learner/agent-config.js';
import { banditObjectiveSchema } from './settings.js';

/** What each setting does (every key of the schema, no other). */
export const settingDocs: Readonly<Record<string, string>> = {
	task: 'the bandit family a new bandit is drawn from every episode (see docs/bandit-agent.md)',
	horizon: "pulls per episode (default: the task's, 100 two-armed, 5 eleven-armed)",
	fixed: 'keep one bandit for the whole lifetime instead of a new one every episode (the non-meta setting)',
	hidden: 'LSTM units',
	gamma: 'discount of the returns the agent learns from (the signature studies search it)',
	lr: "the optimiser's learning rate",
	optimizer: 'inner optimiser',
	value_coef: 'weight of the value loss in the A2C loss',
	entropy: 'entropy bonus: a constant, or `{start, end, anneal_episodes}` annealed linearly',
	grad_clip: 'global gradient-norm clip (0: off)',
	batch: 'episodes (bandits) per update',
	extra_inputs: 'extra scalar inputs per step (1 feeds the discount, as meta-gradient lifetimes do)',
	reward_scale: 'rewards are multiplied by this for learning and as inputs (reported returns are not)',
	reward_input_scale: 'multiplies the previous reward in the network input only',
	reward_encoding: 'features of the previous reward fed to the LSTM: `{kind: scalar}` or `{kind: rbf, features, low, high}`',
	frozen: 'parameter tensors excluded from updates',
	train_episodes: 'training episodes of one lifetime (rounded up to whole batches)',
	eval_episodes: 'episodes of the trained agent, learning frozen, for final_return',
	backend: 'TensorFlow.js backend (auto: node if installed, else wasm, else cpu)',
	greedy_eval: 'evaluate with the most probable arm instead of sampling',
	curve_points: 'points of the learning curve kept in each lifetime record',
};

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
