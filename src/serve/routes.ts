/**
 * The HTTP routes of `metatune serve` (node:http, GET only):
 *
 *   /  /app.js  /app.css            the page (assets/: plain HTML, script and style, no build step)
 *   /vendor/vega.js, vega-lite.js   Vega and Vega-Lite's browser builds, read from the package's own
 *                                   node_modules (no CDN: the page works offline)
 *   /api/studies                    the study list (views.ts StudyRow[])
 *   /api/study?key=K                one study's overview (views.ts)
 *   /api/figures?key=K              its figures as Vega-Lite specs (figures.ts)
 *   /api/lifetimes?key=K&sort=&dir=&filter=&page=&size=   one page of its lifetime table (lifetimes.ts)
 *   /api/events                     server-sent events (hub.ts)
 *
 * Safety: every response forbids loading anything from elsewhere (Content-Security-Policy: only
 * this origin; Vega compiles its expressions with `Function`, hence 'unsafe-eval', and no inline
 * script is allowed, so markup smuggled into the page could not run); the page writes study values
 * as text only. A request whose Host is not the address served is refused when serving a loopback
 * address, so a web page elsewhere cannot read the studies through DNS rebinding.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkerCache } from './figure-pool.js';
import type { FigureSet } from './figures.js';
import { type EventHub, message } from './hub.js';
import { type LifetimeQuery, type SortColumn, sortColumns } from './lifetimes.js';
import type { LiveStudy } from './live-study.js';
import { type StudyOverview, studyRow } from './views.js';

/** A study's overview, current or older (with next_ms); undefined before its study record and while it is read. */
export interface OverviewSource {
	get(live: LiveStudy): Promise<StudyOverview | undefined>;
}

export interface Served {
	readonly studies: ReadonlyMap<string, { readonly live: LiveStudy; readonly overview: OverviewSource; readonly figures: WorkerCache<FigureSet> }>;
	readonly hub: EventHub;
	/** Host header values accepted (undefined: any) */
	readonly hosts: ReadonlySet<string> | undefined;
}

const csp =
	"default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const assets = fileURLToPath(new URL('./assets/', import.meta.url));
const require = createRequire(import.meta.url);
/** A browser build next to a JSON file the package exports (its `build/` folder holds both). */
const vendorFile = (exported: string, file: string) => () => join(dirname(require.resolve(exported)), file);
const files: Record<string, { path: () => string; type: string }> = {
	'/': { path: () => join(assets, 'index.html'), type: 'text/html; charset=utf-8' },
	'/app.js': { path: () => join(assets, 'app.js'), type: 'text/javascript; charset=utf-8' },
	'/app.css': { path: () => join(assets, 'app.css'), type: 'text/css; charset=utf-8' },
	'/vendor/vega.js': { path: vendorFile('vega/vega-schema.json', 'vega.min.js'), type: 'text/javascript; charset=utf-8' },
	'/vendor/vega-lite.js': { path: vendorFile('vega-lite/vega-lite-schema.json', 'vega-lite.min.js'), type: 'text/javascript; charset=utf-8' },
};
const fileCache = new Map<string, Buffer>();

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, cache = 'no-store'): void {
	res.writeHead(status, {
		'content-type': type,
		'content-length': Buffer.byteLength(body),
		'cache-control': cache,
		'content-security-policy': csp,
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'no-referrer',
	});
	res.end(body);
}

const json = (res: ServerResponse, status: number, data: unknown) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(data));

function lifetimeQuery(params: URLSearchParams): LifetimeQuery {
	const sort = params.get('sort') ?? 'trial';
	const num = (name: string, fallback: number) => {
		const v = Number(params.get(name));
		return params.has(name) && Number.isFinite(v) ? v : fallback;
	};
	return {
		sort: (sortColumns as readonly string[]).includes(sort) ? (sort as SortColumn) : 'trial',
		dir: params.get('dir') === 'asc' ? 'asc' : 'desc',
		filter: (params.get('filter') ?? '').slice(0, 200),
		page: num('page', 0),
		size: num('size', 50),
	};
}

export function handle(served: Served, req: IncomingMessage, res: ServerResponse): void {
	if (served.hosts !== undefined && !served.hosts.has(req.headers.host ?? '')) {
		send(res, 421, 'text/plain; charset=utf-8', 'metatune serve: unexpected Host header\n');
		return;
	}
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		send(res, 405, 'text/plain; charset=utf-8', 'metatune serve only reads: GET\n');
		return;
	}
	const url = new URL(req.url ?? '/', 'http://localhost');
	const file = files[url.pathname === '/index.html' ? '/' : url.pathname];
	if (file !== undefined) {
		const path = file.path();
		let body = fileCache.get(path);
		if (body === undefined) {
			body = readFileSync(path);
			fileCache.set(path, body);
		}
		send(res, 200, file.type, body, url.pathname.startsWith('/vendor/') ? 'max-age=3600' : 'no-cache');
		return;
	}
	if (url.pathname === '/api/studies') {
		json(res, 200, { studies: [...served.studies.values()].map((s) => studyRow(s.live)) });
		return;
	}
	if (url.pathname === '/api/events') {
		served.hub.add(
			req,
			res,
			message(
				'studies',
				[...served.studies.values()].map((s) => studyRow(s.live)),
			),
		);
		return;
	}
	const key = url.searchParams.get('key') ?? '';
	const study = served.studies.get(key);
	const known = ['/api/study', '/api/figures', '/api/lifetimes'].includes(url.pathname);
	if (!known) {
		send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
		return;
	}
	if (study === undefined) {
		json(res, 404, { error: `no study '${key}' is served here` });
		return;
	}
	const { live } = study;
	switch (url.pathname) {
		case '/api/study':
			study.overview.get(live).then(
				(overview) => json(res, 200, { row: studyRow(live), overview: overview ?? null, next_ms: overview?.next_ms ?? 0 }),
				(error: Error) => json(res, 500, { error: `the overview could not be computed: ${error.message}` }),
			);
			return;
		case '/api/figures':
			study.figures.get(live).then(
				(set) => json(res, 200, set ?? null),
				(error: Error) => json(res, 500, { error: `the figures could not be built: ${error.message}` }),
			);
			return;
		case '/api/lifetimes':
			json(res, 200, { version: live.version, ...live.lifetimes.query(lifetimeQuery(url.searchParams)) });
			return;
	}
}
