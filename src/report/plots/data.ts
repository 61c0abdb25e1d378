/**
 * What the figures read from replayed studies: one record per complete lifetime (latest attempt of
 * each slot), with the logged fields picked out by name.
 *
 * Notation
 *   method       legend label of an arm: `arm`, or `study/arm` when the report shows several studies
 *   lifetime     a complete trial: params, value (the study's metric), logged fields, completion time
 *   order        lifetimes of one arm sorted by completion time (ties: trial number): the order in
 *                which the study learned their results, which is what "best so far" follows
 *   axis param   the param the "reward against <param>" figures use: the searched param the objective
 *                labels (the bandit agent's discount gamma), else the only searched numeric param;
 *                a tuner arm's lifetimes are placed at the value they ended with (the tuner's
 *                outcome), not at their start
 */
import { dimensions, type Dimension, type Params } from '../../core/space.js';
import { axisTitle, metricAxisTitle, paramLabel } from '../../objectives/describe.js';
import type { LoggedValue } from '../../objectives/objective.js';
import { type ReportRecord, type StoredStudy, type TrialPurpose, type TrialState, type TunedOutcome, armRole, tunedOutcome } from '../../study/view.js';

export interface Lifetime {
	readonly study: string;
	readonly arm: string;
	readonly method: string;
	/** the arm's kind (grid, gp, metagradient, ...) and whether it searches or tunes online */
	readonly kind: string;
	readonly role: 'search' | 'tune';
	/** a tuner arm's lifetime: where its tuned params went */
	readonly tuned?: TunedOutcome;
	readonly purpose: TrialPurpose;
	readonly trial: number;
	readonly slot: number;
	readonly seed: number;
	readonly params: Params;
	readonly value: number;
	readonly fields: Readonly<Record<string, LoggedValue>>;
	readonly at: string;
	/** the pruner stopped it after this step: its value is partial */
	readonly pruned_at?: number;
	/** its intermediate reports, with the pruner's decisions */
	readonly reports?: readonly ReportRecord[];
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
		const role = armRole(arm).role;
		for (const purpose of ['search', 'reevaluate'] as const) {
			for (const t of stored.state.latest(arm.name, purpose).values()) {
				const c = (t as TrialState).complete;
				if (c === undefined || !Number.isFinite(c.value)) continue;
				const tuned = tunedOutcome(arm, t as TrialState);
				out.push({
					study: stored.spec.name,
					arm: arm.name,
					method: methodLabel(input, stored.spec.name, arm.name),
					kind: arm.config.kind,
					role,
					...(tuned === undefined ? {} : { tuned }),
					purpose,
					trial: t.asked.trial,
					slot: t.asked.slot,
					seed: t.asked.seed,
					params: t.asked.params,
					value: c.value,
					fields: c.fields,
					at: c.at,
					...(c.pruned_at === undefined ? {} : { pruned_at: c.pruned_at }),
					...(t.reports === undefined ? {} : { reports: t.reports }),
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

/** The searched dimension shown on the "reward against" axis of a study, if any (see Notation). */
export function axisDim(stored: StoredStudy): Dimension | undefined {
	const dims = dimensions(stored.spec.space).filter((d) => d.param.type !== 'categorical');
	return dims.find((d) => paramLabel(stored.spec.objective, d.name) !== undefined) ?? (dims.length === 1 ? dims[0] : undefined);
}

/** Where a lifetime sits on a param's axis: a tuner lifetime's final value, else its param. */
export function axisValue(l: Lifetime, dim: string): number | undefined {
	if (l.role === 'tune') return l.tuned?.final[dim];
	const v = l.params[dim];
	return typeof v === 'number' ? v : undefined;
}

/** Axis title of the study metric. */
export function metricTitle(stored: StoredStudy): string {
	return metricAxisTitle(stored.spec.objective, stored.spec.metric);
}

/** Title for a param axis: the objective's label and symbol ("Discount γ"), else the name. */
export function paramTitle(stored: StoredStudy, name: string): string {
	return axisTitle(stored.spec.objective, name);
}
