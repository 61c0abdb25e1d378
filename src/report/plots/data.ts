/**
 * What the figures read from replayed studies: one record per complete lifetime (latest attempt of
 * each slot), with the logged fields picked out by name.
 *
 * Notation
 *   method       legend label of an arm: `arm`, or `study/arm` when the report shows several studies
 *   lifetime     a complete trial: params, value (the study's metric), logged fields, completion time
 *   order        lifetimes of one arm sorted by completion time (ties: trial number): the order in
 *                which the study learned their results, which is what "best so far" follows
 *   discount     the param the "reward against discount" figures use: `gamma` when searched, else
 *                the only searched numeric param; meta-gradient lifetimes are placed at the
 *                discount they ended with (`final_gamma`), not at their starting gamma0
 */
import type { SearcherKind } from '../../../searchers/searcher.js';
import type { LoggedValue } from '../../objectives/objective.js';
import { dimensions, type Dimension, type Params } from '../../core/space.js';
import type { TrialPurpose } from '../../study/journal/journal.js';
import type { TrialState } from '../../study/journal/state.js';
import type { StoredStudy } from '../../study/journal/stored.js';

export interface Lifetime {
	readonly study: string;
	readonly arm: string;
	readonly method: string;
	readonly searcher: SearcherKind;
	readonly purpose: TrialPurpose;
	readonly trial: number;
	readonly slot: number;
	readonly seed: number;
	readonly params: Params;
	readonly value: number;
	readonly fields: Readonly<Record<string, LoggedValue>>;
	readonly at: string;
}

export interface ReportInput {
	readonly studies: readonly StoredStudy[];
}

/** Legend label of an arm. */
export function methodLabel(input: ReportInput, study: string, arm: string): string {
	return input.studies.length > 1 ? `${study}/${arm}` : arm;
}

/** Every method of the report, in study then arm order. */
export function methods(input: ReportInput): string[] {
	return input.studies.flatMap((s) => s.spec.arms.map((a) => methodLabel(input, s.spec.name, a.name)));
}

/** Complete lifetimes (latest attempts only) of one study, ordered by completion time. */
export function studyLifetimes(input: ReportInput, stored: StoredStudy): Lifetime[] {
	const out: Lifetime[] = [];
	for (const arm of stored.spec.arms) {
		for (const purpose of ['search', 'reevaluate'] as const) {
			for (const t of stored.state.latest(arm.name, purpose).values()) {
				const c = (t as TrialState).complete;
				if (c === undefined || !Number.isFinite(c.value)) continue;
				out.push({
					study: stored.spec.name,
					arm: arm.name,
					method: methodLabel(input, stored.spec.name, arm.name),
					searcher: arm.config.kind,
					purpose,
					trial: t.asked.trial,
					slot: t.asked.slot,
					seed: t.asked.seed,
					params: t.asked.params,
					value: c.value,
					fields: c.fields,
					at: c.at,
				});
			}
		}
	}
	return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.trial - b.trial));
}

export function allLifetimes(input: ReportInput): Lifetime[] {
	return input.studies.flatMap((s) => studyLifetimes(input, s));
}

/** A finite number field, else undefined. */
export function numField(fields: Readonly<Record<string, LoggedValue>>, name: string): number | undefined {
	const v = fields[name];
	return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A field holding finite numbers only, else undefined. */
export function numArrayField(fields: Readonly<Record<string, LoggedValue>>, name: string): number[] | undefined {
	const v = fields[name];
	if (!Array.isArray(v) || v.length === 0) return undefined;
	return v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (v as number[]) : undefined;
}

/** `gamma_trajectory: [update, gamma][]` of a meta-gradient lifetime, else undefined. */
export function trajectoryField(fields: Readonly<Record<string, LoggedValue>>): { update: number; gamma: number }[] | undefined {
	const v = fields.gamma_trajectory;
	if (!Array.isArray(v) || v.length === 0) return undefined;
	const out: { update: number; gamma: number }[] = [];
	for (const p of v) {
		if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return undefined;
		out.push({ update: p[0], gamma: p[1] });
	}
	return out;
}

/** The searched dimension shown as "the discount" of a study, if any (see Notation). */
export function discountDim(stored: StoredStudy): Dimension | undefined {
	const dims = dimensions(stored.spec.space).filter((d) => d.param.type !== 'categorical');
	return dims.find((d) => d.name === 'gamma') ?? (dims.length === 1 ? dims[0] : undefined);
}

/** Where a lifetime sits on the discount axis: final_gamma for meta-gradient lifetimes, else its param. */
export function discountOf(l: Lifetime, dim: string): number | undefined {
	if (l.searcher === 'metagradient' && dim === 'gamma') return numField(l.fields, 'final_gamma');
	const v = l.params[dim];
	return typeof v === 'number' ? v : undefined;
}

/** Axis title of the study metric. */
export function metricTitle(stored: StoredStudy): string {
	switch (stored.spec.metric) {
		case 'lifetime_return':
			return 'Lifetime return (per episode)';
		case 'final_return':
			return 'Final return (eval., per episode)';
		default:
			return stored.spec.metric;
	}
}

/** Title for a param axis: the discount gets its symbol. */
export function paramTitle(name: string): string {
	return name === 'gamma' ? 'Discount γ' : name;
}
