/**
 * Run progress on stderr: per arm, lifetimes ended / total (budget + re-evaluations), best so far,
 * and an ETA from this run's pace. On a terminal, one live bar per arm (cli-progress); otherwise a
 * plain line every `everyMs` (and at 25/50/75/100%) so logs stay readable. Arm and study names,
 * failure counts and the stopping line are coloured when the stream gets colour (colour.ts).
 */
import cliProgress from 'cli-progress';
import { duration } from '../core/format.js';
import type { RunEvent } from '../study/run/runner.js';
import { paintFor } from './colour.js';
import { sessionOf, type Study } from '../study/study.js';
import { armCounts as countsOf, type ArmCounts } from '../study/view.js';

const armCounts = (study: Study): ArmCounts[] => countsOf(sessionOf(study));

const fmt = (x: number | undefined) => (x === undefined ? '-' : String(Number(x.toPrecision(4))));

export interface ProgressView {
	onEvent(event: RunEvent): void;
	/** print a line without breaking the bars (a warning during the run) */
	note(line: string): void;
	stop(): void;
}

export function progressView(study: Study, stream: NodeJS.WriteStream = process.stderr, everyMs = 10_000): ProgressView {
	const started = Date.now();
	const paint = paintFor(stream);
	const stopping = `${paint.tone('busy', 'Stopping:')} no new lifetimes; waiting for running ones (Ctrl-C again to abort them).\n`;
	const initial = armCounts(study).reduce((s, c) => s + c.ended, 0);
	const eta = (counts: ArmCounts[]) => {
		const ended = counts.reduce((s, c) => s + c.ended, 0);
		const total = counts.reduce((s, c) => s + c.total, 0);
		const doneHere = ended - initial;
		if (doneHere <= 0) return '?';
		return duration((((Date.now() - started) / 1000) * Math.max(0, total - ended)) / doneHere);
	};
	if (stream.isTTY) {
		const multi = new cliProgress.MultiBar(
			// `remaining`, not `eta`: cli-progress fills its own {eta} token with a bare number of seconds
			{ format: `${paint.bold('{arm}')} {bar} {value}/{total} lifetimes | best {best} | failed {failed} | ETA {remaining}`, stream, hideCursor: true, clearOnComplete: false, barsize: 24 },
			cliProgress.Presets.shades_classic,
		);
		const width = Math.max(...study.spec.arms.map((a) => a.name.length));
		const bars = new Map(armCounts(study).map((c) => [c.arm, multi.create(c.total, c.ended, { arm: c.arm.padEnd(width), best: fmt(c.best), failed: c.failed, remaining: '?' })]));
		let stopped = false;
		const update = () => {
			if (stopped) return;
			const counts = armCounts(study);
			const e = eta(counts);
			for (const c of counts) bars.get(c.arm)?.update(c.ended, { best: fmt(c.best), failed: c.failed, remaining: e });
		};
		return {
			onEvent: (event) => {
				if (event.type === 'finished') update();
				else if (event.type === 'stopping') multi.log(stopping);
			},
			note: (text) => multi.log(`${text}\n`),
			stop: () => {
				if (stopped) return;
				stopped = true;
				update();
				multi.stop();
			},
		};
	}
	let last = Date.now();
	let lastQuarter = 0;
	const line = () => {
		const counts = armCounts(study);
		const ended = counts.reduce((s, c) => s + c.ended, 0);
		const total = counts.reduce((s, c) => s + c.total, 0);
		const arms = counts.map((c) => `${paint.bold(c.arm)} ${c.ended}/${c.total} best ${fmt(c.best)}${c.failed > 0 ? ` ${paint.tone('bad', `(${c.failed} failed)`)}` : ''}`).join(' | ');
		stream.write(`${paint.bold(`[${study.spec.name}]`)} ${ended}/${total} lifetimes | ${arms} | ETA ${eta(counts)}\n`);
		return total > 0 ? ended / total : 1;
	};
	return {
		onEvent: (event) => {
			if (event.type === 'stopping') stream.write(stopping);
			if (event.type !== 'finished') return;
			const counts = armCounts(study);
			const fraction =
				counts.reduce((s, c) => s + c.ended, 0) /
				Math.max(
					1,
					counts.reduce((s, c) => s + c.total, 0),
				);
			const quarter = Math.floor(fraction * 4);
			if (Date.now() - last >= everyMs || quarter > lastQuarter) {
				last = Date.now();
				lastQuarter = quarter;
				line();
			}
		},
		note: (text) => stream.write(`${text}\n`),
		stop: () => undefined,
	};
}
