/**
 * Study files on disk: reading a YAML or JSON document (syntax errors as `file:line:col`), loading and
 * validating it into a spec (spec.ts), and the study's folder under the results folder (its name
 * checked so that it cannot leave it).
 *
 * The `yaml` package is loaded when a YAML document is first parsed, not with this module: the
 * readers of a study by its name (status, report, serve) import this module and never parse one,
 * and loading it cost about 70 ms of CPU at the start of each of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import { nearest } from '../../core/nearest.js';
import { parseStudyDocument, type StudySpec } from './spec.js';

const require = createRequire(import.meta.url);
let yaml: typeof import('yaml') | undefined;
/** `yaml`'s parse (the package's CommonJS build, required on first use). */
const parseYaml = (text: string, options: { prettyErrors: boolean }): unknown => {
	yaml ??= require('yaml') as typeof import('yaml');
	return yaml.parse(text, options);
};

/** The study file (.yaml, .yml, .json) in `file`'s folder whose name is nearest to its name (core/nearest.ts), as a path like `file`. */
export function nearestStudyFile(file: string): string | undefined {
	let names: string[];
	try {
		names = readdirSync(dirname(file)).filter((n) => /\.(ya?ml|json)$/i.test(n));
	} catch {
		return undefined;
	}
	const near = nearest(basename(file), names);
	return near === undefined ? undefined : join(dirname(file), near);
}

/** Read and parse a YAML (.yaml/.yml) or JSON (.json) study document. */
export function readStudyDocument(file: string): unknown {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code !== 'ENOENT') throw new InputError(`${file}: cannot read (${code ?? String(error)})`, file);
		const near = nearestStudyFile(file);
		throw new InputError(`${file}: no such study file; ${near === undefined ? 'check the path' : `did you mean ${near}?`}`, file);
	}
	const isJson = /\.json$/i.test(file);
	let document: unknown;
	try {
		document = isJson ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
	} catch (error) {
		const { message, line, col } = syntaxErrorAt(error, text);
		const where = line === undefined ? file : `${file}:${line}:${col}`;
		throw new InputError(`${where}: not valid ${isJson ? 'JSON' : 'YAML'} (${message}); fix the syntax${line === undefined ? '' : ' there'}`, file);
	}
	if (document === null || document === undefined) throw new InputError(`${file}: the file is empty; write a study in it (studies/quickstart.yaml is a small example)`, file);
	return document;
}

/** The parser's message (first line, without its position suffix) and the 1-based line and column when known. */
function syntaxErrorAt(error: unknown, text: string): { message: string; line?: number; col?: number } {
	const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
	const linePos = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
	if (linePos) return { message: first.replace(/ at line \d+, column \d+:?$/, ''), line: linePos.line, col: linePos.col };
	const position = /at position (\d+)/.exec(first)?.[1];
	const message = first.replace(/ in JSON at position \d+.*$/, '').replace(/, (\.\.\.)?".*$/, '');
	if (position === undefined) {
		// Node 20's JSON.parse often gives no position: YAML (a superset of JSON) usually finds the place
		try {
			parseYaml(text, { prettyErrors: true });
		} catch (yamlError) {
			const at = (yamlError as { linePos?: { line: number; col: number }[] }).linePos?.[0];
			if (at) return { message, line: at.line, col: at.col };
		}
		return { message };
	}
	const before = text.slice(0, Number(position)).split('\n');
	return { message, line: before.length, col: (before[before.length - 1] ?? '').length + 1 };
}

/** A loaded study file: its spec and where it lives (module objectives resolve against `dir`). */
export interface LoadedStudy {
	readonly spec: StudySpec;
	readonly file: string;
	readonly dir: string;
}

/** Read, parse and validate a study file (objective-specific checks are done by `validateObjective`). */
export function loadStudyFile(file: string): LoadedStudy {
	const spec = parseStudyDocument(readStudyDocument(file), file);
	return { spec, file, dir: dirname(resolve(file)) };
}

/** `results/<name>` for a spec, checked to stay inside `resultsDir`. */
export function studyDir(resultsDir: string, name: string): string {
	const root = resolve(resultsDir);
	const dir = resolve(root, name);
	if (dirname(dir) !== root || basename(dir) !== name) throw new InputError(`name: "${name}" would leave the results folder; use letters, digits, . _ -`, undefined, 'name');
	return dir;
}
