/**
 * Pareto fronts of a study with several metrics (issue 26): per arm the size of its front, its
 * hypervolume with the reference point stated, and (`compare --front`) the front's members.
 *
 * Notation
 *   front      an arm's feasible configurations that ran to their end and that no other such
 *              configuration dominates on its search means (objectives.ts `frontOf`); the scheduler
 *              re-evaluates each of them `reevaluate` times, on re-evaluation seeds s_0..s_{R-1}
 *              shared by every member
 *   r          the reference point: `reference_point` as written, else per metric the worst value
 *              among every arm's feasible complete search lifetimes plus 10% of the range they span
 *              (so the arms of one study share it, and the front's extreme points add volume)
 *   HV_i       the hypervolume of the members' feasible re-evaluations on seed s_i (a member whose
 *              lifetime on s_i failed or was infeasible adds nothing to HV_i)
 *   interval   mean and 95% CI of HV_0..HV_{R-1}: over the lifetimes' seeds, the noise a user meets
 *              when deploying the front (study seeds would also cover the searcher's own randomness,
 *              but one study has one). Without re-evaluations: the HV of the search means, n = 1,
 *              marked "not re-evaluated" (optimistic: the front is the luckiest noise of the search)
 */
import { hypervolume } from '../core/pareto.js';
import { type Params, paramsText } from '../core/space.js';
import { meanCi, type MeanCi } from '../core/stats.js';
import { textTable } from '../core/format.js';
import { armSearch, armRole, frontOf, isMultiObjective, lifetimeValues, lifetimeViolation, type MetricSpec, type StoredStudy, type TrialState } from '../study/view.js';

interface FrontMember {
	readonly params: Params;
	/** the configuration's search means, one per metric */
	readonly search: readonly number[];
	/** per metric, over its feasible re-evaluations (empty without re-evaluations) */
	readonly reevaluated: readonly MeanCi[];
	/** re-evaluations that missed a constraint */
	readonly infeasible_reevaluations: number;
}

export interface ArmFront {
	readonly study: string;
	readonly arm: string;
	readonly metrics: readonly MetricSpec[];
	readonly reference: readonly number[];
	readonly reference_basis: 'written' | 'worst feasible value seen + 10% of the range';
	readonly size: number;
	readonly hypervolume: MeanCi | undefined;
	readonly hypervolume_basis: 're-evaluation seeds' | 'search means (not re-evaluated)';
	/** configurations of the arm that ran to their end but missed a constraint */
	readonly infeasible: number;
	readonly members: readonly FrontMember[];
}

const complete = (t: TrialState) => t.complete !== undefined;

/** How far past the worst feasible value the default reference point lies, as a share of the range seen (so the front's extreme points count). */
const referenceMargin = 0.1;

/** The reference point of the study's hypervolumes (see the notation), or undefined when no lifetime is feasible. */
function referencePoint(stored: StoredStudy): { point: number[]; basis: ArmFront['reference_basis'] } | undefined {
	const { spec, state } = stored;
	if (spec.reference_point !== undefined) return { point: [...spec.reference_point], basis: 'written' };
	const metrics = spec.metrics ?? [];
	// in loss form (smaller is better): the largest and smallest loss per metric
	const loss = (k: number, v: number) => (metrics[k]?.direction === 'minimize' ? v : -v);
	let worst: number[] | undefined;
	let best: number[] | undefined;
	for (const arm of spec.arms) {
		for (const t of state.latest(arm.name, 'search').values()) {
			if (t.complete === undefined || t.complete.pruned_at !== undefined || lifetimeViolation(spec, t.complete) > 0) continue;
			const y = lifetimeValues(spec, t.complete).map((v, k) => loss(k, v));
			worst = (worst ?? y).map((w, k) => Math.max(w, y[k] as number));
			best = (best ?? y).map((b, k) => Math.min(b, y[k] as number));
		}
	}
	if (worst === undefined || best === undefined) return undefined;
	const lo = best;
	return { point: worst.map((w, k) => loss(k, w + referenceMargin * (w - (lo[k] as number)))), basis: 'worst feasible value seen + 10% of the range' };
}

