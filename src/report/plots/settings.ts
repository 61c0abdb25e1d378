/**
 * The study's settings and progress as label/value rows for the report page: task, space, methods,
 * budget, seeds, backend(s) and commit(s) as recorded in the journal, and whether the study is
 * complete, still running or interrupted (what the page shows is then what is there so far).
 *
 * Notation
 *   ended        complete lifetimes plus failed ones with no retry left, per arm: total = budget + reevaluate
 *   unfinished   asked (or running) lifetimes without an end record: running when their process still
 *                heartbeats (owners/), else interrupted (they re-run on the next `metatune run`)
 *   complete     the scheduler (study/scheduler.ts `decide`) has nothing left to run or wait for: every
 *                arm used its budget or exhausted its space, and re-evaluations ended
 */
import { join } from 'node:path';
import type { Searcher } from '../../../searchers/searcher.js';
import type { Param } from '../../core/space.js';
import type { Owner } from '../../study/journal/lock.js';
import { createSearcher } from '../../../searchers/index.js';
import { newOwner, ownerAlive } from '../../study/journal/owners.js';
import { armCounts } from '../../cli/progress.js';
import { decide } from '../../study/run/scheduler.js';
import type { StoredStudy } from '../../study/journal/stored.js';

export type Progress =
	| { readonly kind: 'complete'; readonly ended: number; readonly total: number }
	| { readonly kind: 'running'; readonly ended: number; readonly total: number; readonly running: number; readonly interrupted: number }
	| { readonly kind: 'interrupted'; readonly ended: number; readonly total: number; readonly interrupted: number };

export function studyProgress(stored: StoredStudy): Progress {
	const counts = armCounts(stored);
	const ended = counts.reduce((s, c) => s + c.ended, 0);
	const total = counts.reduce((s, c) => s + c.total, 0);
	const unended = stored.state.unended();
	const ownersDir = join(stored.dir, 'owners');
	const alive = (owner: Owner) => ownerAlive(ownersDir, owner);
	const running = unended.filter((t) => alive(t.owner)).length;
	const interrupted = unended.length - running;
	const searchers = new Map(stored.spec.arms.map((a) => [a.name, createSearcher(a.config)]));
	const next = decide({ spec: stored.spec, state: stored.state, me: newOwner(), alive, searcher: (arm) => searchers.get(arm) as Searcher, inFlight: new Set(), stopping: false });
	if (next.kind === 'done' && unended.length === 0) return { kind: 'complete', ended, total: ended };
	if (running > 0) return { kind: 'running', ended, total, running, interrupted };
	return { kind: 'interrupted', ended, total, interrupted };
}

/** One sentence for the page. */
export function progressText(p: Progress): string {
	switch (p.kind) {
		case 'complete':
			return `Complete: all ${p.total} lifetimes ended.`;
		case 'running':
			return `Still running: ${p.ended} of up to ${p.total} lifetimes ended, ${p.running} running now${p.interrupted > 0 ? `, ${p.interrupted} interrupted` : ''}. The figures show what is there so far.`;
		case 'interrupted':
			return `Interrupted: ${p.ended} of up to ${p.total} lifetimes ended${p.interrupted > 0 ? `, ${p.interrupted} started but unfinished (they re-run on the next \`metatune run\`)` : ''}. The figures show what is there so far.`;
	}
}

const fmt = (v: unknown) => (typeof v === 'number' ? String(Number(v.toPrecision(6))) : typeof v === 'string' ? v : JSON.stringify(v));

function paramText(name: string, p: Param): string {
	switch (p.type) {
		case 'float':
			return `${name} ∈ [${fmt(p.low)}, ${fmt(p.high)}]${p.log ? ' (log)' : ''}`;
		case 'int':
			return `${name} ∈ {${fmt(p.low)}..${fmt(p.high)}${p.step && p.step !== 1 ? ` step ${p.step}` : ''}}${p.log ? ' (log)' : ''}`;
		case 'categorical':
			return `${name} ∈ {${p.choices.map(fmt).join(', ')}}`;
		case 'fixed':
			return `${name} = ${fmt(p.value)}`;
	}
}

const distinct = (xs: readonly (string | undefined)[]) => [...new Set(xs.filter((x): x is string => x !== undefined && x !== ''))];

export function settingsRows(stored: StoredStudy): [string, string][] {
	const { spec, state } = stored;
	const complete = state.trials.flatMap((t) => (t?.complete === undefined ? [] : [t.complete]));
	const asked = state.trials.flatMap((t) => (t === undefined ? [] : [t]));
	const objective =
		spec.objective.kind === 'bandit'
			? `bandit agent: ${Object.entries(spec.objective.settings)
					.map(([k, v]) => `${k}=${fmt(v)}`)
					.join(', ')}`
			: `module ${spec.objective.module}${spec.objective.export ? ` (export ${spec.objective.export})` : ''}`;
	const arms = spec.arms.map((a) => {
		const { kind, ...rest } = a.config as { kind: string } & Record<string, unknown>;
		const opts = Object.entries(rest).map(([k, v]) => `${k}=${fmt(v)}`);
		return `${a.name} (${kind}${opts.length > 0 ? `: ${opts.join(', ')}` : ''})`;
	});
	const backends = distinct(complete.map((c) => (typeof c.fields.backend === 'string' ? c.fields.backend : undefined)));
	const commits = distinct(complete.map((c) => c.commit));
	const seeds = new Set(asked.map((t) => t.asked.seed));
	const times = asked.map((t) => t.asked.at).concat(complete.map((c) => c.at)).sort();
	const rows: [string, string][] = [
		['Study', `${spec.name}${spec.description ? ` — ${spec.description}` : ''}`],
		['Objective', objective],
		['Metric', `${spec.metric} (${spec.direction})`],
		['Search space', Object.entries(spec.space).map(([n, p]) => paramText(n, p)).join('; ')],
		['Methods (arms)', arms.join('; ')],
		['Budget', `${spec.budget} lifetimes per arm, ${spec.repeats} per configuration, ${spec.reevaluate} re-evaluations of the chosen configuration, ${spec.retries} retries${spec.trial_timeout ? `, timeout ${spec.trial_timeout} s` : ''}`],
		['Seeds', `study seed ${spec.seed}; ${seeds.size} distinct lifetime seeds (shared across arms)`],
		['Backend', backends.length > 0 ? backends.join(', ') : '-'],
		['Commit', commits.length > 0 ? commits.join(', ') : '-'],
		['Journal', stored.journalPath],
	];
	if (times.length > 0) rows.push(['Time span', `${times[0]} to ${times[times.length - 1]}`]);
	return rows;
}
