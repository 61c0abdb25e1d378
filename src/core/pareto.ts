/**
 * Pareto dominance, non-dominated sorting and the hypervolume, for studies with several metrics.
 *
 * Notation
 *   m            number of objectives; a point is y in R^m, one value per metric
 *   directions   minimize or maximize per objective; internally every objective is minimised
 *                (a maximised one is negated), so "a dominates b" means a_k <= b_k for every k and
 *                a_k < b_k for at least one
 *   rank         0 for the non-dominated points (the Pareto front), 1 for those dominated only by
 *                rank 0, ... (Deb et al. 2002's fast non-dominated sort, O(m n^2))
 *   r            the reference point, in the metrics' own units and directions: the hypervolume is
 *                the measure of the region dominated by the points and dominating r,
 *                HV = vol( union_i [y_i, r] ) (minimised form); points that do not dominate r
 *                add nothing
 *   HV algorithm m = 1: r - min y; m = 2: a sweep over the points sorted by the first objective;
 *                m >= 3: slices along the last objective (HSO, While et al. 2006), each slice the
 *                (m-1)-dimensional hypervolume of the points below it. Exact; cost grows as
 *                n^(m-1), fine for the fronts of a study (hundreds of points, m <= 4)
 *   contribution HV(points) - HV(points without i): the volume only point i dominates; 0 for a
 *                dominated point and for each copy of a repeated point
 */
import { InputError } from './errors.js';

export type ObjectiveDirection = 'minimize' | 'maximize';

/** The point in minimised form: maximised objectives negated. */
function toMinimized(y: readonly number[], directions: readonly ObjectiveDirection[]): number[] {
	return directions.map((d, k) => (d === 'maximize' ? -(y[k] as number) : (y[k] as number)));
}

/** Whether a dominates b (both in the metrics' own units). */
export function dominates(a: readonly number[], b: readonly number[], directions: readonly ObjectiveDirection[]): boolean {
	return dominatesMin(toMinimized(a, directions), toMinimized(b, directions));
}

function dominatesMin(a: readonly number[], b: readonly number[]): boolean {
	let strictly = false;
	for (let k = 0; k < a.length; k++) {
		const ak = a[k] as number;
		const bk = b[k] as number;
		if (ak > bk) return false;
		if (ak < bk) strictly = true;
	}
	return strictly;
}

/** The non-domination rank of every point (0 = on the Pareto front). */
export function nonDominatedRanks(points: readonly (readonly number[])[], directions: readonly ObjectiveDirection[]): number[] {
	const ys = points.map((y) => toMinimized(y, directions));
	const n = ys.length;
	const dominatedBy = new Array<number>(n).fill(0);
	const dominatesList: number[][] = ys.map(() => []);
	for (let i = 0; i < n; i++) {
		for (let j = i + 1; j < n; j++) {
			const yi = ys[i] as number[];
			const yj = ys[j] as number[];
			if (dominatesMin(yi, yj)) {
				(dominatesList[i] as number[]).push(j);
				dominatedBy[j] = (dominatedBy[j] as number) + 1;
			} else if (dominatesMin(yj, yi)) {
				(dominatesList[j] as number[]).push(i);
				dominatedBy[i] = (dominatedBy[i] as number) + 1;
			}
		}
	}
	const rank = new Array<number>(n).fill(-1);
	let current = [];
	for (let i = 0; i < n; i++) if (dominatedBy[i] === 0) current.push(i);
	for (let r = 0; current.length > 0; r++) {
		const next: number[] = [];
		for (const i of current) {
			rank[i] = r;
			for (const j of dominatesList[i] as number[]) {
				dominatedBy[j] = (dominatedBy[j] as number) - 1;
				if (dominatedBy[j] === 0) next.push(j);
			}
		}
		current = next;
	}
	return rank;
}

/** Indices of the non-dominated points, in input order (equal points are all kept). */
export function paretoFront(points: readonly (readonly number[])[], directions: readonly ObjectiveDirection[]): number[] {
	const ys = points.map((y) => toMinimized(y, directions));
	const out: number[] = [];
	for (let i = 0; i < ys.length; i++) {
		const yi = ys[i] as number[];
		if (!ys.some((yj, j) => j !== i && dominatesMin(yj, yi))) out.push(i);
	}
	return out;
}

/** The hypervolume of the points against the reference point r (see the notation). */
export function hypervolume(points: readonly (readonly number[])[], reference: readonly number[], directions: readonly ObjectiveDirection[]): number {
	if (reference.length !== directions.length) throw new InputError(`reference point has ${reference.length} values for ${directions.length} objectives`);
	const r = toMinimized(reference, directions);
	const ys: number[][] = [];
	for (const p of points) {
		if (p.length !== directions.length) throw new InputError(`a point has ${p.length} values for ${directions.length} objectives`);
		const y = toMinimized(p, directions);
		if (y.every((v, k) => Number.isFinite(v) && v < (r[k] as number))) ys.push(y);
	}
	return hvMin(ys, r);
}

/** Each point's exclusive hypervolume contribution against r (see the notation), in input order. */
export function hypervolumeContributions(points: readonly (readonly number[])[], reference: readonly number[], directions: readonly ObjectiveDirection[]): number[] {
	const total = hypervolume(points, reference, directions);
	return points.map((_, i) =>
		Math.max(
			0,
			total -
				hypervolume(
					points.filter((_, j) => j !== i),
					reference,
					directions,
				),
		),
	);
}

/** Hypervolume of minimised points that all strictly dominate r. */
function hvMin(ys: number[][], r: readonly number[]): number {
	if (ys.length === 0) return 0;
	const m = r.length;
	if (m === 1) return (r[0] as number) - Math.min(...ys.map((y) => y[0] as number));
	if (m === 2) {
		const sorted = [...ys].sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
		let volume = 0;
		let ceiling = r[1] as number;
		for (const y of sorted) {
			const y1 = y[1] as number;
			if (y1 < ceiling) {
				volume += ((r[0] as number) - (y[0] as number)) * (ceiling - y1);
				ceiling = y1;
			}
		}
		return volume;
	}
	const last = m - 1;
	const sorted = [...ys].sort((a, b) => (a[last] as number) - (b[last] as number));
	const below = r.slice(0, last);
	let volume = 0;
	const slab: number[][] = [];
	for (let i = 0; i < sorted.length; i++) {
		const y = sorted[i] as number[];
		const projected = y.slice(0, last);
		if (!slab.some((s) => s.every((v, k) => v <= (projected[k] as number)))) {
			for (let j = slab.length - 1; j >= 0; j--) if (dominatesMin(projected, slab[j] as number[])) slab.splice(j, 1);
			slab.push(projected);
		}
		const top = i + 1 < sorted.length ? ((sorted[i + 1] as number[])[last] as number) : (r[last] as number);
		const depth = top - (y[last] as number);
		if (depth > 0) volume += hvMin(slab, below) * depth;
	}
	return volume;
}
