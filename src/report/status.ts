/**
 * `metatune status`: what a study has done and is doing (status-data.ts), as text or JSON. Lifetimes
 * not ended are "running" when their process is alive, else "interrupted" (they re-run, same params
 * and seed, on the next `metatune run`, unless the journal is corrupted: then `run` refuses it).
 *
 * A failed attempt says what became of its slot: `retried as trial N` with that retry's outcome,
 * `gave up after K attempts` when it was the slot's last attempt allowed by `retries`, or
 * `will be retried` only when its retry is still due (not asked yet).
 */
import { grouped, plainStyle, printable, type TextStyle, textTable } from '../core/format.js';
import { paramsText, paramValueText } from '../core/space.js';
import type { StoredStudy } from '../study/view.js';
import type { StatusFormat } from './formats.js';
import { type RetryFate, type StatusLifetime, type StudyStatus, statusOf } from './status-data.js';

const fmt = (x: number | null | undefined) => (x === undefined || x === null ? '-' : String(Number(x.toPrecision(4))));

/** The status of a stored study as text (`style`: what a terminal colours) or as one JSON object. */
export function studyStatus(stored: StoredStudy, format: StatusFormat = 'text', style: TextStyle = plainStyle): string {
	const status = statusOf(stored);
	switch (format) {
		case 'text':
			return statusText(status, style, stored.corrupted === true);
		case 'json':
			return JSON.stringify(status, null, 2);
	}
}

/** `corrupted`: the journal holds a corrupted record, so `run` refuses it: resuming does not re-run the interrupted lifetimes. */
function statusText(s: StudyStatus, style: TextStyle, corrupted: boolean): string {
	const { lifetimes: l, failed_attempts: f } = s;
	const fateSummary = [`${f.retried} retried`, `${f.gave_up} gave up`, `${f.to_retry} to retry`].filter((x) => !x.startsWith('0 '));
	const complete = l.ended >= l.total;
	const count = (n: number, text: string, tone: 'busy' | 'bad') => (n > 0 ? style.tone(tone, `${n} ${text}`) : `${n} ${text}`);
	const rows = s.arms.map((arm) => [
		arm.name,
		arm.searcher,
		`${arm.ended}/${arm.total}`,
		String(arm.failed),
		...(s.pruning ? [String(arm.pruned), arm.env_steps === null ? '-' : grouped(arm.env_steps)] : []),
		...(s.metrics === undefined ? [] : [arm.front === undefined ? '-' : `${arm.front.size}${arm.front.infeasible > 0 ? ` (${arm.front.infeasible} infeasible)` : ''}`]),
		arm.best === null
			? '-'
			: `${fmt(arm.best.value)} (${paramsText(arm.best.params)}${Object.entries(arm.best.final ?? {})
					.map(([name, v]) => ` -> final ${name}=${paramValueText(v)}`)
					.join('')})`,
	]);
	const lines = [
		`Study ${s.study} (${s.where})`,
		`objective ${s.objective} | ${s.metrics === undefined ? `metric ${s.metric} (${s.direction})` : `metrics ${s.metrics.map((m) => `${m.name} (${m.direction})`).join(', ')}`} | budget ${s.budget} per arm, repeats ${s.repeats}, reevaluate ${s.reevaluate}`,
		...(s.checkpoints === null ? [] : [`checkpoints: ${s.checkpoints.folders} held, ${grouped(s.checkpoints.bytes)} bytes`]),
		`${l.ended}/${l.total} lifetimes ended${complete ? style.tone('good', ' (complete)') : ''} | ${count(l.running, 'running', 'busy')} | ${count(l.interrupted, 'interrupted', 'bad')} | ${count(f.total, 'failed attempts', 'bad')}${fateSummary.length > 0 ? ` (${fateSummary.join(', ')})` : ''}`,
		'',
		textTable(
			['Arm', 'Searcher', 'Lifetimes', 'Failed', ...(s.pruning ? ['Pruned', 'Env steps'] : []), ...(s.metrics === undefined ? [] : ['Front']), `Best ${s.metric} (params)`],
			rows,
			['left', 'left', 'right', 'right', ...(s.pruning ? (['right', 'right'] as const) : []), ...(s.metrics === undefined ? [] : (['right'] as const)), 'left'],
			{ style, tone: (row, column) => (column === 2 && s.arms[row]?.ended === s.arms[row]?.total ? 'good' : column === 3 && (s.arms[row]?.failed ?? 0) > 0 ? 'bad' : undefined) },
		),
	];
	const list = (title: string, ts: readonly StatusLifetime[], extra: (i: number) => string) => {
		if (ts.length === 0) return;
		lines.push('', style.header(title));
		ts.slice(0, 20).forEach((t, i) => {
			lines.push(`  trial ${t.trial} (${t.arm}, ${t.purpose} slot ${t.slot}, seed ${t.seed}): ${paramsText(t.params)}${extra(i)}`);
		});
		if (ts.length > 20) lines.push(`  ... and ${ts.length - 20} more`);
	};
	list('Running:', s.running, (i) => {
		const t = s.running[i];
		if (t === undefined) return '';
		return ` on ${t.host} pid ${t.pid}${t.since ? ` since ${t.since}` : ''}${t.last_report === null ? '' : `, at step ${t.last_report.step}: ${fmt(t.last_report.value)}`}`;
	});
	list(corrupted ? 'Interrupted (`metatune run` refuses this corrupted journal until it is repaired: see the warning):' : 'Interrupted (re-run on the next `metatune run`):', s.interrupted, () => '');
	list('Failed:', s.failed, (i) => {
		const t = s.failed[i];
		return t === undefined ? '' : ` -- ${style.tone('bad', `${t.reason}: ${printable(t.message)}`)} (${fateText(t.fate, s.metric)})`;
	});
	return lines.join('\n');
}

function fateText(fate: RetryFate, metric: string): string {
	switch (fate.kind) {
		case 'retried': {
			const outcome = fate.outcome === 'complete' ? `complete, ${metric} ${fmt(fate.value)}` : fate.outcome === 'failed' ? 'failed too' : fate.outcome;
			return `retried as trial ${fate.trial}: ${outcome}`;
		}
		case 'gave up':
			return `gave up after ${fate.attempts} attempts`;
		case 'not retried':
			return 'not retried: retries is 0';
		case 'to retry':
			return 'will be retried';
	}
}