/** The front of every searcher arm of a study with several metrics (none for a single-metric study). */
export function armFronts(stored: StoredStudy): ArmFront[] {
	const { spec, state } = stored;
	if (!isMultiObjective(spec) || spec.metrics === undefined) return [];
	const metrics = spec.metrics;
	const directions = metrics.map((m) => m.direction);
	const reference = referencePoint(stored);
	const R = spec.reevaluate;
	return spec.arms
		.filter((arm) => armRole(arm).role === 'search')
		.map((arm) => {
			const { trials } = armSearch(stored, arm.name);
			const front = frontOf(spec, trials);
			const reevals = [...state.latest(arm.name, 'reevaluate').values()].filter(complete);
			const bySeed: number[][][] = Array.from({ length: R }, () => []);
			const members = front.map((f, i): FrontMember => {
				const own = reevals.filter((t) => R > 0 && Math.floor(t.asked.slot / R) === i);
				const feasible = own.filter((t) => lifetimeViolation(spec, t.complete as NonNullable<TrialState['complete']>) === 0);
				for (const t of feasible) bySeed[t.asked.slot % R]?.push(lifetimeValues(spec, t.complete as NonNullable<TrialState['complete']>));
				const values = feasible.map((t) => lifetimeValues(spec, t.complete as NonNullable<TrialState['complete']>));
				return {
					params: f.params,
					search: f.values ?? [],
					reevaluated: values.length === 0 ? [] : metrics.map((_, k) => meanCi(values.map((y) => y[k] as number)) as MeanCi),
					infeasible_reevaluations: own.length - feasible.length,
				};
			});
			const reevaluated = reevals.length > 0;
			const hv =
				reference === undefined || front.length === 0
					? undefined
					: reevaluated
						? meanCi(bySeed.filter((ys) => ys.length > 0).map((ys) => hypervolume(ys, reference.point, directions)))
						: meanCi([
								hypervolume(
									front.map((f) => f.values ?? []),
									reference.point,
									directions,
								),
							]);
			return {
				study: spec.name,
				arm: arm.name,
				metrics,
				reference: reference?.point ?? [],
				reference_basis: reference?.basis ?? 'worst feasible value seen + 10% of the range',
				size: front.length,
				hypervolume: hv,
				hypervolume_basis: reevaluated ? 're-evaluation seeds' : 'search means (not re-evaluated)',
				infeasible: trials.filter((t) => t.status === 'complete' && t.pruned !== true && (t.violation ?? 0) > 0).length,
				members,
			};
		});
}

const num = (x: number, digits = 4) => String(Number(x.toPrecision(digits)));

/** A mean with its 95% CI, or the value alone when n = 1. */
export function intervalText(ci: MeanCi | undefined): string {
	if (ci === undefined) return '-';
	return ci.n === 1 ? `${num(ci.mean)} n=1` : `${num(ci.mean)} [${num(ci.low)}, ${num(ci.high)}] n=${ci.n}`;
}

/** The line stating a study's reference point. */
export function referenceNote(f: ArmFront): string {
	const point = f.reference.length === 0 ? 'none (no feasible lifetime)' : f.metrics.map((m, k) => `${m.name}=${num(f.reference[k] as number, 6)}`).join(', ');
	return `${f.study}: hypervolume of ${f.metrics.map((m) => `${m.name} (${m.direction})`).join(' x ')} against the reference point ${point} (${f.reference_basis}); interval over ${f.hypervolume_basis}`;
}

/** `compare --front`: each arm's front, a row per member (its params, search means and re-evaluated values). */
export function formatFronts(fronts: readonly ArmFront[], multiStudy: boolean): string {
	if (fronts.length === 0) return 'no study with several metrics (metrics:) among these; --front lists Pareto fronts';
	const blocks = fronts.map((f) => {
		const name = multiStudy ? `${f.study}/${f.arm}` : f.arm;
		const header = ['Params', ...f.metrics.map((m) => `${m.name} (search)`), ...f.metrics.map((m) => `${m.name} (re-evaluated)`)];
		const rows = f.members.map((m) => [
			paramsText(m.params),
			...m.search.map((v) => num(v)),
			...f.metrics.map((_, k) => `${intervalText(m.reevaluated[k])}${m.infeasible_reevaluations > 0 && k === 0 ? ` (${m.infeasible_reevaluations} infeasible)` : ''}`),
		]);
		const title = `${name}: ${f.size} on the front, hypervolume ${intervalText(f.hypervolume)}${f.infeasible > 0 ? `; ${f.infeasible} infeasible configuration${f.infeasible === 1 ? '' : 's'} left out` : ''}`;
		return [title, textTable(header, rows, ['left'])].join('\n');
	});
	return [...blocks, ...new Set(fronts.map(referenceNote))].join('\n\n');
}
