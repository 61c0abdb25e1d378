/**
 * How a lifetime's report becomes a journal record (StudySession.report): the record with its
 * pruner's verdict and rung (run/pruner.ts), a segment's last report announcing its checkpoint, or
 * that the verdict must wait for another lifetime's report first.
 *
 * A list of values is kept only in a study with as many metrics (>= 2): the pruner then judges the
 * report by dominance; otherwise the first metric's value alone is recorded and judged.
 */
import type { PrunerConfig } from '../spec/pruner.js';
import type { StudySpec } from '../spec/spec.js';
import { now, type ReportRecord } from '../journal/journal.js';
import type { StudyState, TrialState } from '../journal/state.js';
import { judge } from './pruner.js';

/** A report's answer (StudySession.report): `wait` names the trial, `orphan` when nobody runs it now. */
export type ReportAnswer = { readonly kind: 'continue' } | { readonly kind: 'stop' } | { readonly kind: 'wait'; readonly orphan: boolean; readonly on: string };

/** How a report of a population member's segment is recorded: `end` is its last report, which announced its checkpoint (segment.ts). */
export interface ReportKind {
	readonly end: boolean;
}

export type ReportStep = { readonly kind: 'record'; readonly record: ReportRecord } | { readonly kind: 'wait'; readonly on: TrialState };

/**
 * The record of trial `t`'s report (`step`, `value`, `values`) under `pruner` (undefined: the arm's
 * lifetimes are not pruned), or the trial whose report the verdict waits for. `end`: a population
 * segment's last report, which stops it there with the checkpoint it announced.
 */
export function reportStep(
	spec: StudySpec,
	state: StudyState,
	t: TrialState,
	pruner: PrunerConfig | undefined,
	report: { readonly step: number; readonly value: number; readonly values?: readonly number[] | undefined; readonly end: boolean },
): ReportStep {
	const { step, value, values } = report;
	const index = t.reports?.length ?? 0;
	if (report.end) return { kind: 'record', record: { type: 'report', at: now(), trial: t.asked.trial, step, value, index, decision: 'stop', checkpoint: true } };
	const kept = values !== undefined && values.length === (spec.metrics?.length ?? 1) && values.length > 1 ? values : undefined;
	const j =
		pruner === undefined
			? { kind: 'record' as const }
			: judge(pruner, spec.direction, state, t, step, value, spec.metrics === undefined ? undefined : { directions: spec.metrics.map((m) => m.direction), values: kept });
	if (j.kind === 'wait') return j;
	return {
		kind: 'record',
		record: {
			type: 'report',
			at: now(),
			trial: t.asked.trial,
			step,
			value,
			...(kept === undefined ? {} : { values: [...kept] }),
			index,
			...(j.rung === undefined ? {} : { rung: j.rung }),
			...(j.decision === undefined ? {} : { decision: j.decision }),
		},
	};
}
