/**
 * A pbt arm on a module or command objective, as the scheduler runs it: each member trains in
 * segments, one lifetime (trial) per member and generation, from a checkpoint to the first report at
 * or past the next multiple of `interval`, which announces the checkpoint the next generation
 * continues from. The exploit/explore decisions (src/tuners/population.ts) are a pure function of the
 * previous generation's recorded ends, and each is written into the asked record of the segment it
 * made (journal.ts `segment`), so replay, resume and every reader see the same population history.
 *
 * Why segments and synchronous generations: a segment is an ordinary lifetime, so leases, retries,
 * take-over after a kill and the durable end record need nothing new; a killed segment re-runs from
 * the same checkpoint with the same params and seed, losing at most one interval of one member.
 * Deciding a generation only once the previous one has ended makes every decision independent of
 * arrival order, so two processes asking for segments make the same decisions (docs/online-tuning.md).
 *
 * Notation
 *   P       population; member m's segment of generation g is search slot g*P + m
 *   G       the latest generation with a segment asked
 *   end     first multiple of `interval` above the checkpoint step the segment starts from
 */
import { Rng } from '../../core/rng.js';
import type { Params, Space } from '../../core/space.js';
import type { PbtConfig } from '../../tuners/config.js';
import { firstGeneration, type MemberPlan, type MemberResult, nextGeneration } from '../../tuners/population.js';
import type { AskedRecord, Segment } from '../journal/journal.js';
import { isEnded, stopReport, type StudyState, type TrialState } from '../journal/state.js';
import type { Arm, StudySpec } from '../spec/spec.js';
import { pb2Proposer } from './pb2-history.js';

/** Whether `arm` is a pbt arm whose members are lifetimes that checkpoint (any objective but the bandit's). */
export function isPopulationArm(spec: Pick<StudySpec, 'objective'>, arm: Arm): arm is Arm & { readonly config: PbtConfig } {
	return arm.config.kind === 'pbt' && spec.objective.kind !== 'bandit';
}

/** The start configuration: fixed values, then `start`, else a float's midpoint (geometric on a log scale), an int's midpoint, a categorical's first choice. */
function populationStart(space: Space, config: PbtConfig): Params {
	const params: Params = {};
	for (const [name, param] of Object.entries(space)) {
		const given = config.start[name];
		switch (param.type) {
			case 'fixed':
				params[name] = param.value;
				break;
			case 'float':
				params[name] = typeof given === 'number' ? Math.min(param.high, Math.max(param.low, given)) : param.log ? Math.sqrt(param.low * param.high) : (param.low + param.high) / 2;
				break;
			case 'int': {
				const step = param.step ?? 1;
				const mid = param.low + Math.round((param.high - param.low) / step / 2) * step;
				params[name] = typeof given === 'number' ? given : mid;
				break;
			}
			case 'categorical':
				params[name] = given !== undefined && param.choices.includes(given) ? given : (param.choices[0] as Params[string]);
				break;
		}
	}
	return params;
}

/** The seed of the arm's own draws: the study's seed and the arm's `seed`. */
function decisionSeed(spec: StudySpec, config: PbtConfig): number {
	return new Rng(spec.seed).split('pbt').split(config.seed).seedInt();
}

/** How member m's segment of a generation ended, for the next generation's decisions. */
function memberResult(member: number, t: TrialState, retries: number): MemberResult | undefined {
	if (!isEnded(t, retries)) return undefined;
	if (t.phase === 'failed') return { member, fate: 'failed' };
	const stop = stopReport(t);
	const checkpoint = t.complete?.checkpoint;
	if (stop === undefined || checkpoint === undefined) return { member, fate: 'finished' };
	return { member, fate: 'continues', trial: t.asked.trial, params: t.asked.params, value: stop.value, step: checkpoint.step };
}

/**
 * Plans made, by state, arm and generation, with the ends they were made from: they depend only on
 * ended segments, so a PB2 fit is not repeated per ask; a state replayed after a write that failed
 * may hold other ends, and then the plans are made again.
 */
const made = new WeakMap<StudyState, Map<string, { readonly from: string; readonly plans: MemberPlan[] }>>();

/** The ends of generation g-1 that generation g's plans are made from. */
function endsOf(state: StudyState, arm: Arm & { readonly config: PbtConfig }, g: number): string {
	const latest = state.latest(arm.name, 'search');
	const ends: string[] = [];
	for (let m = 0; g > 0 && m < arm.config.population; m++) {
		const t = latest.get((g - 1) * arm.config.population + m);
		ends.push(t === undefined ? '-' : `${t.asked.trial}:${t.phase}:${t.complete?.value ?? ''}`);
	}
	return ends.join(',');
}

/** The plans of generation `g` (computed from generation g-1's recorded ends; g-1 must have ended). */
function plansOf(spec: StudySpec, state: StudyState, arm: Arm & { readonly config: PbtConfig }, g: number): MemberPlan[] {
	let byKey = made.get(state);
	if (byKey === undefined) {
		byKey = new Map();
		made.set(state, byKey);
	}
	const key = `${arm.name}\0${g}`;
	const from = endsOf(state, arm, g);
	const held = byKey.get(key);
	if (held !== undefined && held.from === from) return held.plans;
	const plans = computePlans(spec, state, arm, g);
	byKey.set(key, { from, plans });
	return plans;
}

