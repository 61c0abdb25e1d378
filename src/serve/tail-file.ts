/**
 * Following a study's journal file: the bytes appended since the last read are parsed (complete
 * lines only: journal.ts `Journal.readNew`, read-only, the way `status` reads) and applied to the
 * study (live-study.ts), so one new record costs the same whatever the journal's length.
 *
 * When to read: `fs.watch` on the study's folder (it reports appends, and the journal being
 * replaced or removed), plus a stat of the file every `pollMs` for filesystems where watch misses
 * events (network mounts, some containers). A stat that shows nothing new costs no read.
 *
 *   replaced   the path names another file (`run --fresh` archived the old one and started a new
 *              one) or the file is shorter than what was read (truncated): read again from byte 0
 *   gone       no file (the study was deleted or moved): a standing warning, the last state is
 *              forgotten, and the reader waits for a journal to appear there again (`run --fresh`
 *              can look like this too: the old journal moved away before the new one is made)
 *
 * Catching up (a whole journal at start, or after a replace): one batch of records per turn of the
 * event loop (1,000 records, about 200 kB, unless told otherwise), so the server answers requests meanwhile and the page
 * shows the study's loading progress (`LiveStudy.loading`). Each batch is handed over with the
 * journal text it was read from, so the figure worker parses that text itself (a structured clone
 * of 200k records cost more than parsing them: figure-pool.ts).
 *
 * The reader never writes: a torn last line is left for a later read (it may be a write in
 * progress), as every reader outside the study lock does.
 */
import { existsSync, type FSWatcher, statSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { Journal } from '../study/journal/journal.js';
import type { LiveStudy } from './live-study.js';

/** Records read per turn of the event loop while catching up, by default (about 200 kB of journal: 5 ms of CPU, so a request waits little) */
const defaultBatch = 1_000;

export class FileTail {
	private journal: Journal | undefined;
	private ino = -1;
	/** the file's size at the last read: a smaller one means it was truncated */
	private size = 0;
	private mtimeMs = 0;
	private watcher: FSWatcher | undefined;
	private timer: NodeJS.Timeout | undefined;
	private scheduled = false;
	private closed = false;
	/** a next batch is due (catching up): the watch and the poll leave the reading to it */
	private more = false;

	constructor(
		readonly path: string,
		private readonly study: LiveStudy,
		/** called after records were applied or the study was reset */
		private readonly changed: () => void,
		private readonly pollMs = 250,
		private readonly batchRecords = defaultBatch,
	) {}

	/** Read what is there now, then follow the file. */
	start(): void {
		this.check();
		this.timer = setInterval(() => this.more || this.check(), this.pollMs);
		this.timer.unref();
	}

	close(): void {
		this.closed = true;
		if (this.timer !== undefined) clearInterval(this.timer);
		this.watcher?.close();
		this.watcher = undefined;
		this.journal?.close();
		this.journal = undefined;
	}

	/** Watch the study's folder (re-armed when it comes back after being removed). */
	private arm(): void {
		if (this.watcher !== undefined || this.closed) return;
		const dir = dirname(this.path);
		if (!existsSync(dir)) return;
		try {
			const name = basename(this.path);
			this.watcher = watch(dir, { persistent: false }, (_event, file) => {
				if (file === null || file === name) this.schedule();
			});
			this.watcher.on('error', () => {
				this.watcher?.close();
				this.watcher = undefined;
			});
		} catch {
			this.watcher = undefined; // the stat poll still follows the file
		}
	}

	/** Coalesce a burst of watch events into one read. */
	private schedule(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		setImmediate(() => {
			this.scheduled = false;
			if (!this.more) this.check(); // while catching up, the next batch is already due
		});
	}

	/** Stat the file and read what was appended, or start over when it was replaced or removed. */
	check(): void {
		if (this.closed) return;
		this.arm();
		let st: { ino: number; size: number; mtimeMs: number };
		try {
			st = statSync(this.path);
		} catch {
			this.gone();
			return;
		}
		if (this.journal !== undefined && (st.ino !== this.ino || st.size < this.size)) {
			this.journal.close();
			this.journal = undefined;
			this.study.reset();
			this.study.warn(`${this.path}: the journal was replaced (run --fresh, or the study was re-created); showing the new one from its start`);
		}
		if (this.journal === undefined) {
			try {
				this.journal = new Journal(this.path, (m) => this.study.warn(m), true);
			} catch (error) {
				this.study.setProblem('unreadable', `${this.path}: cannot read the journal: ${errorMessage(error)}`);
				this.changed();
				return;
			}
			if (this.ino === -2) this.study.warn(`${this.path}: the journal is back (the study was run again, or with --fresh); showing it from its start`);
			this.ino = st.ino;
			this.size = 0;
			this.mtimeMs = -1;
			this.study.setProblem('gone', undefined);
			this.study.setProblem('unreadable', undefined);
		}
		if (st.size === this.size && st.mtimeMs === this.mtimeMs && !this.more) return;
		const before = this.study.version;
		const journal = this.journal;
		const firstLine = journal.linesRead + 1;
		const text: string[] = [];
		this.more = false;
		try {
			const batch = journal.readNew(false, this.batchRecords, text);
			this.study.apply(batch, { text: text.join('\n'), firstLine });
			this.more = batch.length >= this.batchRecords && journal.bytesRead < st.size;
		} catch (error) {
			// a study record of a journal version this code does not read: said once, as the CLI says it
			this.study.setProblem('unreadable', errorMessage(error));
		}
		if (this.more) {
			this.study.setLoading({ read: journal.bytesRead, size: st.size });
			setImmediate(() => this.check()); // the next batch after the requests waiting
		} else {
			this.study.setLoading(undefined);
			this.size = st.size;
			this.mtimeMs = st.mtimeMs;
		}
		if (this.study.version !== before) this.changed();
	}

	private gone(): void {
		if (this.journal === undefined && this.ino === -2) return;
		this.journal?.close();
		this.journal = undefined;
		this.ino = -2;
		this.size = 0;
		this.watcher?.close();
		this.watcher = undefined;
		this.study.reset();
		this.study.setProblem('gone', `${this.path}: the journal is gone (the study was deleted or moved); waiting for it to come back`);
		this.changed();
	}
}
