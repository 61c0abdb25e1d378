/** The terminal progress bar's ETA carries a unit, as the plain (non-terminal) lines do; the lines are coloured only when asked. */
import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import test from 'ava';
import { progressView } from '../../src/cli/progress.js';
import { parseStudyDocument } from '../../src/study/spec/spec.js';
import { Study } from '../../src/study/study.js';
import { tempDir } from '../study/helpers.js';

/** A writable that says it is a terminal, collecting what is written. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
	let out = '';
	const stream = new Writable({
		write(chunk: Buffer, _enc, done) {
			out += chunk.toString();
			done();
		},
	}) as unknown as NodeJS.WriteStream;
	Object.assign(stream, { isTTY: true, columns: 200, rows: 40, cursorTo: () => true, moveCursor: () => true, clearLine: () => true, clearScreenDown: () => true });
	return { stream, text: () => out };
}

for (const tty of [true, false]) {
	test(`progress (${tty ? 'terminal bar' : 'plain lines'}): the ETA is a duration with a unit, not a bare number`, async (t) => {
		const spec = parseStudyDocument({ name: 'eta', objective: { module: 'unused.js' }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 1 }, budget: 40 });
		const study = await Study.open(spec, { resultsDir: tempDir('metatune-progress-') });
		const terminal = fakeTerminal();
		if (!tty) Object.assign(terminal.stream, { isTTY: false });
		const view = progressView(study, terminal.stream, 0);
		try {
			for (let i = 0; i < 4; i++) {
				const trial = await study.ask();
				if (trial === undefined) return t.fail('nothing to ask');
				await new Promise((r) => setTimeout(r, 30));
				await study.tell(trial.number, 1);
				view.onEvent({ type: 'finished', trial: trial.number, arm: trial.arm, purpose: trial.purpose, outcome: { ok: true, value: 1, fields: {}, wall_ms: 1 } });
			}
		} finally {
			view.stop();
			study.close();
		}
		const plain = terminal.text().replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g'), ' ');
		const etas = [...plain.matchAll(/ETA (\S+)/g)].map((m) => m[1] as string);
		const last = etas.at(-1) ?? '';
		t.regex(last, /^(\d+m)?\d+(\.\d+)?s$|^\d+h\d+m$/, `ETAs seen: ${etas.join(', ')}`);
	});
}

test.serial('progress (plain lines): the study and arm names are bold with FORCE_COLOR, plain under NO_COLOR, and the text is the same', async (t) => {
	const lines = async (vars: Record<string, string | undefined>) => {
		const saved = { FORCE_COLOR: process.env.FORCE_COLOR, NO_COLOR: process.env.NO_COLOR };
		Object.assign(process.env, vars);
		for (const [key, value] of Object.entries(vars)) if (value === undefined) delete process.env[key];
		const spec = parseStudyDocument({ name: 'tint', objective: { module: 'unused.js' }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 1 }, budget: 2 });
		const study = await Study.open(spec, { resultsDir: tempDir('metatune-progress-') });
		const terminal = fakeTerminal();
		Object.assign(terminal.stream, { isTTY: false });
		try {
			const view = progressView(study, terminal.stream, 0);
			const trial = await study.ask();
			if (trial === undefined) throw new Error('nothing to ask');
			await study.tell(trial.number, 1);
			view.onEvent({ type: 'finished', trial: trial.number, arm: trial.arm, purpose: trial.purpose, outcome: { ok: true, value: 1, fields: {}, wall_ms: 1 } });
			view.onEvent({ type: 'stopping' });
		} finally {
			study.close();
			for (const [key, value] of Object.entries(saved)) {
				if (value === undefined) delete process.env[key];
				else process.env[key] = value;
			}
		}
		return terminal.text();
	};
	const coloured = await lines({ FORCE_COLOR: '1', NO_COLOR: undefined });
	const plain = await lines({ FORCE_COLOR: undefined, NO_COLOR: '1' });
	const esc = String.fromCharCode(27);
	t.true(coloured.startsWith(`${esc}[1m[tint]${esc}[22m 1/2 lifetimes | ${esc}[1mrandom${esc}[22m 1/2`), JSON.stringify(coloured));
	t.true(coloured.includes(`${esc}[33mStopping:${esc}[39m`), JSON.stringify(coloured));
	t.false(plain.includes(esc), plain);
	t.is(stripVTControlCharacters(coloured).replace(/ETA \S+/g, 'ETA'), plain.replace(/ETA \S+/g, 'ETA'));
});
