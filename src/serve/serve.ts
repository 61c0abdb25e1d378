/**
 * `metatune serve`: follow studies (journal files under a results folder, or a PostgreSQL database)
 * and serve a live page of them on one HTTP port. The studies named, or every study there (then
 * studies that appear later are added). Each is read whole once, then followed record by record
 * (tail-file.ts, tail-postgres.ts); every change is pushed to the open pages (hub.ts).
 *
 * Bad input is one line each: a study that does not exist (the CLI's message, with the nearest
 * name), a port in use, a database unreachable at start. Later troubles (a corrupted record, a
 * study deleted or started over, a database gone) are warnings: printed once and shown on the
 * page, and the server goes on.
 */
import { createServer, type Server } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../core/errors.js';
import { isPostgresUrl } from '../study/journal/postgres.js';
import { urlLabel } from '../study/journal/url-label.js';
import { findJournal, studyFolderNames } from '../study/stored.js';
import { FigureWorker, WorkerCache } from './figure-pool.js';
import type { FigureSet } from './figures.js';
import { EventHub } from './hub.js';
import { LiveStudy } from './live-study.js';
import { handle, type Served } from './routes.js';
import { FileTail } from './tail-file.js';
import { PgTail } from './tail-postgres.js';
import type { OverviewSource } from './routes.js';
import { liveOverview, type StudyOverview, studyRow } from './views.js';

export interface ServeOptions {
	/** study names, folders or study files (none: every study there) */
	readonly studies: readonly string[];
	readonly resultsDir?: string;
	/** a PostgreSQL URL; undefined: the journal files under resultsDir */
	readonly storage?: string | undefined;
	/** 0: any free port */
	readonly port?: number;
	readonly host?: string;
	/** warnings (one line each, without the `metatune: warning:` prefix); default stderr */
	readonly warn?: (message: string) => void;
	/** how often a journal file is stat'ed besides fs.watch (ms; default 250) */
	readonly pollMs?: number;
	/** records of a journal file read per turn of the event loop while catching up (default 1,000: about 200 kB) */
	readonly readBatch?: number;
	/** how often a PostgreSQL study is read besides LISTEN/NOTIFY (ms; default 5000) */
	readonly databasePollMs?: number;
}

export interface Serving {
	readonly url: string;
	readonly port: number;
	readonly studies: ReadonlyMap<string, LiveStudy>;
	close(): Promise<void>;
}

/**
 * A study's overview: from the main thread's replay, or from the worker's copy once it has one and
 * has computed a first overview from it (then the main thread is not held up by it; meanwhile the
 * page is not kept waiting for the worker's start and parse).
 */
function overviewSource(worker: FigureWorker, key: string): OverviewSource {
	const inWorker = new WorkerCache<StudyOverview>(worker, 'overview', 0);
	return {
		get: async (live) => {
			if (!worker.follows(key)) return liveOverview(live);
			if (inWorker.computed) return inWorker.get(live);
			inWorker.get(live).catch(() => undefined); // the worker's first, while the main thread answers
			return liveOverview(live);
		},
	};
}

const loopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

/**
 * Start following the studies and serving them; resolves once the port is bound. A journal file is
 * read on in the background from there (batch by batch, with its progress on the page: tail-file.ts);
 * a database's studies are read before.
 */
