/**
 * What PB2's GP learns from (src/tuners/pb2.ts), read from the recorded segments of a population arm:
 * one observation per ended segment that continued a checkpoint, before generation `g`: its
 * generation (scaled by g), its settings and its reward change (its end value minus the value of the
 * segment it restored from, sign-flipped when minimising). Recorded values only: replay proposes the
 * same settings.
 */
import type { Rng } from '../../core/rng.js';
import type { Params } from '../../core/space.js';
import type { PbtConfig } from '../../tuners/config.js';
import { type Pb2Observation, pb2Proposer as proposer } from '../../tuners/pb2.js';
import { stopReport, type StudyState } from '../journal/state.js';
import type { Arm, StudySpec } from '../spec/spec.js';

export function pb2Proposer(spec: StudySpec, state: StudyState, arm: Arm & { readonly config: PbtConfig }, g: number): ((member: number, params: Params, rng: Rng) => Params) | undefined {
	const sign = spec.direction === 'minimize' ? -1 : 1;
	const observations: Pb2Observation[] = [];
	// in slot order: the GP's sums must not depend on the order the segments were asked in
	for (const t of [...state.latest(arm.name, 'search').values()].sort((a, b) => a.asked.slot - b.asked.slot)) {
		const s = t.asked.segment;
		if (s === undefined || s.restore === undefined || s.generation >= g) continue;
		const end = stopReport(t)?.value ?? t.complete?.value;
		const source = state.trials[s.restore];
		const start = source === undefined ? undefined : (stopReport(source)?.value ?? source.complete?.value);
		if (end === undefined || start === undefined) continue;
		observations.push({ t: s.generation / g, params: t.asked.params, change: sign * (end - start) });
	}
	const propose = proposer(spec.space, observations);
	return propose === undefined ? undefined : (_member, params, rng) => propose(params, rng);
}
