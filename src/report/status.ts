/**
 * `metatune status`: what a study has done and is doing, read from its journal without the lock.
 * Lifetimes not ended are "running" when their process is alive, else "interrupted" (they re-run,
 * same params and seed, on the next `metatune run`).
 *
 * A failed attempt says what became of its slot (`retryNote`): `retried as trial N` with that
 * retry's outcome, `gave up after K attempts` when it was the slot's last attempt allowed by
 * `retries`, or `will be retried` only when its retry is still due (not asked yet).
 */
import { lossSign } from '../../searchers/common.js';
import { grouped, textTable } from '../core/format.js';
import { paramsText, paramValueText } from '../core/space.js';
import { type Arm, armCounts, isPruned, ownerRunning, type StoredStudy, type TrialState, tunedOutcome } from '../study/view.js';
import { objectiveText } from '../objectives/describe.js';

const fmt = (x: number | undefined) => (x === undefined ? '-' : String(Number(x.toPrecision(4))));
/** Tuner lifetimes start from the arm's start configuration and log where their tuned params ended. */
const finalTuned = (arm: Arm, t: TrialState) => {
	const final = tunedOutcome(arm, t)?.final ?? {};
	return Object.entries(final)
		.map(([name, v]) => ` -> final ${name}=${paramValueText(v)}`)
		.join('');
};

export function studyStatus(stored: StoredStudy): string {
	const { spec, state } = stored;
	const sign = lossSign(spec.direction);
	const trials = state.trials.filter((t): t is TrialState => t !== undefined);
	const counts = armCounts(stored);
	// studies with a pruner also show what each arm pruned and the env steps it spent (pruned lifetimes included)
	const pruning = spec.pruner !== undefined || spec.arms.some((a) => a.pruner !== undefined);
	const rows = spec.arms.map((arm, i) => {
		const c = counts[i];
		let best: TrialState | undefined;
		let pruned = 0;
		let steps: number | undefined;
		for (const t of trials) {
			if (t.asked.arm !== arm.name || t.complete === undefined) continue;
			const s = t.complete.fields.env_steps;
			if (typeof s === 'number') steps = (steps ?? 0) + s;
			if (t.asked.purpose !== 'search') continue;
			if (isPruned(t)) {
				pruned++;
				continue; // a pruned lifetime's value is partial: never the best
			}
			if (best?.complete === undefined || sign * t.complete.value < sign * best.complete.value) best = t;
		}
		return [
			arm.name,
			arm.config.kind,
			`${c?.ended ?? 0}/${c?.total ?? 0}`,
			String(c?.failed ?? 0),
			...(pruning ? [String(pruned), steps === undefined ? '-' : grouped(steps)] : []),
			best?.complete ? `${fmt(best.complete.value)} (${paramsText(best.asked.params)}${finalTuned(arm, best)})` : '-',
		];
	});
	const unended = state.unended();
	const running = unended.filter((t) => ownerRunning(stored, t.owner));
	const interrupted = unended.filter((t) => !ownerRunning(stored, t.owner));
	const failed = trials.filter((t) => t.phase === 'failed');
	const fateOf = retryFates(trials, spec.retries);
	const fates = failed.map(fateOf);
	const fateCount = (kind: RetryFate['kind']) => fates.filter((f) => f.kind === kind).length;
	const fateSummary = [`${fateCount('retried')} retried`, `${fateCount('gave-up')} gave up`, `${fateCount('due')} to retry`].filter((x) => !x.startsWith('0 '));
	const ended = counts.reduce((s, c) => s + c.ended, 0);
	const total = counts.reduce((s, c) => s + c.total, 0);
	const objective = spec.objective.kind === 'bandit' ? 'bandit' : objectiveText(spec.objective);
	const lines = [
		`Study ${spec.name} (${stored.journalPath})`,
		`objective ${objective} | metric ${spec.metric} (${spec.direction}) | budget ${spec.budget} per arm, repeats ${spec.repeats}, reevaluate ${spec.reevaluate}`,
		`${ended}/${total} lifetimes ended${ended >= total ? ' (complete)' : ''} | ${running.length} running | ${interrupted.length} interrupted | ${failed.length} failed attempts${fateSummary.length > 0 ? ` (${fateSummary.join(', ')})` : ''}`,
		'',
		textTable(['Arm', 'Searcher', 'Lifetimes', 'Failed', ...(pruning ? ['Pruned', 'Env steps'] : []), `Best ${spec.metric} (params)`], rows, [
			'left',
			'left',
			'right',
			'right',
			...(pruning ? (['right', 'right'] as const) : []),
			'left',
		]),
	];
	const list = (title: string, ts: readonly TrialState[], extra: (t: TrialState) => string) => {
		if (ts.length === 0) return;
		lines.push('', title);
		for (const t of ts.slice(0, 20)) lines.push(`  trial ${t.asked.trial} (${t.asked.arm}, ${t.asked.purpose} slot ${t.asked.slot}, seed ${t.asked.seed}): ${paramsText(t.asked.params)}${extra(t)}`);
		if (ts.length > 20) lines.push(`  ... and ${ts.length - 20} more`);
	};
	const lastReport = (t: TrialState) => {
		const r = t.reports?.at(-1);
		return r === undefined ? '' : `, at step ${r.step}: ${fmt(r.value)}`;
	};
	list('Running:', running, (t) => ` on ${t.owner.host} pid ${t.owner.pid}${t.started_at ? ` since ${t.started_at}` : ''}${lastReport(t)}`);
	list('Interrupted (re-run on the next `metatune run`):', interrupted, () => '');
	list('Failed:', failed, (t) => ` -- ${t.failed?.reason}: ${t.failed?.message} (${fateText(fateOf(t), spec.retries, spec.metric, (r) => (running.includes(r) ? 'running' : 'interrupted'))})`);
	return lines.join('\n');
}

const slotKey = (t: TrialState, attempt = t.asked.attempt) => `${t.asked.arm}\u0000${t.asked.purpose}\u0000${t.asked.slot}\u0000${attempt}`;

/** What became of a failed attempt. */
type RetryFate = { readonly kind: 'retried'; readonly retry: TrialState } | { readonly kind: 'gave-up'; readonly attempts: number } | { readonly kind: 'due' };

/** The fate of each failed attempt: its retry (attempt + 1 of the same slot), the end of its slot (no retry left), or a retry still due. */
function retryFates(trials: readonly TrialState[], retries: number): (t: TrialState) => RetryFate {
	const byAttempt = new Map(trials.map((t) => [slotKey(t), t]));
	return (t) => {
		const retry = byAttempt.get(slotKey(t, t.asked.attempt + 1));
		if (retry !== undefined) return { kind: 'retried', retry };
		return t.asked.attempt > retries ? { kind: 'gave-up', attempts: t.asked.attempt } : { kind: 'due' };
	};
}

function fateText(fate: RetryFate, retries: number, metric: string, unendedKind: (t: TrialState) => string): string {
	switch (fate.kind) {
		case 'retried': {
			const r = fate.retry;
			const outcome = r.phase === 'complete' ? `complete, ${metric} ${fmt(r.complete?.value)}` : r.phase === 'failed' ? 'failed too' : unendedKind(r);
			return `retried as trial ${r.asked.trial}: ${outcome}`;
		}
		case 'gave-up':
			return retries === 0 ? 'not retried: retries is 0' : `gave up after ${fate.attempts} attempts`;
		case 'due':
			return 'will be retried';
	}
}
