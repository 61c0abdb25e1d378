/**
 * Progress for long CLI work on stderr: a live bar on a terminal (cli-progress), plain periodic lines
 * otherwise (every 10% or 15 s, whichever comes first), so logs stay readable.
 */
import cliProgress from 'cli-progress';

export interface ProgressReporter {
	update(done: number, message?: string): void;
	stop(): void;
}

export function progressReporter(unit: string, total: number, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
	const started = Date.now();
	if (stream.isTTY) {
		const bar = new cliProgress.SingleBar(
			{ format: `{bar} {value}/{total} ${unit} | {message} | ETA {eta_formatted}`, stream, hideCursor: true, etaBuffer: 50, clearOnComplete: false },
			cliProgress.Presets.shades_classic,
		);
		bar.start(total, 0, { message: '' });
		return { update: (done, message = '') => bar.update(done, { message }), stop: () => bar.stop() };
	}
	let lastAt = started;
	let lastFraction = 0;
	let lastDone = 0;
	return {
		update(done, message = '') {
			lastDone = done;
			const now = Date.now();
			const fraction = total > 0 ? done / total : 1;
			if (fraction - lastFraction < 0.1 && now - lastAt < 15_000 && done < total) return;
			lastAt = now;
			lastFraction = fraction;
			const elapsed = (now - started) / 1000;
			const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : Number.NaN;
			stream.write(
				`${done}/${total} ${unit} (${Math.round(100 * fraction)}%)${message ? ` | ${message}` : ''} | ${elapsed.toFixed(0)}s elapsed, ETA ${Number.isFinite(eta) ? `${Math.max(0, eta).toFixed(0)}s` : '?'}\n`,
			);
		},
		stop() {
			if (lastDone < total && lastDone > 0) stream.write(`stopped at ${lastDone}/${total} ${unit}\n`);
		},
	};
}
