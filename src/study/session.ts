/**
 * A study as one process holds it: its storage (journal/storage.ts: by default the file journal,
 * `results/<name>/journal.jsonl` plus its lock and presence files), the state replayed from it, the arms' searchers and tuners, and the transactions
 * the runner (run/runner.ts) and `ask`/`tell` make: decide the next lifetime and record how one ended,
 * each under the study lock and in one durable write. `Study` (study.ts) is its public face; its
 * ask/report/tell over these transactions are in session-ask.ts.
 */
import { availableParallelism } from 'node:os';
import type { SearcherConfig } from '../../searchers/config.js';
import { createTuner } from '../tuners/index.js';
import type { TunerConfig } from '../tuners/config.js';
import type { Searcher } from '../../searchers/searcher.js';
import { InputError, StateError } from '../core/errors.js';
import type { ObjectiveRef } from '../objectives/registry.js';
import type { ArchivedStudy } from './journal/archive.js';
import type { Outcome } from './run/evaluate.js';
import type { WarningSink } from './journal/journal.js';
import type { Owner } from './journal/lock.js';
import { checkedOutcome, endRecord, stageEnd } from './run/end-record.js';
import { TrialClaims } from './session-claims.js';
import type { LeaderEntry, StudyStorage } from './journal/storage.js';
import { decide, type ArmDriver, type Decision } from './run/scheduler.js';
import { clock, type Profile } from './journal/profile.js';
import { armPruner, armRole, type StudySpec } from './spec/spec.js';
import { type ReportAnswer, type ReportKind, reportStep } from './run/report-record.js';
import { reportAt, type StudyState, type TrialState } from './journal/state.js';
import { type Result, StorageWriter, type Stage } from './journal/writer.js';

export class StudySession {
	private readonly drivers = new Map<string, ArmDriver>();
	/** the trials this Study has started and not yet ended or released, with their leases */
	private readonly claims = new TrialClaims();
	private readonly writer: StorageWriter;
	private closed = false;
	/**
	 * The new result of a decision answered ahead of its write (`ahead`) whose write was refused (another
	 * worker wrote first) and that was made again: the lifetime started on the old one is given up
	 * (its reports answer stop, its end is not recorded) and the lane runs this one instead.
	 */
	private redone: Result | undefined;
	private readonly onRedone = (result: Result) => {
		this.redone = result;
	};
	/** where `fresh` moved the old journal (undefined when there was none to move) */
	archived: ArchivedStudy | undefined;

	/** made by `openSession` (session-open.ts) */
	constructor(
		readonly state: StudyState,
		readonly spec: StudySpec,
		readonly dir: string,
		readonly objectiveRef: ObjectiveRef,
		readonly me: Owner,
		private readonly storage: StudyStorage,
		private readonly makeSearcher: (config: SearcherConfig) => Searcher,
		private readonly profile: Profile | undefined,
		private readonly warn: WarningSink,
	) {
		// a batch the storage could not write is run again on a replayed state: claims start over too
		this.writer = new StorageWriter(storage, state, profile, () => this.claims.snapshot());
	}

	/** aborted (reason: the error) when the storage can no longer keep this process's trials (storage.ts) */
	get lost(): AbortSignal | undefined {
		return this.storage.lost;
	}

	get journalPath(): string {
		return this.storage.where;
	}

	/** Default concurrency: the study's, else the number of cores. */
	get concurrency(): number {
		return this.spec.concurrency ?? availableParallelism();
	}

	/** The searcher or online tuner of an arm (made once, from the arm's settings). */
	driver(arm: string): ArmDriver {
		let d = this.drivers.get(arm);
		if (d === undefined) {
			const role = armRole(this.arm(arm));
			d = role.role === 'search' ? { role: 'search', searcher: this.makeSearcher(role.config) } : { role: 'tune', tuner: createTuner(role.config) };
			this.drivers.set(arm, d);
		}
		return d;
	}

	/** The tuner settings a lifetime of this arm runs with (undefined for a searcher arm). */
	tuning(arm: string): TunerConfig | undefined {
		const d = this.driver(arm);
		return d.role === 'tune' ? d.tuner.config : undefined;
	}

	private arm(name: string) {
		const found = this.spec.arms.find((a) => a.name === name);
		if (found === undefined) throw new InputError(`no arm "${name}" in study ${this.spec.name}`);
		return found;
	}

	/** The trials this Study has started and not yet ended or released (what it counts as in flight). */
	get claimed(): ReadonlySet<number> {
		return this.claims.trials;
	}

