/**
 * One call of a statement already prepared on a connection, as a `pg` Submittable (the interface
 * `client.query` takes for cursors and streams): Bind, Execute and Sync written by `pg`'s own
 * Connection (so by its serializer), the rows taken as the server's text. pg-ahead.ts uses it for
 * the decision made ahead of the lock, one call per trial of a lone worker.
 *
 * Why not `client.query({name, text}, values)`: that path copies the config, makes a Query (an
 * EventEmitter) and a Result, sends a Describe for a RowDescription whose fields get a type parser
 * each, and builds an object per row. In a cold worker (the first thousands of trials, before V8
 * optimises them) those parts cost ~55 us of client CPU per call out of ~370 for the whole round
 * trip (1000 calls of metatune_append_alone, alternated; docs/design-notes.md, "## Performance").
 * What the server runs and answers is the same: the statement is prepared by an ordinary query
 * first (`pg` parses a named statement once per connection) and only then called this way.
 *
 * Errors are what `client.query` gives: the server's error (a DatabaseError, with its SQLSTATE) or
 * the connection's (none), each once; the client's `query_timeout` applies as to any query.
 */
import type pg from 'pg';

/** A row as the server sent it in text format: one string (or null) per column. */
export type TextRow = readonly (string | null)[];

class PreparedCall implements pg.Submittable {
	private readonly rows: TextRow[] = [];
	private failure: unknown;
	private settled = false;
	/** what `client.query` calls with the outcome (it wraps it to clear its query timeout) */
	callback: (error: unknown, rows?: TextRow[]) => void;

	constructor(
		private readonly statement: string,
		private readonly values: readonly string[],
		resolve: (rows: TextRow[]) => void,
		reject: (error: unknown) => void,
	) {
		this.callback = (error, rows) => {
			if (this.settled) return;
			this.settled = true;
			if (rows === undefined) reject(error);
			else resolve(rows);
		};
	}

	submit(connection: pg.Connection): void {
		const stream = connection.stream as { cork?: () => void; uncork?: () => void };
		stream.cork?.();
		try {
			connection.bind({ statement: this.statement, values: this.values as string[] }, false);
			connection.execute({}, false);
			connection.sync();
		} finally {
			stream.uncork?.();
		}
	}

	handleDataRow(message: { fields: TextRow }): void {
		this.rows.push(message.fields);
	}

	handleError(error: unknown): void {
		this.failure ??= error;
		this.callback(this.failure);
	}

	handleReadyForQuery(): void {
		if (this.failure === undefined) this.callback(undefined, this.rows);
		else this.callback(this.failure);
	}

	handleCommandComplete(): void {}
	handleEmptyQuery(): void {}
	handlePortalSuspended(): void {}
	handleCopyData(): void {}
	/** a COPY FROM STDIN (which the statements called this way never run) is refused, as `pg`'s Query does */
	handleCopyInResponse(connection: pg.Connection): void {
		(connection as { sendCopyFail?: (message: string) => void }).sendCopyFail?.('No source stream defined');
	}
}

/** Call `statement` (prepared on `client` already) with `values` as text: its rows, each column as the server's text. */
export function callPrepared(client: pg.Client, statement: string, values: readonly string[]): Promise<TextRow[]> {
	return new Promise((resolve, reject) => {
		client.query(new PreparedCall(statement, values, resolve, reject));
	});
}
