/**
 * A population arm's history as the readers show it (compare, export, status), from the recorded
 * segments alone (run/population-arm.ts): each member's reward curve across its segments, the
 * lineage (who copied whom, at which step, and what explore changed), the deployed member and the
 * schedule of settings it followed (its segments and, through each exploit, the segments of the
 * members it copied), and the steps the whole population trained.
 *
 * Notation
 *   steps of a segment   its last report's step minus the step it restored from (0 at a fresh start)
 *   deployed             the member with the best value among the members' latest complete segments
 *   schedule             [from step, settings] of each segment on the deployed member's line, oldest first
 */
import type { Params } from '../core/space.js';
import type { Segment } from './journal/journal.js';
import type { StudyState, TrialState } from './journal/state.js';
import { deployedMember } from './run/population-arm.js';
import type { Arm, StudySpec } from './spec/spec.js';

interface LineageEvent {
	readonly generation: number;
	readonly member: number;
	readonly trial: number;
	/** the member it copied and the step of the checkpoint it copied */
	readonly copied: number;
	readonly at_step: number;
	readonly explore: NonNullable<Segment['explore']>;
}

export interface PopulationHistory {
	readonly members: number;
	readonly segments: number;
	/** steps reported by every segment of the arm (each counted from the checkpoint it restored) */
	readonly steps: number;
	/** per member: [step, value] of every report of its segments, in generation order */
	readonly curves: Readonly<Record<string, readonly (readonly [number, number])[]>>;
	readonly lineage: readonly LineageEvent[];
	readonly deployed: { readonly member: number; readonly trial: number; readonly value: number; readonly params: Params } | undefined;
	readonly schedule: readonly { readonly from_step: number; readonly params: Params }[];
}

/** The segments of an arm (latest attempt of each), in slot order. */
function segmentsOf(state: StudyState, arm: string): TrialState[] {
	return [...state.latest(arm, 'search').values()].filter((t) => t.asked.segment !== undefined).sort((a, b) => a.asked.slot - b.asked.slot);
}

export function populationHistory(spec: StudySpec, state: StudyState, arm: Arm): PopulationHistory {
	const segments = segmentsOf(state, arm.name);
	const curves: Record<string, [number, number][]> = {};
	const lineage: LineageEvent[] = [];
	const members = new Set<number>();
	let steps = 0;
	for (const t of segments) {
		const s = t.asked.segment as Segment;
		members.add(s.member);
		const reports = t.reports ?? [];
		const key = String(s.member);
		const curve = curves[key] ?? [];
		curves[key] = curve;
		for (const r of reports) curve.push([r.step, r.value]);
		const last = reports.at(-1);
		if (last !== undefined) steps += last.step - (s.from_step ?? 0);
		if (s.exploit !== undefined) lineage.push({ generation: s.generation, member: s.member, trial: t.asked.trial, copied: s.exploit.member, at_step: s.from_step ?? 0, explore: s.explore ?? {} });
	}
	const deployed = deployedMember(spec, state, arm);
	const schedule: { from_step: number; params: Params }[] = [];
	for (let t = deployed === undefined ? undefined : state.trials[deployed.trial]; t !== undefined; ) {
		const s = t.asked.segment;
		schedule.unshift({ from_step: s?.from_step ?? 0, params: t.asked.params });
		t = s?.restore === undefined ? undefined : state.trials[s.restore];
	}
	return { members: members.size, segments: segments.length, steps, curves, lineage, deployed, schedule };
}