	/** Read records other processes appended (no lock needed). */
	refresh(): void {
		this.state.apply(this.storage.readNew());
	}

	/**
	 * Decide the next lifetime for this process (under the lock, with the journal caught up) and append
	 * its records. `ahead`: the decision may be answered before its records are durable (writer.ts);
	 * only for a run's one lane, whose next call is `finishAndNext` of the lifetime it starts.
	 */
	next(inFlight: ReadonlySet<number>, stopping: boolean, ahead = false): Promise<Decision> {
		this.assertOpen();
		return this.writer.submit((stage) => this.takeRedone() ?? this.decideAndStage(stage, stopping), inFlight.size > 0, ahead ? this.onRedone : undefined);
	}

	/** The decision made again after a decision sent ahead was refused (`redone`), once; undefined when there is none. */
	private takeRedone(): Decision | undefined {
		const redone = this.redone;
		if (redone === undefined) return undefined;
		this.redone = undefined;
		if (!redone.ok) throw redone.error;
		return redone.value as Decision;
	}

	/** true while a decision sent ahead (`ahead`) has not been answered: it may yet be refused and made again */
	get unconfirmed(): boolean {
		return this.storage.unconfirmed === true;
	}

	trial(number: number): TrialState {
		const t = this.state.trials[number];
		if (t === undefined) throw new InputError(`no trial ${number} in study ${this.spec.name}`);
		return t;
	}

	/** Drop this Study's claim and lease on a trial: once its end is staged, or to give it up without one (an aborted lifetime: it re-runs later). */
	release(number: number): void {
		this.claims.release(number);
	}

	/**
	 * Under the lock: why the end of trial `number` may not be recorded by this Study (its lease passed
	 * to another run of the trial, or the trial ended meanwhile), or undefined when it may. A trial this
	 * Study holds no lease of (told without being asked here) may be ended as before.
	 */
	private leaseLost(number: number): string | undefined {
		return this.claims.refusal(this.trial(number), this.me);
	}

	/**
	 * `finish` then `next` in one lock hold and one durable write (the runner's step between two
	 * lifetimes). The end record is applied before deciding, exactly as the two calls in a row;
	 * `applied` runs in between (under the lock, before the write is durable), and `stopping` is read
	 * after it. `ahead` as in `next`. `superseded`: lifetime `number` was started on a decision answered
	 * ahead whose records were not written (another worker wrote first): its end is not recorded, and
	 * `decision` is the one made again in its place.
	 */
	async finishAndNext(
		number: number,
		outcome: Outcome,
		commit: string | undefined,
		inFlight: ReadonlySet<number>,
		stopping: () => boolean,
		applied?: () => void,
		ahead = false,
	): Promise<{ readonly decision: Decision; readonly refused: boolean; readonly superseded: boolean }> {
		this.assertOpen();
		let lost: string | undefined;
		let told = false;
		let superseded = false;
		const decision = await this.writer.submit(
			(stage) => {
				if (this.redone !== undefined) {
					superseded = true;
					lost = undefined;
					return this.takeRedone() as Decision;
				}
				// the end counts only under this Study's lease on the trial (a worker that stalled past its lease is refused)
				lost = this.leaseLost(number);
				if (lost === undefined) {
					const record = endRecord(number, checkedOutcome(this.spec, outcome), commit, this.claims.lease(number, this.me.run));
					if (record !== undefined) stageEnd(stage, record);
				}
				this.release(number);
				if (lost === undefined && !told) {
					told = true; // once, also when the storage has the batch run again
					applied?.();
				}
				return this.decideAndStage(stage, stopping());
			},
			inFlight.size > 0,
			ahead ? this.onRedone : undefined,
		);
		if (lost !== undefined) this.warn(`${this.storage.where}: trial ${number}: result not recorded: ${lost} (this worker stalled or lost the storage for longer than its lease)`);
		return { decision, refused: lost !== undefined, superseded };
	}

	private decideAndStage(stage: Stage, stopping: boolean): Decision {
		const t0 = clock(this.profile);
		const decision = decide({
			spec: this.spec,
			state: this.state,
			me: this.me,
			alive: (owner) => this.storage.alive(owner),
			driver: (arm) => this.driver(arm),
			inFlight: this.claims.trials,
			stopping,
		});
		this.profile?.add('ask', t0);
		if (decision.kind === 'run') {
			for (const r of decision.records) stage(r);
			this.claims.claim(decision.trial, this.trial(decision.trial).takes);
		}
		return decision;
	}

