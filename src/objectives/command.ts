/**
 * Command objectives: `objective: {command: [program, arg, ...], cwd?, env?, timeout?}` runs a
 * program per lifetime, in any language, with no shell in between.
 *
 * Arguments: `{name}` is replaced by the value of param `name`, `{seed}` by the lifetime seed and
 * `{trial}` by the trial number (`{{` and `}}` are literal braces). A conditional param (`when`) has
 * no value while its condition is false, so its placeholder gives the text to use then after a
 * colon: `{beta1:0.9}` (`{beta1:}` for an empty argument); a default is the text up to the closing
 * brace, braces excluded. The program also gets METATUNE_PARAMS (the params as JSON, inactive ones
 * absent), METATUNE_SEED and METATUNE_TRIAL in its environment, on top of
 * metatune's environment and `env`. metatune's own secrets are left out of what it inherits:
 * METATUNE_STORAGE always, PGPASSWORD when metatune used it for its storage (`env` can give either
 * back). A relative program path (one with a slash) and `cwd` are relative
 * to the study file's folder; a bare name is looked up on PATH.
 *
 * The program reports on stdout, one JSON object per line (command-protocol.ts): intermediate
 * results with their step (one may announce a checkpoint), the final result last.
 * A segment of a population member (a pbt arm) gets METATUNE_CHECKPOINT_DIR, METATUNE_END_STEP
 * ({end_step}: announce a checkpoint at the first report at or past it, then stop) and, when it
 * continues a checkpoint, METATUNE_RESTORE_DIR ({restore_dir}; empty at a fresh start):
 * docs/online-tuning.md.
 * Anything else on stdout (a line that is not a JSON object of these shapes) fails the lifetime,
 * naming the line: logs go to stderr, whose last lines are kept for the failure message. For a
 * training script that prints, `stdout` relaxes this:
 *   lenient    a line that is not a protocol line is ignored
 *   prefixed   only lines beginning `metatune:` are protocol lines (`metatune: {"value": 18.2}`), and
 *              must be valid; every other line is ignored
 * Ignored lines are counted and join the stderr tail, so a failure shows them and their count.
 *
 * Output is read in linear time whatever its line lengths (line-splitter.ts); the stderr tail keeps
 * the last 20 lines, at most 1 KiB of each, saying how much was cut. What a result stores is bounded
 * when it is recorded (study/run/end-record.ts).
 *
 * A lifetime fails, with the reason, when the program cannot start, exits non-zero or by a signal,
 * prints garbage, ends without a final value, or runs past `timeout` seconds. When the context's
 * `report` says stop (pruning) or the lifetime is aborted, the program gets SIGTERM, then SIGKILL
 * after `grace` seconds; a stopped lifetime returns its last intermediate value with `stopped_at`,
 * an aborted one rejects as `aborted` whatever the program printed after the stop (it re-runs).
 *
 * Each program leads its own process group (process-groups.ts): the terminal's Ctrl-C goes to the
 * runner's group only (once: the runner lets running lifetimes finish; twice: it aborts them), and
 * every stop signals the whole group, so what the program started stops with it.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { errorMessage, InputError, TrialError } from '../core/errors.js';
import type { Params } from '../core/space.js';
import { parseLine, type ProtocolLine, protocolPrefix } from './command-protocol.js';
import { LineSplitter } from './line-splitter.js';
import { signalGroup, trackGroup, untrackGroup } from './process-groups.js';
import type { CommandSpec, ObjectiveContext, ObjectiveFunction, ObjectiveResult } from './objective.js';

const placeholder = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}/g;
const builtIns = ['seed', 'trial', 'checkpoint_dir', 'restore_dir', 'end_step'];

interface Placeholder {
	readonly name: string;
	/** the text after the colon (`{beta1:0.9}`), used while the param is inactive */
	readonly fallback?: string;
}

/** The placeholders an argument uses (`{name}`, `{name:default}`), without the escaped `{{`/`}}`. */
function placeholders(arg: string): Placeholder[] {
	return [...arg.matchAll(placeholder)].flatMap((m) => (m[1] === undefined ? [] : [m[2] === undefined ? { name: m[1] } : { name: m[1], fallback: m[2] }]));
}

/** An argument with its placeholders replaced: a param's value, else the placeholder's default. */
function substitute(arg: string, values: Readonly<Record<string, string>>): string {
	return arg.replace(placeholder, (all, name: string | undefined, fallback: string | undefined) => (name === undefined ? (all[0] as string) : (values[name] ?? fallback ?? '')));
}

/** Where the program is: a path (relative to the study folder) or a name found on PATH; undefined when neither. */
function findProgram(program: string, studyDir: string): string | undefined {
	if (program.includes('/')) {
		const path = isAbsolute(program) ? program : resolve(studyDir, program);
		return existsSync(path) && statSync(path).isFile() ? path : undefined;
	}
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		if (dir === '') continue;
		const path = join(dir, program);
		if (existsSync(path) && statSync(path).isFile()) return path;
	}
	return undefined;
}