function computePlans(spec: StudySpec, state: StudyState, arm: Arm & { readonly config: PbtConfig }, g: number): MemberPlan[] {
	const { config } = arm;
	const seed = decisionSeed(spec, config);
	if (g === 0) return firstGeneration(config, spec.space, populationStart(spec.space, config), seed, arm.name);
	const latest = state.latest(arm.name, 'search');
	const results: MemberResult[] = [];
	for (let m = 0; m < config.population; m++) {
		const t = latest.get((g - 1) * config.population + m);
		if (t === undefined) continue; // finished earlier
		const r = memberResult(m, t, spec.retries);
		if (r !== undefined) results.push(r);
	}
	const propose = (config.explore ?? 'perturb') === 'pb2' ? pb2Proposer(spec, state, arm, g) : undefined;
	return nextGeneration(config, spec.space, spec.direction, seed, arm.name, g, results, propose);
}

/** What the arm does next: ask a segment, wait for the running generation, or nothing (its training is over). */
export type PopulationNext = { readonly kind: 'ask'; readonly base: Omit<AskedRecord, 'type' | 'at' | 'trial' | 'owner'> } | { readonly kind: 'wait' } | { readonly kind: 'over' };

/**
 * The generation whose segments are being asked or run, or, once the latest asked has ended, the
 * next one, with its plans (empty: the arm's training is over). What the arm asks next and which
 * checkpoints it still needs (checkpoint-gc.ts) both follow from it.
 */
export function currentGeneration(spec: StudySpec, state: StudyState, arm: Arm & { readonly config: PbtConfig }): { readonly generation: number; readonly plans: readonly MemberPlan[] } {
	const P = arm.config.population;
	const latest = state.latest(arm.name, 'search');
	let G = -1;
	for (const slot of latest.keys()) G = Math.max(G, Math.floor(slot / P));
	if (G < 0) return { generation: 0, plans: plansOf(spec, state, arm, 0) };
	const current = plansOf(spec, state, arm, G);
	const open = current.some((p) => {
		const t = latest.get(G * P + p.member);
		return t === undefined || !isEnded(t, spec.retries);
	});
	return open ? { generation: G, plans: current } : { generation: G + 1, plans: plansOf(spec, state, arm, G + 1) };
}

export function nextSegment(spec: StudySpec, state: StudyState, arm: Arm & { readonly config: PbtConfig }): PopulationNext {
	const { generation, plans } = currentGeneration(spec, state, arm);
	const latest = state.latest(arm.name, 'search');
	const missing = plans.find((p) => !latest.has(generation * arm.config.population + p.member));
	if (missing !== undefined) return ask(spec, arm, generation, missing);
	return plans.length === 0 ? { kind: 'over' } : { kind: 'wait' };
}

function ask(spec: StudySpec, arm: Arm & { readonly config: PbtConfig }, g: number, plan: MemberPlan): PopulationNext {
	const { interval, population } = arm.config;
	const from = plan.from_step ?? 0;
	const segment: Segment = {
		member: plan.member,
		generation: g,
		end: (Math.floor(from / interval) + 1) * interval,
		...(plan.restore === undefined ? {} : { restore: plan.restore, from_step: from }),
		...(plan.exploit === undefined ? {} : { exploit: plan.exploit }),
		...(plan.explore === undefined ? {} : { explore: plan.explore }),
	};
	const changed = Object.entries(plan.explore ?? {}).map(([k, c]) => `${k} ${String(c.from)} -> ${String(c.to)} (${c.how})`);
	const note = `member ${plan.member}, generation ${g}${plan.exploit === undefined ? '' : `: exploits member ${plan.exploit.member}${changed.length > 0 ? `, ${changed.join(', ')}` : ''}`}`;
	return {
		kind: 'ask',
		base: {
			arm: arm.name,
			purpose: 'search',
			slot: g * population + plan.member,
			attempt: 1,
			params: plan.params,
			seed: new Rng(spec.seed).split('segment').split(plan.member).split(g).seedInt(),
			note,
			segment,
		},
	};
}

/** The deployed member: the best last value among the members' latest complete segments (ties: lowest member), with its settings. */
export function deployedMember(spec: StudySpec, state: StudyState, arm: Arm): { readonly member: number; readonly trial: number; readonly params: Params; readonly value: number } | undefined {
	const last = new Map<number, TrialState>();
	for (const t of state.latest(arm.name, 'search').values()) {
		const s = t.asked.segment;
		if (s === undefined || t.complete === undefined) continue;
		const held = last.get(s.member);
		if (held === undefined || (held.asked.segment?.generation ?? 0) < s.generation) last.set(s.member, t);
	}
	const sign = spec.direction === 'minimize' ? 1 : -1;
	let best: TrialState | undefined;
	for (const t of [...last.values()].sort((a, b) => (a.asked.segment?.member ?? 0) - (b.asked.segment?.member ?? 0))) {
		if (best?.complete === undefined || sign * (t.complete?.value ?? 0) < sign * best.complete.value) best = t;
	}
	if (best?.complete === undefined) return undefined;
	return { member: best.asked.segment?.member ?? 0, trial: best.asked.trial, params: best.asked.params, value: best.complete.value };
}
