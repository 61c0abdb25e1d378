/**
 * Population-based training for any objective (module or command): the decisions between two
 * generations of a population, as pure functions of what the previous generation recorded. The study
 * runner (src/study/run/population-arm.ts) turns them into segments: lifetimes that each run one
 * member from its checkpoint to the next interval boundary.
 *
 * Members train in synchronous generations: generation g+1 is decided only once every segment of
 * generation g has ended, from their recorded values alone, with a random stream fixed by (seed, arm,
 * generation, member). So the decisions do not depend on which process asks or when, and replaying
 * the journal gives the same population history.
 *
 * Notation
 *   P          population (members 0..P-1)
 *   g          generation; member m's segment of generation g is search slot g*P + m of the arm
 *   q          quantile: the bottom k = max(1, floor(q*n)) of the n ranked members exploit the top k
 *              (k <= n/2); a member whose segment failed is ranked below every other
 *   exploit    copy a top member's checkpoint (restore from its segment) and settings
 *   explore    floats: with probability `resample` a fresh draw from the range, else x0.8 or x1.2
 *              (clamped into the range); ints and categoricals: a fresh draw with probability
 *              `resample`, else kept; `pb2` proposes floats with a GP bandit instead (pb2.ts)
 */
import { Rng } from '../core/rng.js';
import { dimensions, fromUnit, type ParamValue, type Params, type SearchParam, type Space } from '../core/space.js';
import type { PbtConfig } from './config.js';

/** How explore changed one param. */
export interface ParamChange {
	readonly from: ParamValue;
	readonly to: ParamValue;
	readonly how: 'perturb' | 'resample' | 'pb2';
}

/** What one member of a generation does in its next segment (decided from the previous generation). */
export interface MemberPlan {
	readonly member: number;
	readonly params: Params;
	/** the segment (trial) whose checkpoint this member continues from; absent at a fresh start */
	readonly restore?: number;
	/** the step of that checkpoint */
	readonly from_step?: number;
	/** this member copied another's checkpoint and settings */
	readonly exploit?: { readonly member: number; readonly trial: number };
	/** what explore changed after the exploit (only the params named here changed) */
	readonly explore?: Readonly<Record<string, ParamChange>>;
}

/** How a member's segment of the previous generation ended. */
export type MemberResult =
	| { readonly member: number; readonly fate: 'continues'; readonly trial: number; readonly params: Params; readonly value: number; readonly step: number }
	| { readonly member: number; readonly fate: 'finished' }
	| { readonly member: number; readonly fate: 'failed' };

/** The settings of generation 0: every member at `start` (init: start), or drawn from the space (init: sample). */
export function firstGeneration(config: PbtConfig, space: Space, start: Params, seed: number, arm: string): MemberPlan[] {
	return Array.from({ length: config.population }, (_, member) => {
		if ((config.init ?? 'sample') === 'start') return { member, params: { ...start } };
		const rng = memberRng(seed, arm, 0, member);
		const params: Params = { ...start };
		for (const d of dimensions(space)) params[d.name] = draw(d.param, rng);
		return { member, params };
	});
}

/** The random stream of one member's decision at one generation. */
function memberRng(seed: number, arm: string, generation: number, member: number): Rng {
	return new Rng(seed).split('pbt').split(arm).split(generation).split(member);
}

function draw(param: SearchParam, rng: Rng): ParamValue {
	return fromUnit(param, rng.next());
}

/** How many members exploit (and are exploited) among n ranked ones. */
export function exploitCount(n: number, quantile: number): number {
	if (n < 2) return 0;
	return Math.min(Math.floor(n / 2), Math.max(1, Math.floor(n * quantile)));
}

/**
 * Generation `generation`'s plans from the previous generation's results, or an empty list when no
 * member continues (the arm's training is over). Finished members (their program ended on its own)
 * get no segment; failed ones exploit a top member. `propose` replaces perturbation for floats
 * (explore: pb2): it gets the exploited settings and returns the explored ones.
 */
export function nextGeneration(
	config: PbtConfig,
	space: Space,
	direction: 'minimize' | 'maximize',
	seed: number,
	arm: string,
	generation: number,
	results: readonly MemberResult[],
	propose?: (member: number, params: Params, rng: Rng) => Params,
): MemberPlan[] {
	const continuing = results.filter((r): r is Extract<MemberResult, { fate: 'continues' }> => r.fate === 'continues');
	if (continuing.length === 0) return [];
	const sign = direction === 'minimize' ? 1 : -1;
	// best first; ties by member number, so the order never depends on arrival
	const ranked = [...continuing].sort((a, b) => sign * a.value - sign * b.value || a.member - b.member);
	const k = exploitCount(ranked.length, config.quantile ?? 0.25);
	const top = ranked.slice(0, k);
	const bottom = new Set(ranked.slice(ranked.length - k).map((r) => r.member));
	const plans: MemberPlan[] = [];
	for (const r of results) {
		if (r.fate === 'finished') continue;
		if (r.fate === 'continues' && !bottom.has(r.member)) {
			plans.push({ member: r.member, params: r.params, restore: r.trial, from_step: r.step });
			continue;
		}
		const rng = memberRng(seed, arm, generation, r.member);
		const source = top[rng.int(top.length)] ?? ranked[0];
		if (source === undefined) continue;
		const explored = explore(config, space, source.params, rng, propose === undefined ? undefined : (params) => propose(r.member, params, rng));
		plans.push({
			member: r.member,
			params: explored.params,
			restore: source.trial,
			from_step: source.step,
			exploit: { member: source.member, trial: source.trial },
			explore: explored.changes,
		});
	}
	return plans.sort((a, b) => a.member - b.member);
}

/** Explore from `params`: each searched param perturbed, resampled or kept, with what changed. */
export function explore(config: PbtConfig, space: Space, params: Params, rng: Rng, propose?: (params: Params) => Params): { readonly params: Params; readonly changes: Record<string, ParamChange> } {
	const out: Params = { ...params };
	const changes: Record<string, ParamChange> = {};
	const proposed = propose?.(params);
	for (const { name, param } of dimensions(space)) {
		const from = params[name] as ParamValue;
		let to: ParamValue = from;
		let how: ParamChange['how'] = 'perturb';
		const resample = rng.next() < config.resample;
		const up = rng.next() < 0.5; // drawn for every param, so one param's draws never shift another's
		if (resample) {
			to = draw(param, rng);
			how = 'resample';
		} else if (param.type === 'float') {
			if (proposed !== undefined) {
				to = Math.min(param.high, Math.max(param.low, Number(proposed[name])));
				how = 'pb2';
			} else to = Math.min(param.high, Math.max(param.low, Number(from) * (up ? 1.2 : 0.8)));
		}
		if (to !== from) {
			out[name] = to;
			changes[name] = { from, to, how };
		}
	}
	return { params: out, changes };
}