/**
 * Check a command objective against the study's params without running it: a non-empty command, a
 * program that exists, placeholders that name params (or seed, trial), a default in the placeholder
 * of every `conditional` param, an existing cwd. InputError naming the field and the fix.
 */
export function checkCommand(spec: CommandSpec, paramNames: readonly string[], studyDir: string, file: string, conditional: readonly string[] = []): void {
	function fail(field: string, message: string): never {
		throw new InputError(`${file}: ${field}: ${message}`, file, field);
	}
	const [program] = spec.command;
	if (program === undefined || program === '') fail('objective.command', 'is empty; give the program and its arguments, e.g. command: [python3, train.py, --lr, "{lr}"]');
	if (findProgram(program, studyDir) === undefined)
		fail(
			'objective.command.0',
			`program "${program}" not found (${program.includes('/') ? `no file ${resolve(studyDir, program)}; the path is relative to the study file` : 'not on PATH'}); check the name or give its path`,
		);
	spec.command.forEach((arg, i) => {
		for (const { name, fallback } of placeholders(arg)) {
			if (!paramNames.includes(name) && !builtIns.includes(name))
				fail(
					`objective.command.${i}`,
					`unknown placeholder {${name}}; use a param of the space (${paramNames.join(', ')}) or {seed}, {trial}, {checkpoint_dir}, {restore_dir}, {end_step} (write {{ and }} for literal braces)`,
				);
			if (fallback === undefined && conditional.includes(name))
				fail(`objective.command.${i}`, `{${name}} names a conditional param, which has no value while its condition is false; give the text to use then, e.g. {${name}:0}`);
		}
	});
	if (spec.cwd !== undefined) {
		const cwd = resolve(studyDir, spec.cwd);
		if (!existsSync(cwd) || !statSync(cwd).isDirectory()) fail('objective.cwd', `no such folder ${cwd}; the path is relative to the study file`);
	}
}

const stderrLines = 20;
/** characters kept of one stderr line (or ignored stdout line) in the tail */
const tailLineChars = 1024;

/** A tail line with what was cut of it said. */
const tailLine = (line: string, cut: number): string => (cut === 0 ? line : `${line}… (${cut} more characters cut)`);

/** metatune's own secrets, never passed on: the storage URL may hold a password. */
const withheld = ['METATUNE_STORAGE'];

/** The environment a program inherits: metatune's, without `withheld` (a PGPASSWORD metatune used is gone from it already: postgres.ts). */
function inherited(): NodeJS.ProcessEnv {
	const env = { ...process.env };
	for (const name of withheld) delete env[name];
	return env;
}

export function commandObjective(spec: CommandSpec, studyDir: string): ObjectiveFunction {
	return (params: Params, context: ObjectiveContext) => runCommand(spec, studyDir, params, context);
}