export async function serve(options: ServeOptions): Promise<Serving> {
	const warn = options.warn ?? ((m: string) => process.stderr.write(`metatune: warning: ${m}\n`));
	const host = options.host ?? '127.0.0.1';
	const resultsDir = options.resultsDir ?? 'results';
	const hub = new EventHub();
	const figureWorker = new FigureWorker();
	const entries = new Map<string, { live: LiveStudy; overview: OverviewSource; figures: WorkerCache<FigureSet> }>();
	const stoppers: (() => unknown)[] = [() => hub.close(), () => figureWorker.close()];
	const changed = (live: LiveStudy) => hub.schedule(live.key, () => studyRow(live));
	const added = (live: LiveStudy) => {
		figureWorker.watch(live);
		entries.set(live.key, { live, overview: overviewSource(figureWorker, live.key), figures: new WorkerCache(figureWorker, 'figures', 1000) });
		hub.schedule('', () => [...entries.values()].map((e) => studyRow(e.live)), 'studies');
	};
	const dedupe = (key: string, study: string) => {
		if (entries.has(key)) throw new InputError(`${study}: names the study ${key} a second time; name each study once`, study, 'studies');
	};

	try {
		if (options.storage !== undefined) {
			if (!isPostgresUrl(options.storage))
				throw new InputError(`--storage: ${urlLabel(options.storage)} is not a PostgreSQL URL; use postgresql://user@host:port/database, or leave it out for the journal files`, undefined, 'storage');
			const label = urlLabel(options.storage);
			const following = new Set<string>();
			const follow = async (name: string, mustExist: boolean) => {
				if (following.has(name)) return;
				following.add(name);
				const live = new LiveStudy(name, `${label} (study ${name})`, join(resultsDir, name), warn);
				added(live);
				try {
					await tail.follow(name, live, mustExist);
				} catch (error) {
					entries.delete(name);
					throw error;
				}
			};
			const tail: PgTail = new PgTail(options.storage, changed, options.studies.length === 0 ? (name) => void follow(name, false).catch(() => undefined) : undefined, options.databasePollMs);
			await tail.start();
			stoppers.push(() => tail.close());
			for (const study of options.studies) {
				dedupe(study, study);
				await follow(study, true);
			}
			if (options.studies.length === 0) for (const name of await tail.names()) await follow(name, false);
		} else {
			const follow = (journal: string) => {
				const key = basename(dirname(journal));
				const live = new LiveStudy(key, journal, dirname(journal), warn);
				const tail = new FileTail(journal, live, () => changed(live), options.pollMs, options.readBatch);
				added(live);
				tail.start();
				stoppers.push(() => tail.close());
			};
			const journals = options.studies.map((s) => findJournal(s, resultsDir));
			for (const j of journals) {
				dedupe(basename(dirname(j)), options.studies[journals.indexOf(j)] as string);
				follow(j);
			}
			if (options.studies.length === 0) {
				const scan = () => {
					for (const name of studyFolderNames(resultsDir)) if (!entries.has(name)) follow(join(resultsDir, name, 'journal.jsonl'));
				};
				scan();
				const timer = setInterval(scan, 1000);
				timer.unref();
				stoppers.push(() => clearInterval(timer));
			}
		}
	} catch (error) {
		// a study that does not exist, a database unreachable: nothing is left running
		for (const stop of stoppers) await stop();
		throw error;
	}
	const hosts = loopback(host) ? new Set<string>() : undefined;
	const served: Served = { studies: entries, hub, hosts };
	const server = createServer((req, res) => handle(served, req, res));
	let port: number;
	try {
		port = await listen(server, options.port ?? 8080, host);
	} catch (error) {
		for (const stop of stoppers) await stop();
		throw error;
	}
	if (hosts !== undefined) for (const name of ['localhost', host, host.includes(':') ? `[${host}]` : host]) hosts.add(`${name}:${port}`);
	if (!loopback(host))
		warn(
			`--host ${host}: anyone who can reach port ${port} of this machine can read every study served (there is no login); serve on 127.0.0.1 (the default) and use an SSH tunnel unless that is what you want`,
		);
	const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
	return {
		url: `http://${shown}:${port}/`,
		port,
		get studies() {
			return new Map([...entries].map(([k, v]) => [k, v.live]));
		},
		close: async () => {
			for (const stop of stoppers) await stop();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** Bind, or one line saying why not. */
function listen(server: Server, port: number, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
			if (error.code === 'EADDRINUSE') reject(new InputError(`--port ${port}: ${where} is in use (another metatune serve?); pick another port, or --port 0 for any free one`, undefined, 'port'));
			else if (error.code === 'EACCES') reject(new InputError(`--port ${port}: not allowed to listen on ${where} (ports below 1024 need privileges); pick a port above 1024`, undefined, 'port'));
			else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
				reject(new InputError(`--host ${host}: not an address of this machine; use 127.0.0.1, or 0.0.0.0 for every address`, undefined, 'host'));
			else reject(error);
		});
		server.listen(port, host, () => {
			const address = server.address();
			resolve(typeof address === 'object' && address !== null ? address.port : port);
		});
	});
}
