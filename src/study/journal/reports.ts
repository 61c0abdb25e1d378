/**
 * A lifetime's intermediate reports, indexed so that every question the session, the pruners and
 * the readers ask about them is O(1): the report at a step or at a rung, the first `stop` decision,
 * the highest step and rung reached. A lifetime may print a million reports; a scan per report made
 * recording and replaying them quadratic (100k reports: 23 s to run, 5.6 s to read back).
 */
import type { ReportRecord } from './journal.js';

export class ReportLog {
	/** in the order recorded, one per step (readers draw and export this) */
	readonly list: ReportRecord[] = [];
	private readonly byStep = new Map<number, ReportRecord>();
	/** the first report at each rung */
	private readonly byRung = new Map<number, ReportRecord>();
	/** the first report whose decision was `stop` */
	stop: ReportRecord | undefined;
	maxStep = Number.NEGATIVE_INFINITY;
	maxRung = Number.NEGATIVE_INFINITY;

	/** Add a report; false (nothing added) when one at its step is recorded already. */
	add(r: ReportRecord): boolean {
		if (this.byStep.has(r.step)) return false;
		this.list.push(r);
		this.byStep.set(r.step, r);
		if (r.step > this.maxStep) this.maxStep = r.step;
		if (r.rung !== undefined) {
			if (!this.byRung.has(r.rung)) this.byRung.set(r.rung, r);
			if (r.rung > this.maxRung) this.maxRung = r.rung;
		}
		if (r.decision === 'stop') this.stop ??= r;
		return true;
	}

	at(step: number): ReportRecord | undefined {
		return this.byStep.get(step);
	}

	atRung(rung: number): ReportRecord | undefined {
		return this.byRung.get(rung);
	}
}
