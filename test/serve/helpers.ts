/**
 * Shared helpers for the serve tests: a small study run into a temp results folder (a module
 * objective, so `metatune run` appends real records), the server started in-process, an SSE
 * client, and Chromium through playwright-core (Debian's `chromium`; skipped visibly without it
 * unless METATUNE_REQUIRE_BROWSER=1, as test/report/report-html.test.ts does).
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { type Serving, type ServeOptions, serve } from '../../src/serve/serve.js';

/** The objective: a quadratic in x, logging `note` (a string field) and waiting METATUNE_TEST_DELAY_MS per lifetime. */
const objective = `export default async function (params, context) {
	const delay = Number(process.env.METATUNE_TEST_DELAY_MS ?? 0);
	if (delay > 0) await new Promise((r) => setTimeout(r, delay));
	return { value: 1 - (Number(params.x) - 0.3) ** 2 + (context.seed % 7) / 1000, note: process.env.METATUNE_TEST_NOTE ?? 'fine', env_steps: 10 };
}
`;

/** Write a study file (and its objective) into `dir`; `extra` overrides fields of the document. */
export function writeServeStudy(dir: string, name: string, extra: Record<string, unknown> = {}): string {
	writeFileSync(join(dir, 'objective.mjs'), objective);
	const doc = {
		name,
		objective: { module: './objective.mjs' },
		metric: 'value',
		direction: 'maximize',
		space: { x: { type: 'float', low: 0, high: 1 } },
		searchers: [{ kind: 'random', seed: 1 }],
		budget: 6,
		repeats: 1,
		reevaluate: 0,
		concurrency: 1,
		...extra,
	};
	const file = join(dir, `${name}.yaml`);
	writeFileSync(file, stringify(doc));
	return file;
}

/** Start the server in this process on a free loopback port; warnings collected. */
export async function startServe(options: Omit<ServeOptions, 'port' | 'warn'>): Promise<Serving & { warnings: string[] }> {
	const warnings: string[] = [];
	const served = await serve({ ...options, port: 0, pollMs: 100, warn: (m) => warnings.push(m) });
	return Object.assign(served, { warnings });
}

export async function getJson<T = unknown>(url: string): Promise<T> {
	const res = await fetch(url);
	if (!res.ok) throw new Error(`${url}: ${res.status}`);
	return (await res.json()) as T;
}

export interface SseClient {
	readonly events: { readonly event: string; readonly data: unknown; readonly at: number }[];
	close(): void;
}

/** A server-sent events client recording every event with its arrival time (performance.now()). */
export function sseClient(url: string): Promise<SseClient> {
	return new Promise((resolve, reject) => {
		const events: SseClient['events'][number][] = [];
		const req = request(url, (res) => {
			let buffer = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				buffer += chunk;
				for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					const event = /^event: (.*)$/m.exec(block)?.[1];
					const data = /^data: (.*)$/m.exec(block)?.[1];
					if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data), at: performance.now() });
				}
			});
			resolve({ events, close: () => req.destroy() });
		});
		req.on('error', reject);
		req.end();
	});
}

const browserPath = process.env.METATUNE_CHROMIUM ?? 'chromium';

function onPath(name: string): string | undefined {
	const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, name));
	return candidates.find((file) => existsSync(file) && statSync(file).isFile());
}

/** The Chromium to drive, or undefined (with one line on stderr) when the browser tests are skipped. */
export function chromiumPath(file: string): string | undefined {
	const found = onPath(browserPath);
	if (found !== undefined) return found;
	if (process.env.METATUNE_REQUIRE_BROWSER === '1') return browserPath; // launching it fails the test
	process.stderr.write(
		`${file}: SKIPPING the headless-browser tests: no ${browserPath} found; install it with .ci/install-chromium (Debian package chromium), or set METATUNE_REQUIRE_BROWSER=1 to fail instead\n`,
	);
	return undefined;
}
