/**
 * Splitting a program's output stream into lines in linear time, whatever the line lengths: a chunk
 * is searched for newlines once, and an unfinished line is held as a list of pieces joined once when
 * its newline arrives (appending each chunk to the held text and splitting it again made one 50 MB
 * line cost O(n^2)). `keep` bounds what is held of one line (the rest is counted, not held), so a
 * stream read only for its last lines (stderr) takes bounded memory.
 */
export class LineSplitter {
	private parts: string[] = [];
	private held = 0;
	private cut = 0;

	/** `onLine(line, cut)`: a complete line (without its newline), `cut` characters of it dropped beyond `keep`. */
	constructor(
		private readonly onLine: (line: string, cut: number) => void,
		private readonly keep = Number.POSITIVE_INFINITY,
	) {}

	push(chunk: string): void {
		let from = 0;
		for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', from)) {
			this.hold(chunk.slice(from, nl));
			this.emit();
			from = nl + 1;
		}
		this.hold(chunk.slice(from));
	}

	/** The stream ended: a last line without a newline is a line too. */
	end(): void {
		if (this.held > 0 || this.cut > 0) this.emit();
	}

	/** The unfinished line held so far, and how many of its characters were dropped. */
	unfinished(): { readonly line: string; readonly cut: number } {
		return { line: this.parts.join(''), cut: this.cut };
	}

	private hold(piece: string): void {
		if (piece === '') return;
		const room = this.keep - this.held;
		if (piece.length <= room) {
			this.parts.push(piece);
			this.held += piece.length;
			return;
		}
		if (room > 0) this.parts.push(piece.slice(0, room));
		this.held = this.keep;
		this.cut += piece.length - Math.max(0, room);
	}

	private emit(): void {
		const line = this.parts.length === 1 ? (this.parts[0] as string) : this.parts.join('');
		const cut = this.cut;
		this.parts = [];
		this.held = 0;
		this.cut = 0;
		this.onLine(line, cut);
	}
}
