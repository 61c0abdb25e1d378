/**
 * Output into a pipe whose reader went away (`metatune status x | head -1`, `run 2>&1 | head -2`).
 * Node reports the broken pipe (EPIPE) as an error event on stdout or stderr, which would end the
 * process with a stack trace. Here that stream is left silent instead and the command goes on: a
 * read command finishes and exits 0, and `run` keeps running its lifetimes to the end (its journal
 * is complete; only the progress and summary lines nobody reads are lost). Other write errors are
 * thrown as before.
 */

function quietOnEpipe(stream: NodeJS.WriteStream): void {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') throw error;
	});
}

/** Install once, in the command-line entry point. */
export function ignoreClosedPipes(): void {
	quietOnEpipe(process.stdout);
	quietOnEpipe(process.stderr);
}
