/**
 * `metatune status`: what a study has done and is doing, read from its journal without the lock.
 * Lifetimes not ended are "running" when their process is alive, else "interrupted" (they re-run,
 * same params and seed, on the next `metatune run`).
 */
import { lossSign } from '../../searchers/common.js';
import { textTable } from '../cli/format.js';
import { ownerAlive } from '../study/owners.js';
import { armCounts } from '../study/progress.js';
import type { TrialState } from '../study/state.js';
import { join } from 'node:path';
import type { StoredStudy } from './load.js';

const fmt = (x: number | undefined) => (x === undefined ? '-' : String(Number(x.toPrecision(4))));
/** Meta-gradient lifetimes start from the proposed gamma and log where they ended. */
const finalGamma = (t: TrialState) => {
	const g = t.complete?.fields.final_gamma;
	return typeof g === 'number' ? ` -> final gamma=${Number(g.toPrecision(4))}` : '';
};

const paramsText = (p: Record<string, unknown>) =>
	Object.entries(p)
		.map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : String(v)}`)
		.join(', ');

export function studyStatus(stored: StoredStudy): string {
	const { spec, state } = stored;
	const sign = lossSign(spec.direction);
	const trials = state.trials.filter((t): t is TrialState => t !== undefined);
	const counts = armCounts(stored);
	const rows = spec.arms.map((arm, i) => {
		const c = counts[i];
		let best: TrialState | undefined;
		for (const t of trials) {
			if (t.asked.arm !== arm.name || t.asked.purpose !== 'search' || t.complete === undefined) continue;
			if (best?.complete === undefined || sign * t.complete.value < sign * best.complete.value) best = t;
		}
		return [arm.name, arm.config.kind, `${c?.ended ?? 0}/${c?.total ?? 0}`, String(c?.failed ?? 0), best?.complete ? `${fmt(best.complete.value)} (${paramsText(best.asked.params)}${finalGamma(best)})` : '-'];
	});
	const ownersDir = join(stored.dir, 'owners');
	const unended = state.unended();
	const running = unended.filter((t) => ownerAlive(ownersDir, t.owner));
	const interrupted = unended.filter((t) => !ownerAlive(ownersDir, t.owner));
	const failed = trials.filter((t) => t.phase === 'failed');
	const ended = counts.reduce((s, c) => s + c.ended, 0);
	const total = counts.reduce((s, c) => s + c.total, 0);
	const objective = spec.objective.kind === 'bandit' ? 'bandit' : `module ${spec.objective.module}`;
	const lines = [
		`Study ${spec.name} (${stored.journalPath})`,
		`objective ${objective} | metric ${spec.metric} (${spec.direction}) | budget ${spec.budget} per arm, repeats ${spec.repeats}, reevaluate ${spec.reevaluate}`,
		`${ended}/${total} lifetimes ended${ended >= total ? ' (complete)' : ''} | ${running.length} running | ${interrupted.length} interrupted | ${failed.length} failed attempts`,
		'',
		textTable(['Arm', 'Searcher', 'Lifetimes', 'Failed', `Best ${spec.metric} (params)`], rows, ['left', 'left', 'right', 'right', 'left']),
	];
	const list = (title: string, ts: readonly TrialState[], extra: (t: TrialState) => string) => {
		if (ts.length === 0) return;
		lines.push('', title);
		for (const t of ts.slice(0, 20)) lines.push(`  trial ${t.asked.trial} (${t.asked.arm}, ${t.asked.purpose} slot ${t.asked.slot}, seed ${t.asked.seed}): ${paramsText(t.asked.params)}${extra(t)}`);
		if (ts.length > 20) lines.push(`  ... and ${ts.length - 20} more`);
	};
	list('Running:', running, (t) => ` on ${t.owner.host} pid ${t.owner.pid}${t.started_at ? ` since ${t.started_at}` : ''}`);
	list('Interrupted (re-run on the next `metatune run`):', interrupted, () => '');
	list('Failed:', failed, (t) => ` -- ${t.failed?.reason}: ${t.failed?.message}${t.asked.attempt <= spec.retries ? ' (will be retried)' : ''}`);
	return lines.join('\n');
}
