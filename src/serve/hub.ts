/**
 * Server-sent events (`text/event-stream`): every open page holds one `GET /api/events` and is
 * pushed an event when a study changes, instead of polling. One event per study per `coalesceMs`
 * at most: a burst of records (a worker writing asked + running + report + complete) is one event,
 * carrying the study's list row (views.ts), so the list updates without a request; a study page
 * then asks for what it shows.
 *
 *   event: study    data: a StudyRow (JSON)
 *   event: studies  data: the keys of the studies served (a study appeared)
 *   : ping          a comment every 15 s, so proxies and browsers keep the stream open
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class EventHub {
	private readonly clients = new Set<ServerResponse>();
	private readonly pending = new Map<string, () => unknown>();
	private timer: NodeJS.Timeout | undefined;
	private readonly ping: NodeJS.Timeout;

	constructor(private readonly coalesceMs = 15) {
		this.ping = setInterval(() => this.write(': ping\n\n'), 15_000);
		this.ping.unref();
	}

	get size(): number {
		return this.clients.size;
	}

	/** Hold the response open as an event stream until the client goes. */
	add(req: IncomingMessage, res: ServerResponse, first: string): void {
		res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
		res.write(`retry: 1000\n${first}`);
		this.clients.add(res);
		req.on('close', () => this.clients.delete(res));
	}

	/** Send `event` with the data `compute()` gives when the coalescing delay ends (a later call for the same key replaces it). */
	schedule(key: string, compute: () => unknown, event = 'study'): void {
		this.pending.set(`${event}\u0000${key}`, compute);
		if (this.timer !== undefined) return;
		this.timer = setTimeout(() => this.flush(), this.coalesceMs);
	}

	private flush(): void {
		this.timer = undefined;
		const batch = [...this.pending];
		this.pending.clear();
		if (this.clients.size === 0) return;
		for (const [key, compute] of batch) {
			const event = key.slice(0, key.indexOf('\u0000'));
			this.write(message(event, compute()));
		}
	}

	private write(text: string): void {
		for (const res of this.clients) res.write(text);
	}

	close(): void {
		clearInterval(this.ping);
		if (this.timer !== undefined) clearTimeout(this.timer);
		for (const res of this.clients) res.end();
		this.clients.clear();
	}
}

/** One SSE message: JSON data on one line (JSON.stringify escapes newlines). */
export function message(event: string, data: unknown): string {
	return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