function runCommand(spec: CommandSpec, studyDir: string, params: Params, context: ObjectiveContext): Promise<ObjectiveResult> {
	const checkpoint = context.checkpoint;
	const values: Record<string, string> = {
		seed: String(context.seed),
		trial: String(context.trial),
		checkpoint_dir: checkpoint?.dir ?? '',
		restore_dir: checkpoint?.restoreDir ?? '',
		end_step: checkpoint === undefined ? '' : String(checkpoint.end),
	};
	for (const [k, v] of Object.entries(params)) values[k] = String(v);
	const [program, ...args] = spec.command.map((a) => substitute(a, values));
	const path = findProgram(program as string, studyDir) ?? (program as string);
	const env: NodeJS.ProcessEnv = { ...inherited(), ...spec.env, METATUNE_PARAMS: JSON.stringify(params), METATUNE_SEED: String(context.seed), METATUNE_TRIAL: String(context.trial) };
	// a segment's folders; absent otherwise (a restore folder only when it continues a checkpoint)
	delete env.METATUNE_CHECKPOINT_DIR;
	delete env.METATUNE_RESTORE_DIR;
	delete env.METATUNE_END_STEP;
	if (checkpoint !== undefined) {
		env.METATUNE_CHECKPOINT_DIR = checkpoint.dir;
		env.METATUNE_END_STEP = String(checkpoint.end);
	}
	if (checkpoint?.restoreDir !== undefined) env.METATUNE_RESTORE_DIR = checkpoint.restoreDir;
	const graceMs = (spec.grace ?? 5) * 1000;
	return new Promise<ObjectiveResult>((resolvePromise, reject) => {
		const child = spawn(path, args, { cwd: spec.cwd === undefined ? studyDir : resolve(studyDir, spec.cwd), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		const group = child.pid; // undefined when it could not start ('error' below)
		if (group !== undefined) trackGroup(group, graceMs);
		const tail: string[] = [];
		let ignored = 0;
		let final: ProtocolLine | undefined;
		let last: { step: number; value: number } | undefined;
		let failure: TrialError | undefined;
		let stopped: 'pruned' | 'aborted' | 'timeout' | undefined;
		let killer: NodeJS.Timeout | undefined;
		const answers: Promise<void>[] = [];
		const stop = (why: 'pruned' | 'aborted' | 'timeout') => {
			if (stopped !== undefined || child.exitCode !== null || group === undefined) return;
			stopped = why;
			signalGroup(group, 'SIGTERM');
			killer = setTimeout(() => signalGroup(group, 'SIGKILL'), graceMs);
		};
		const timer = spec.timeout === undefined ? undefined : setTimeout(() => stop('timeout'), spec.timeout * 1000);
		const onAbort = () => stop('aborted');
		context.signal.addEventListener('abort', onAbort, { once: true });
		const ignore = (line: string) => {
			ignored++;
			keepTail(`stdout: ${tailLine(line.slice(0, tailLineChars), Math.max(0, line.length - tailLineChars))}`);
		};
		const onLine = (raw: string) => {
			if (raw.trim() === '' || failure !== undefined || stopped !== undefined) return;
			let line = raw;
			if (spec.stdout === 'prefixed') {
				if (!raw.startsWith(protocolPrefix)) return ignore(raw);
				line = raw.slice(protocolPrefix.length);
			}
			const parsed = parseLine(line);
			switch (parsed.kind) {
				case 'bad':
					if (spec.stdout === 'lenient') return ignore(raw);
					failure = new TrialError(
						`printed a line that is not the metatune protocol (${parsed.reason}): ${raw.slice(0, 200)}; print logs to stderr (or set stdout: lenient or prefixed in the objective)`,
						'threw',
					);
					stop('aborted');
					return;
				case 'intermediate': {
					last = { step: parsed.step, value: parsed.value };
					const answered = context.report?.(parsed.step, parsed.value, parsed.checkpoint).then(
						(halt) => {
							if (!halt || stopped !== undefined) return;
							last = { step: parsed.step, value: parsed.value }; // lines read meanwhile came after the stop
							if (child.exitCode !== null || child.signalCode !== null)
								stopped = 'pruned'; // it finished before the answer came
							else stop('pruned');
						},
						(error: unknown) => {
							failure ??= new TrialError(errorMessage(error), 'threw');
							stop('aborted');
						},
					);
					if (answered !== undefined) answers.push(answered);
					return;
				}
				case 'final':
					final = parsed;
					return;
			}
		};
		const keepTail = (line: string) => {
			tail.push(line);
			if (tail.length > stderrLines) tail.shift();
		};
		const stdout = new LineSplitter(onLine);
		const stderr = new LineSplitter((line, cut) => keepTail(tailLine(line, cut)), tailLineChars);
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => stdout.push(chunk));
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (chunk: string) => stderr.push(chunk));
		const stderrTail = () => {
			const unfinished = stderr.unfinished();
			const lines = unfinished.line === '' && unfinished.cut === 0 ? tail : [...tail, tailLine(unfinished.line, unfinished.cut)];
			const shown = lines.length === 0 ? '' : `; stderr: ${lines.slice(-stderrLines).join(' | ')}`;
			return ignored === 0 ? shown : `${shown}; ${ignored === 1 ? '1 stdout line was not a protocol line' : `${ignored} stdout lines were not protocol lines`}`;
		};
		child.on('error', (error) => {
			failure = new TrialError(`could not start ${path}: ${error.message}`, 'threw');
		});
		// the end is settled once every report is answered: a program that finished before the answer
		// "stop" to one of its reports came still ends pruned there, as it would have when slower
		child.on('close', (code, signal) => {
			if (group !== undefined) {
				if (stopped !== undefined) signalGroup(group, 'SIGKILL'); // what it started and left behind
				untrackGroup(group);
			}
			stdout.end();
			void Promise.all(answers).then(() => settle(code, signal));
		});
		const settle = (code: number | null, signal: NodeJS.Signals | null) => {
			if (timer) clearTimeout(timer);
			if (killer) clearTimeout(killer);
			context.signal.removeEventListener('abort', onAbort);
			if (failure !== undefined) return reject(new TrialError(`${failure.message}${stderrTail()}`, failure.reason));
			switch (stopped) {
				case 'timeout':
					return reject(new TrialError(`ran past its timeout of ${spec.timeout} s and was stopped${stderrTail()}`, 'timeout'));
				case 'aborted':
					return reject(new TrialError('aborted', 'aborted'));
				case 'pruned':
					if (last === undefined) return reject(new TrialError('stopped before reporting a value', 'threw'));
					return resolvePromise({ value: last.value, stopped_at: last.step });
				case undefined:
					break;
			}
			if (code !== 0) return reject(new TrialError(`${path} ${signal === null ? `exited with code ${code}` : `was killed by ${signal}`}${stderrTail()}`, 'threw'));
			if (final === undefined || final.kind !== 'final') return reject(new TrialError(`${path} exited without a final {"value": ...} line${stderrTail()}`, 'not-finite'));
			resolvePromise({ ...final.fields, value: final.value, ...(last === undefined ? {} : { last_step: last.step }) });
		};
	});
}
