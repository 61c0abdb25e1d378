/**
 * Colour on the terminal, decided once per stream: the one place the cli chooses escape codes
 * (picocolors makes them; the decision is ours, because picocolors' own colours FORCE_COLOR=0 and
 * every stream of a CI job, and looks only at stdout).
 *
 *   FORCE_COLOR  set and not empty: colour, even when piped, unless it is 0 or false (no colour)
 *   NO_COLOR     otherwise, set and not empty: no colour (no-color.org)
 *   otherwise    colour when the stream is a terminal and TERM is not `dumb`
 *
 * FORCE_COLOR wins over NO_COLOR, as in Node itself (`tty.getColorDepth`) and chalk, so a user
 * with NO_COLOR in their profile can still ask for colour in a pager (`FORCE_COLOR=1 ... | less -R`).
 * Reports render plain text and call the `TextStyle` hooks (src/core/format.ts) this module supplies.
 */
import picocolors from 'picocolors';
import type { TextStyle, Tone } from '../core/format.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Whether text written to `stream` gets colour, under the environment `env`. */
export function colourEnabled(stream: { readonly isTTY?: boolean }, env: Env = process.env): boolean {
	const force = env.FORCE_COLOR?.trim();
	if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
	if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
	return stream.isTTY === true && env.TERM !== 'dumb';
}

/** What the cli colours in the text it writes to one stream; each returns its text unchanged without colour. */
export interface Paint extends TextStyle {
	readonly enabled: boolean;
	/** `metatune:` before an error */
	readonly error: (text: string) => string;
	/** `metatune:` before a warning or a note (failed lifetimes in a run that went on) */
	readonly warn: (text: string) => string;
	readonly bold: (text: string) => string;
	readonly dim: (text: string) => string;
}

/** The painter for `stream` (stdout or stderr), decided now from the stream and the environment. */
export function paintFor(stream: { readonly isTTY?: boolean }, env: Env = process.env): Paint {
	const enabled = colourEnabled(stream, env);
	const c = picocolors.createColors(enabled);
	const tones: Record<Tone, (text: string) => string> = { good: c.green, busy: c.yellow, bad: c.red, quiet: c.dim };
	return {
		enabled,
		header: c.bold,
		tone: (tone, text) => tones[tone](text),
		error: (text) => c.bold(c.red(text)),
		warn: (text) => c.bold(c.yellow(text)),
		bold: c.bold,
		dim: c.dim,
	};
}

/** `metatune: <message>` for stderr, the prefix coloured as an error. */
export function errorLine(message: string): string {
	return `${paintFor(process.stderr).error('metatune:')} ${message}\n`;
}

/** `metatune: <message>` for stderr, the prefix coloured as a warning (a note that does not stop the command). */
export function warningLine(message: string): string {
	return `${paintFor(process.stderr).warn('metatune:')} ${message}\n`;
}