	/**
	 * Record lifetime `number`'s report (`step`, `value`) and say whether it goes on: `stop` when its
	 * arm's pruner stops it, `wait` when the decision needs an earlier lifetime's report first
	 * (run/pruner.ts), with `orphan` when nobody runs that lifetime now (its process died, or this
	 * process let it go). A report at a step already recorded (a re-run) gets the recorded answer
	 * and writes nothing.
	 */
	report(number: number, step: number, value: number, kind: ReportKind = { end: false }, values?: readonly number[]): Promise<ReportAnswer> {
		this.assertOpen();
		return this.writer.submit((stage): ReportAnswer => {
			// a lifetime started on a decision that was not written (`redone`) is given up: nothing of it is recorded
			if (this.redone !== undefined) return { kind: 'stop' };
			const t = this.trial(number);
			const recorded = reportAt(t, step);
			if (recorded !== undefined) return { kind: recorded.decision === 'stop' ? 'stop' : 'continue' };
			const pruner = t.asked.purpose === 'search' && !kind.end ? armPruner(this.spec, this.arm(t.asked.arm)) : undefined;
			const next = reportStep(this.spec, this.state, t, pruner, { step, value, values, end: kind.end });
			if (next.kind === 'wait') {
				const u = next.on;
				const orphan = !this.claims.trials.has(u.asked.trial) && (u.owner.run === this.me.run || !this.storage.alive(u.owner));
				return { kind: 'wait', orphan, on: `trial ${u.asked.trial}` };
			}
			stage(next.record);
			return { kind: next.record.decision === 'stop' ? 'stop' : 'continue' };
		}, true);
	}

	/**
	 * Workers of this study on this host share one deciding process (run/leader.ts): this host's live
	 * leader, else this process recorded as the leader listening at `socket` (storage.ts `elect`).
	 */
	elect(socket: string): Promise<LeaderEntry> {
		return this.electing()(socket);
	}

	/** The storage's election; InputError when it has none (the file journal). */
	electing(): (socket: string) => Promise<LeaderEntry> {
		const elect = this.storage.elect?.bind(this.storage);
		if (elect === undefined)
			throw new InputError(
				`electLeader: ${this.storage.where}: only a study stored in PostgreSQL (--storage postgresql://...) elects a leader; leave it out for the journal file`,
				undefined,
				'electLeader',
			);
		return elect;
	}

	/** This process leads no more: its leader entry goes. */
	async resign(): Promise<void> {
		await this.storage.resign?.();
	}

	/** Seconds this process's trials stay its own without a heartbeat (30 for the file journal). */
	get leaseSeconds(): number {
		return this.storage.leaseSeconds ?? 30;
	}

	/** Lock holds taken for journal operations so far, and operations run in them. */
	get lockStats(): { readonly batches: number; readonly ops: number } {
		return { batches: this.writer.batches, ops: this.writer.ops };
	}

	/**
	 * Record how trial `number` ended as told (`tell`, session-ask.ts): checked under the lock with the
	 * journal caught up, so two tells of one trial cannot both record.
	 */
	async recordTold(number: number, outcome: Outcome): Promise<void> {
		await this.writer.submit((stage) => {
			const t = this.trial(number);
			if (t.complete || t.failed) {
				const ended = t.complete ? `complete, ${this.spec.metric} ${t.complete.value}` : `failed: ${t.failed?.message ?? ''}`;
				throw new InputError(`tell: trial ${number} of study ${this.spec.name} has already ended (${ended}); each asked trial takes one tell`);
			}
			const lost = this.leaseLost(number);
			if (lost !== undefined) throw new StateError(`tell: trial ${number} of study ${this.spec.name}: not recorded: ${lost}; ask for the next trial`, this.storage.where);
			const record = endRecord(number, outcome, undefined, this.claims.lease(number, this.me.run));
			if (record !== undefined) stageEnd(stage, record);
			this.release(number);
		}, this.claims.trials.size > 1);
	}

	/** Every trial so far (latest state). */
	trials(): readonly TrialState[] {
		this.refresh();
		return this.state.trials.filter((t) => t !== undefined);
	}

	close(): void {
		if (this.closed) return;
		this.closed = true;
		// a database connection ends asynchronously; a failure to end it loses nothing recorded
		this.storage.close().catch(() => undefined);
	}

	/** Throws InputError once the study is closed. */
	assertOpen(): void {
		if (this.closed) throw new InputError(`study ${this.spec.name} is closed`);
	}
}
