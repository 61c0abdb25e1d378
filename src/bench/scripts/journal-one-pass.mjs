#!/usr/bin/env node
/**
 * The floor of opening a study in `metatune serve`: one pass over its journal in one thread, read,
 * parsed (JSON.parse and the record checks) and replayed into the study's state, the work the
 * server cannot skip before it can show the study. Printed: wall time and the process's CPU time
 * (every thread, so the garbage collector's too), from after the modules are loaded.
 *
 *   npm run build && node src/bench/scripts/journal-one-pass.mjs results/bench/journal.jsonl
 *
 * (a journal `bench-serve.mjs --keep` or `--in DIR` generated: DIR/results/bench/journal.jsonl)
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const path = process.argv[2];
if (path === undefined) throw new Error('usage: journal-one-pass.mjs JOURNAL');
const { Journal } = await import(join(root, 'dist/src/study/journal/journal.js'));
const { StudyState } = await import(join(root, 'dist/src/study/journal/state.js'));

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const journal = new Journal(path, (m) => process.stderr.write(`${m}\n`), true);
const state = new StudyState();
let records = 0;
for (;;) {
	const batch = journal.readNew(false, 1000);
	if (batch.length === 0) break;
	state.apply(batch);
	records += batch.length;
}
const cpu = process.cpuUsage(cpu0);
console.log(
	`${records.toLocaleString('en-US')} records, ${state.trials.length.toLocaleString('en-US')} lifetimes: wall ${Math.round(performance.now() - t0)} ms, CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms (every thread)`,
);
